"""Celery tasks for documents: ids in, `scanning.py` does the work, the tasks own the retry policy.
services.py queues a scan through `document_scan_enqueue` after commit; this module imports scanning.py
only, so services -> tasks -> scanning is one way.

`documents.scan` runs on the "long" queue (a 20 MB file streamed to clamd takes seconds). It is idempotent
(scanning claims the row and records the verdict under a lock), so a retry, a re-delivery after a worker was
killed, or the periodic task queueing it again is safe."""

import logging

import redis.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from . import held, scanning
from .scanner import ScannerUnavailable

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, redis.exceptions.ConnectionError, OSError)

# clamd unreachable, or answering with an error: asked again after 30 s, 1 min, 2 min; after that the file
# waits for `documents.rescan_waiting` (every 5 minutes), for as long as clamd is away.
SCAN_RETRIES = 3
SCAN_RETRY_DELAY = 30


@shared_task(
    name="documents.scan",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # Only the database restarting or failing over; the scanner's own troubles are handled below.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def scan(self, document_id: int) -> str:
    try:
        outcome = scanning.document_scan(document_id=document_id)
    except ScannerUnavailable as error:
        logger.warning("Document %s waits: the virus scanner is unreachable (%s)", document_id, error)
        return _ask_again_later(self, document_id, "waiting")
    if outcome is scanning.Outcome.ASK_AGAIN:
        return _ask_again_later(self, document_id, outcome.value)
    return outcome.value


def _ask_again_later(task, document_id: int, outcome: str) -> str:
    # Run eagerly (no broker), a retry would run at once inside the request that queued it: leave it to the
    # periodic task instead. The document stays "awaiting scan", so it is never served meanwhile.
    if task.request.is_eager or task.request.retries >= SCAN_RETRIES:
        return outcome
    raise task.retry(countdown=SCAN_RETRY_DELAY * 2**task.request.retries, max_retries=SCAN_RETRIES)


def document_scan_enqueue(*, document_id: int) -> bool:
    """Hand the scan to a worker (called after commit). With the broker unreachable, log it: the document
    stays "awaiting scan" and `documents.rescan_waiting` queues it later."""
    try:
        scan.apply_async(args=[document_id], retry=False)
    except BROKER_ERRORS:
        logger.warning("Document %s not queued for scanning: the broker is unreachable", document_id)
        return False
    return True


@shared_task(name="documents.rescan_waiting")
def rescan_waiting() -> int:
    """Queue a scan of every document still waiting (clamd was down, the broker missed it). Returns how many
    were queued."""
    queued = 0
    for document_id in scanning.document_ids_waiting():
        if not document_scan_enqueue(document_id=document_id):
            break  # the broker is still down: next time
        queued += 1
    return queued


@shared_task(name="documents.clear_held")
def clear_held() -> int:
    """Delete files held for forms never sent (`held.held_clear_expired`). Returns how many."""
    return held.held_clear_expired()
