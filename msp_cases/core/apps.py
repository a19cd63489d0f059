from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "msp_cases.core"
    label = "core"
    verbose_name = "Layout and shared pages"
