from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    """The way concerns arrive from outside: the public and professional "Report a concern" form, and the
    front-door (MASH) queue that screens what it makes before a locality team takes it."""

    name = "msp_cases.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"

    def ready(self) -> None:
        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS

        register_nav_items(*NAV_ITEMS)
        # The concern page says when a concern came through the front door, and from whom.
        from enquiries.panels import AFTER_HEADING, CONCERN_PAGE, Panel, register_panel

        from .selectors.concern_origin import concern_origin_context

        register_panel(
            Panel(
                id="frontdoor.concern_origin",
                page=CONCERN_PAGE,
                slot=AFTER_HEADING,
                template="frontdoor/_concern_origin.html",
                context=concern_origin_context,
            )
        )
