from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "msp_cases.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Report kinds join the one export mechanism (msp_cases.exports.registry) when their module loads.
        from .kinds import load_all

        load_all()
