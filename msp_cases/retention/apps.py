from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Keeping a person's safeguarding record for RETENTION_YEARS after its last concern or enquiry closed,
    then a review by the unit leads: a legal hold keeps it; otherwise one proposes disposal, another approves,
    and a task removes the personal data while the coded fields the statutory returns count stay."""

    name = "msp_cases.retention"
    label = "retention"
    verbose_name = "Retention of closed cases"

    def ready(self) -> None:
        # Imported here: panels read models, which need the app registry ready.
        from enquiries.panels import register_panel
        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS
        from .panels import PANELS

        for panel in PANELS:
            register_panel(panel)
        register_nav_items(*NAV_ITEMS)
