from django.apps import AppConfig

from . import checks  # noqa: F401 (registers the virus scanner's system checks)


class DocumentsConfig(AppConfig):
    """Documents on the record: a GP letter, a photo of an injury, a provider's incident report, the minutes
    of a strategy meeting, a letter sent to the person. Added to a person, a concern, an enquiry, a
    conversation or a meeting, kept in private storage, served only through the access rule."""

    name = "msp_cases.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # Imported here: panels read models, which need the app registry ready.
        from enquiries.panels import register_panel, register_timeline_source

        from .panels import PANELS, TIMELINE_SOURCES

        for panel in PANELS:
            register_panel(panel)
        for source in TIMELINE_SOURCES:
            register_timeline_source(source)
