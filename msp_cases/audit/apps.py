from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "msp_cases.audit"
    label = "audit"
    verbose_name = "Record of access"

    def ready(self) -> None:
        from msp_cases.core.concurrency import register_edit_recorder
        from msp_cases.core.navigation import register_nav_items

        from . import history  # noqa: F401  (connects the IP-address hook for simple-history)
        from .navigation import NAV_ITEMS
        from .services import record_edit

        register_edit_recorder(record_edit)
        register_nav_items(*NAV_ITEMS)
