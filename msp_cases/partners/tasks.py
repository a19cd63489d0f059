"""The webhook tasks: ids in, delivery.py does the work, the tasks own the retry policy. On the "long" queue:
an attempt waits up to WEBHOOK_TIMEOUT_SECONDS for a partner's server, which must never hold up the
reminders and emails on "interactive".

`webhooks.deliver` runs with acks_late and reject_on_worker_lost (a worker killed mid-delivery leaves the
message to be run again) and is idempotent by construction (delivery.py: the row locked, its status
re-read). Its own retries count in the delivery row (`attempts`, at most WEBHOOK_MAX_ATTEMPTS), with
exponential backoff; only a database that is failing over is retried by Celery's autoretry."""

import logging

import redis.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from . import delivery, fanout

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, redis.exceptions.ConnectionError, OSError)


@shared_task(
    name="webhooks.deliver",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def deliver(self, delivery_id: int) -> str:
    attempt = delivery.webhook_delivery_attempt(delivery_id=delivery_id)
    if attempt.retry_in is not None and not self.request.is_eager:
        # Run in-process (no broker: make run), the next try is left to the sweep once it is due.
        # The delivery row counts the attempts; Celery's own count is not the limit here.
        raise self.retry(countdown=attempt.retry_in, max_retries=None)
    return attempt.status


def delivery_enqueue(*, delivery_id: int) -> bool:
    """Hand a delivery to a worker. With the broker unreachable it stays pending, and the sweep sends it."""
    try:
        deliver.apply_async(args=[delivery_id], retry=False)
    except BROKER_ERRORS:
        logger.warning("Webhook delivery %s not queued: the broker is unreachable", delivery_id)
        return False
    return True


def fan_out_and_send(*, event_id) -> None:
    """The event's deliveries made (committed), then each handed to a worker."""
    for delivery_id in fanout.webhook_event_fan_out(event_id=event_id):
        delivery_enqueue(delivery_id=delivery_id)


@shared_task(name="webhooks.requeue_pending")
def requeue_pending() -> int:
    """Every few minutes: events whose deliveries were never made, and deliveries whose message was lost."""
    for event_id in fanout.webhook_events_unfanned():
        fan_out_and_send(event_id=event_id)
    sent = 0
    for delivery_id in delivery.webhook_deliveries_overdue():
        delivery.webhook_delivery_scheduled(delivery_id=delivery_id)
        if not delivery_enqueue(delivery_id=delivery_id):
            break
        sent += 1
    return sent
