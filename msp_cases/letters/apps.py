from django.apps import AppConfig


class LettersConfig(AppConfig):
    """Letters made from templates the safeguarding unit keeps in the app: to the referrer, to the person
    after the first conversation, with the outcome and at closure, in plain language and in easy read. A
    practitioner makes one from the enquiry page; the PDF is filed on the record as a document."""

    name = "msp_cases.letters"
    label = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        # Imported here: panels read models, which need the app registry ready.
        from enquiries.panels import register_panel
        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS
        from .panels import PANELS

        for panel in PANELS:
            register_panel(panel)
        register_nav_items(*NAV_ITEMS)
