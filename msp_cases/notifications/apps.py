from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "msp_cases.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS

        register_nav_items(*NAV_ITEMS)
