from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Case records brought in from a council's earlier system (a Mosaic or LAS extract) by
    `manage.py import_cases`: people, concerns with their decisions, enquiries with their closures,
    conversations and desired outcomes, each remembered by the earlier system's id (docs/import.md)."""

    name = "msp_cases.imports"
    label = "imports"
    verbose_name = "Imports from earlier systems"

    def ready(self) -> None:
        # Imported here: the tag reads models, which need the app registry ready.
        from enquiries.panels import register_conversation_tag

        from .selectors import IMPORTED_CONVERSATIONS

        register_conversation_tag(IMPORTED_CONVERSATIONS)
