"""Celery tasks of the front door. Thin: ids in, the work in emails.py and retention.py, retries here.

An acknowledgement is retried on a mail server that refuses or cannot be reached; it is at most one email
with a reference, so a retry after a send the server did accept costs a duplicate, never a leak."""

import smtplib

import redis.exceptions
from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from . import emails, outcomes, retention

BROKER_ERRORS = (BrokerError, redis.exceptions.ConnectionError, OSError)


@shared_task(
    name="frontdoor.send_acknowledgement",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def send_acknowledgement(referral_id: int) -> bool:
    return emails.acknowledgement_send(referral_id=referral_id)


@shared_task(name="frontdoor.delete_expired_drafts")
def delete_expired_drafts() -> int:
    """Nightly (the beat schedule, migrations/0004): professionals' drafts past FRONT_DOOR_DRAFT_KEEP_DAYS,
    and expired sessions, which hold the answers of reports started and never sent."""
    deleted = retention.drafts_delete_expired()
    retention.sessions_delete_expired()
    return deleted


@shared_task(
    name="frontdoor.notify_outcome",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def notify_outcome(referral_id: int) -> bool:
    return outcomes.referral_outcome_notify(referral_id=referral_id)


@shared_task(name="frontdoor.notify_outcomes")
def notify_outcomes() -> int:
    """Every 30 minutes (the beat schedule, migrations/0004): a task for each professional referrer whose
    referral's concern has been decided. Sending is exactly once by the row lock in the service, so
    overlapping runs are safe."""
    due = outcomes.outcomes_due()
    for referral_id in due:
        notify_outcome.delay(referral_id)
    return len(due)
