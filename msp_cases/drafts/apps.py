from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "msp_cases.drafts"
    label = "drafts"
    verbose_name = "Drafts"
