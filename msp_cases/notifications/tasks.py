"""Celery tasks for notification emails. Thin: they take ids and call the services in `emails`, and own the
retry policy. Sending is exactly once by a row lock in the service, so any of these may run twice (two
workers, a retried task, the beat catch-up) without a second email."""

import logging

from celery import shared_task
from celery.exceptions import Retry
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from . import emails, selectors

logger = logging.getLogger(__name__)

# A mail server that refuses or cannot be reached: retried five times with exponential backoff (5 s, 10 s,
# 20 s, ... at most 5 minutes) and full jitter (a random delay up to each, so workers don't retry in step).
# After that the row simply stays waiting and the ten-minute `send_pending_emails` run tries again, so
# nothing is lost while the mail server is down.
SMTP_RETRY = {
    "autoretry_for": emails.SMTP_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}
BROKER_ERRORS = (OperationalError, RedisConnectionError, OSError)


@shared_task(name="notifications.send_email", **SMTP_RETRY)
def send_email(notification_id: int) -> bool:
    return emails.notification_email_send(notification_id=notification_id)


@shared_task(name="notifications.send_digest", **SMTP_RETRY)
def send_digest(user_id: int) -> int:
    return emails.digest_send(user_id=user_id)


@shared_task(name="notifications.send_pending_emails")
def send_pending_emails() -> int:
    """Every ten minutes (beat) and after each new notification: the catch-up after Redis or the mail server
    was down. New emails each get a `send_email` task (with its retry policy). Emails that have already failed
    wait behind one probe, sent here: while the mail server is still down that is one failed attempt per run,
    not a storm of retrying tasks for the whole backlog; once it succeeds, the rest are queued. Digests that
    should already have gone (a missed morning run) are sent too."""
    queued = _queue_each(send_email, selectors.emails_pending_ids(failed_before=False))
    failed_before = selectors.emails_pending_ids(failed_before=True)
    if failed_before:
        try:
            emails.notification_email_send(notification_id=failed_before[0])
        except emails.SMTP_ERRORS as exc:
            logger.warning(
                "Mail server still failing (%s); %d notification emails wait for the next run",
                type(exc).__name__,
                len(failed_before),
            )
        else:
            queued += 1 + _queue_each(send_email, failed_before[1:])
    queued += _queue_each(send_digest, selectors.digest_user_ids(overdue_only=True))
    return queued


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    """Every morning (beat, 07:00): one digest email for each user with notifications waiting for it."""
    return _queue_each(send_digest, selectors.digest_user_ids())


def _queue_each(task, ids: list[int]) -> int:
    queued = 0
    for pk in ids:
        try:
            task.delay(pk)
        except (Retry, *emails.SMTP_ERRORS) as exc:
            # Only when tasks run eagerly (no broker, `make run`) does the send happen here, and a retry
            # cannot wait in-process: the mail server is down, so the rest wait for the next run.
            logger.warning("Notification emails paused (%s); the next run tries again", type(exc).__name__)
            break
        queued += 1
    return queued


def queue_pending_emails() -> None:
    """Ask a worker to send the pending emails (called after a commit that raised notifications). If the
    broker is down the page or scan that raised them must not fail: log it, and the beat job catches up."""
    try:
        send_pending_emails.delay()
    except BROKER_ERRORS as exc:
        logger.warning(
            "Could not queue notification emails (%s); the scheduled run will send them", type(exc).__name__
        )
