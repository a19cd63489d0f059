"""Celery tasks for exports: ids in, services do the work, the tasks own the retry policy.

`exports.render` is idempotent by construction (the service claims the row under a lock and finishes it
under the lock again), so a retry or a re-delivery after a worker was killed is safe (acks_late,
reject_on_worker_lost)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    name="exports.render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=services.RENDER_SOFT_TIME_LIMIT,
    time_limit=services.RENDER_TIME_LIMIT,
    # Only what may pass: the database restarting or failing over. A rendering error is not retried (the
    # service marks the export failed with a reason), so one broken case never becomes a retry storm.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def render(export_id: str) -> None:
    try:
        services.export_render(export_id=export_id)
    except SoftTimeLimitExceeded:
        services.export_fail(export_id=export_id, reason=services.REASON_TOO_LONG)


@shared_task(name="exports.requeue_unsent")
def requeue_unsent() -> int:
    return services.export_requeue_unsent()


@shared_task(name="exports.delete_expired")
def delete_expired() -> int:
    return services.export_delete_expired()
