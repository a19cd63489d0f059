from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "msp_cases.accounts"
    label = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS

        register_nav_items(*NAV_ITEMS)
