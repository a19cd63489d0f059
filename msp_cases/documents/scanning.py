"""Scanning a document for viruses, as exports are rendered: claim the row under a lock, do the slow work
(streaming the file to clamd) outside it, record the verdict under the lock again, notify after commit.

Idempotent by construction: only a document still "awaiting scan" is scanned, and the verdict is recorded
only if, re-read under the lock, it is still awaiting scan. Two deliveries of the same task may both ask
clamd; one records the verdict, the other finds it recorded and does nothing (no second notification).

- clean: the file is served from now on.
- infected: the file is kept (unit staff may need to know what was sent) but never served; the uploader and
  the safeguarding unit staff who may see the record are told, with no file name or case content.
- clamd unreachable: `scanner.ScannerUnavailable` propagates to the task, which retries a little and then
  leaves the file "awaiting scan" for `documents.rescan_waiting`. Production never serves an unscanned file.
- clamd answers with an error about the file (larger than its StreamMaxLength, the stored file unreadable):
  counted in `scan_attempts`; after MAX_ATTEMPTS the file is "scan failed", never served, and the uploader
  is told."""

import datetime
import enum
import logging

from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from msp_cases.access import document_scope
from msp_cases.accounts.roles import VIEW_ALL_CASES
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from . import scanner
from .models import Document, document_storage

logger = logging.getLogger(__name__)

# clamd answering "ERROR" for a file: asked this many times in all, then the file is "scan failed".
MAX_ATTEMPTS = 3
# `rescan_waiting` leaves alone what was uploaded this recently: its own task is most likely on its way.
RESCAN_AFTER = datetime.timedelta(minutes=2)
# How many waiting documents one run of `rescan_waiting` queues (the rest wait for the next run).
RESCAN_BATCH = 500

Status = Document.ScanStatus

MESSAGE_INFECTED_UPLOADER = (
    "A virus was found in a document you added. It cannot be opened or downloaded. "
    "The safeguarding unit has been told."
)
MESSAGE_INFECTED_UNIT = (
    "A virus was found in a document added to a case record. It cannot be opened or downloaded."
)
MESSAGE_SCAN_FAILED = (
    "A document you added could not be checked for viruses, so it cannot be opened or downloaded. "
    "Add it again, or ask the safeguarding unit."
)


class Outcome(enum.StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    SCAN_FAILED = "scan_failed"
    ASK_AGAIN = "ask_again"  # clamd answered with an error; attempts remain
    ALREADY_DONE = "already_done"  # not awaiting scan (scanned by another run, or never to be scanned)


def document_scan(*, document_id: int) -> Outcome:
    """Scan one document and record the verdict. Raises scanner.ScannerUnavailable when clamd cannot be
    reached; the document then stays "awaiting scan"."""
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.scan_status != Status.AWAITING_SCAN:
            return Outcome.ALREADY_DONE
        stored_name = document.file.name
    # Outside the lock: the stream to clamd takes as long as the file is large.
    try:
        stream = document_storage().open(stored_name, "rb")
    except OSError as error:  # the stored file is missing or unreadable: asking clamd again will not help
        logger.error("Document %s: its stored file could not be read: %s", document_id, error)
        return _record_error(document_id=document_id, detail="the stored file could not be read")
    try:
        with stream:
            verdict = scanner.scan(stream)
    except scanner.ScanError as error:
        logger.warning("Document %s: clamd could not scan it: %s", document_id, error)
        return _record_error(document_id=document_id, detail=str(error))
    return _record_verdict(document_id=document_id, verdict=verdict)


def _locked_if_awaiting(document_id: int) -> Document | None:
    document = Document.objects.select_for_update().get(pk=document_id)  # the document's row alone
    return document if document.scan_status == Status.AWAITING_SCAN else None


_SCAN_FIELDS = ["scan_status", "scan_detail", "scanned_at", "scan_attempts"]


def _record_verdict(*, document_id: int, verdict: scanner.ScanOutcome) -> Outcome:
    with transaction.atomic():
        document = _locked_if_awaiting(document_id)
        if document is None:
            return Outcome.ALREADY_DONE
        document.scan_attempts += 1
        document.scanned_at = timezone.now()
        if isinstance(verdict, scanner.Infected):
            document.scan_status = Status.INFECTED
            document.scan_detail = verdict.name[:300]
            document.save(update_fields=_SCAN_FIELDS)
            logger.warning("Document %s is infected (%s): kept, never served", document_id, verdict.name)
            _tell_of_infection(document)
            return Outcome.INFECTED
        document.scan_status = Status.CLEAN
        document.scan_detail = ""
        document.save(update_fields=_SCAN_FIELDS)
        return Outcome.CLEAN


def _record_error(*, document_id: int, detail: str) -> Outcome:
    with transaction.atomic():
        document = _locked_if_awaiting(document_id)
        if document is None:
            return Outcome.ALREADY_DONE
        document.scan_attempts += 1
        document.scan_detail = detail[:300]
        if document.scan_attempts < MAX_ATTEMPTS:
            document.save(update_fields=["scan_detail", "scan_attempts"])
            return Outcome.ASK_AGAIN
        document.scan_status = Status.SCAN_FAILED
        document.scanned_at = timezone.now()
        document.save(update_fields=_SCAN_FIELDS)
        notify(specs=[_spec(document.uploaded_by_id, MESSAGE_SCAN_FAILED, document)])
        return Outcome.SCAN_FAILED


def _spec(user_id: int, message: str, document: Document) -> NotificationSpec:
    return NotificationSpec(
        user_id=user_id,
        kind=Notification.Kind.DOCUMENT_SCAN,
        message=message,
        url=reverse("documents:detail", args=[document.pk]),
    )


def unit_staff_who_may_see(document: Document) -> list[int]:
    """Active safeguarding unit staff for whom the access rule shows this document (a restricted person's
    document only to unit leads). One query per unit member: a handful of people, in a background task."""
    staff = ModelBackend().with_perm(VIEW_ALL_CASES, is_active=True, include_superusers=False)
    visible = Document.objects.filter(pk=document.pk)
    return [user.pk for user in staff.order_by("pk") if visible.filter(document_scope(user)).exists()]


def _tell_of_infection(document: Document) -> None:
    unit = [pk for pk in unit_staff_who_may_see(document) if pk != document.uploaded_by_id]
    notify(
        specs=[_spec(document.uploaded_by_id, MESSAGE_INFECTED_UPLOADER, document)]
        + [_spec(pk, MESSAGE_INFECTED_UNIT, document) for pk in unit]
    )


def document_ids_waiting(*, now: datetime.datetime | None = None) -> list[int]:
    """Documents still awaiting a scan (clamd was down, the broker missed the task, retries ran out), oldest
    first; read from the partial index of waiting documents."""
    cutoff = (now or timezone.now()) - RESCAN_AFTER
    waiting = Document.objects.filter(scan_status=Status.AWAITING_SCAN, uploaded_at__lte=cutoff)
    return list(waiting.order_by("uploaded_at").values_list("pk", flat=True)[:RESCAN_BATCH])
