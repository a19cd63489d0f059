from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = "Safeguarding concerns and enquiries"

    def ready(self) -> None:
        from msp_cases.core.navigation import register_nav_items

        from .navigation import NAV_ITEMS

        register_nav_items(*NAV_ITEMS)

        # The case summary PDF joins the one export mechanism (msp_cases.exports knows nothing of enquiries).
        from msp_cases.exports.registry import register

        from .exports import CASE_SUMMARY

        register(CASE_SUMMARY)

        # Transfers between teams and concerns joined to an enquiry: a panel and items on the enquiry's page.
        from .panels import (
            AFTER_ACTIONS,
            ENQUIRY_PAGE,
            Panel,
            TimelineSource,
            register_panel,
            register_timeline_source,
        )
        from .selectors.transfers import (
            enquiry_panel_context,
            transfer_chronology_items,
            transfer_timeline_items,
        )

        register_panel(
            Panel(
                id="enquiries.transfers",
                page=ENQUIRY_PAGE,
                slot=AFTER_ACTIONS,
                template="enquiries/transfers/_enquiry_panel.html",
                context=enquiry_panel_context,
            )
        )
        register_timeline_source(
            TimelineSource(
                id="enquiries.transfers",
                items=transfer_timeline_items,
                person_items=transfer_chronology_items,
            )
        )
