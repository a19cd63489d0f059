"""Celery tasks for exports, and handing them to the broker: ids in, rendering.py does the work, the tasks own
the retry policy. services.py queues through `export_enqueue`; this module imports rendering.py only, so
services -> tasks -> rendering is one way.

`exports.render` is idempotent by construction (rendering claims the row under a lock and finishes it under
the lock again), so a retry or a re-delivery after a worker was killed is safe (acks_late,
reject_on_worker_lost)."""

import logging
import uuid

import redis.exceptions
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from . import rendering

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, redis.exceptions.ConnectionError, OSError)


@shared_task(
    name="exports.render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=rendering.RENDER_SOFT_TIME_LIMIT,
    time_limit=rendering.RENDER_TIME_LIMIT,
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
        rendering.export_render(export_id=export_id)
    except SoftTimeLimitExceeded:
        rendering.export_fail(export_id=export_id, reason=rendering.REASON_TOO_LONG)


def export_enqueue(*, export_id: uuid.UUID) -> bool:
    """Hand the export to a worker. With the broker unreachable, log it and leave `enqueued_at` empty for the
    requeue job: the request is saved, and the page the user sees says so."""
    try:
        render.apply_async(args=[str(export_id)], retry=False)
    except BROKER_ERRORS:
        logger.warning(
            "Export %s not queued: the broker is unreachable; the requeue job will send it", export_id
        )
        return False
    rendering.export_mark_enqueued(export_id=export_id)
    return True


@shared_task(name="exports.requeue_unsent")
def requeue_unsent() -> int:
    """Send again what the broker never took and what is stuck (rendering.export_unsent_ids)."""
    sent = 0
    for export_id in rendering.export_unsent_ids():
        if not export_enqueue(export_id=export_id):
            break  # the broker is still down: try again next time
        sent += 1
    return sent


@shared_task(name="exports.delete_expired")
def delete_expired() -> int:
    return rendering.export_delete_expired()
