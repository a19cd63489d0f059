from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "msp_cases.notifications"
    label = "notifications"
    verbose_name = "Notifications"
