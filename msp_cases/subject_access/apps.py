from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    """A unit lead answers a subject access request (UK GDPR article 15) from the person's page: the pack is
    an export (msp_cases.exports) and a panel on the person's page offers it."""

    name = "msp_cases.subject_access"
    label = "subject_access"
    verbose_name = "Subject access requests"

    def ready(self) -> None:
        # Imported here: the pack and the panel read models, which need the app registry ready.
        from enquiries.panels import register_panel
        from msp_cases.exports.registry import register

        from .exports import SUBJECT_ACCESS_PACK
        from .panels import PANELS

        register(SUBJECT_ACCESS_PACK)
        for panel in PANELS:
            register_panel(panel)
