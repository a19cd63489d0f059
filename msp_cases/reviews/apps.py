from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The register of Safeguarding Adults Reviews the safeguarding unit keeps (Care Act 2014, section
    44), shown read-only on the enquiry and person pages it is linked to, and counted in the SAC's SG5a and
    SG5b."""

    name = "msp_cases.reviews"
    label = "reviews"
    verbose_name = "Safeguarding Adults Reviews"

    def ready(self) -> None:
        # Imported here: panels read models, which need the app registry ready.
        from enquiries.panels import register_panel
        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS
        from .panels import PANELS

        for panel in PANELS:
            register_panel(panel)
        register_nav_items(*NAV_ITEMS)
