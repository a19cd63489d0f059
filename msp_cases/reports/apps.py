from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "msp_cases.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from msp_cases.core.navigation import register_nav_items

        # Report kinds join the one export mechanism (msp_cases.exports.registry) when their module loads.
        from .kinds import load_all
        from .navigation import NAV_ITEMS

        load_all()
        register_nav_items(*NAV_ITEMS)
