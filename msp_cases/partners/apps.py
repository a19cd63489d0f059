from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """Above the partners' API (it makes clients through msp_cases.api's own service and reads which client
    sent a referral), below the shell. Listens for what happens to records (msp_cases.core.events), and adds
    the unit leads' "API clients" item to the navigation bar."""

    name = "msp_cases.partners"
    label = "partners"
    verbose_name = "Partners' systems"

    def ready(self) -> None:
        from msp_cases.core.events import register_record_event_listener
        from msp_cases.core.navigation import register_nav_items

        from .events import webhook_event_record
        from .navigation import NAV_ITEMS

        register_record_event_listener("webhooks", webhook_event_record)
        register_nav_items(*NAV_ITEMS)
