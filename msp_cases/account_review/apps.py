from django.apps import AppConfig


class AccountReviewConfig(AppConfig):
    name = "msp_cases.account_review"
    label = "account_review"
    verbose_name = "Account review"

    def ready(self) -> None:
        from django.core import checks

        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS
        from .services import check_inactive_days

        register_nav_items(*NAV_ITEMS)
        checks.register(check_inactive_days)
