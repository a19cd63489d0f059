from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "msp_cases.exports"
    label = "exports"
    verbose_name = "Exports"
