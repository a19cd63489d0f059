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
