from django.apps import AppConfig


class MetricsConfig(AppConfig):
    """Figures for the operators' Prometheus at /metrics (docs/metrics.md): request latency by route, the
    Celery queues and task outcomes, drift reminders, exports and document scans by state, sign-in failures
    and lockouts. Counts and names of routes, rules and states only: never a person, a path with ids or a
    search word."""

    name = "msp_cases.metrics"
    label = "metrics"
    verbose_name = "Metrics"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 (registers the checks)

        signals.connect()
