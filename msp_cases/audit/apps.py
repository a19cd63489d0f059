from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "msp_cases.audit"
    label = "audit"
    verbose_name = "Record of access"

    def ready(self) -> None:
        from . import history  # noqa: F401  (connects the IP-address hook for simple-history)
