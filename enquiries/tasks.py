"""Celery tasks for enquiries. Thin: they call a service and own the retry policy. The drift scan is
idempotent by construction (unique constraint on reminders and notifications, guarded escalation), so a
retried, duplicated or overlapping run raises nothing twice."""

from celery import shared_task
from django.db import OperationalError

from .services.drift import drift_scan


@shared_task(
    name="enquiries.scan_drift",
    acks_late=True,
    # The scan reads due rows only; minutes means something is wrong (a lock held elsewhere): let it go, the
    # next beat run (every 15 minutes) starts afresh.
    soft_time_limit=240,
    time_limit=300,
    # The database restarting or failing over: try again with backoff, then leave it to the next beat run.
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def scan_drift() -> dict[str, int]:
    return drift_scan()
