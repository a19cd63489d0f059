"""Rendering an export once it is queued: claim, render, finish, fail, and later expire. What a worker does
to an export (tasks.py calls it); requesting and queueing are in services.py, handing work to the broker in
tasks.py, so the modules import one way: services -> tasks -> rendering.

Rendering claims the row under a row lock, renders outside it and finishes under the lock again, so a retried
or re-delivered task (a worker killed mid-export) yields exactly one file."""

import datetime
import logging
import time
import traceback

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from . import registry
from .models import Export

logger = logging.getLogger(__name__)

# A worker killed three times on the same export (out of memory on a huge case?) is not tried a fourth time.
MAX_ATTEMPTS = 3
# The render task's time limits (seconds): a case summary of a long case takes a few seconds.
RENDER_SOFT_TIME_LIMIT = 120
RENDER_TIME_LIMIT = 150
# Queued or being prepared for longer than the task's hard time limit plus this: its message was lost.
STUCK_MARGIN = datetime.timedelta(minutes=5)

# Reasons the user can act on; never a traceback or an exception's text.
REASON_NO_ACCESS = "You no longer have access to this case."
REASON_ERROR = (
    "Something went wrong while preparing the file. Try again. If it fails again, contact the service desk "
    "and give them the address of this page."
)
REASON_TOO_LONG = "Preparing the file took too long. Try again in a few minutes."
REASON_TOO_MANY = "The file could not be prepared after several attempts. Try again in a few minutes."

FINISHED = (Export.Status.READY, Export.Status.FAILED, Export.Status.EXPIRED)


def _allowed(export: Export) -> bool:
    spec = registry.get(export.kind)
    user = export.requested_by
    return spec is not None and user.is_active and spec.allowed(user, export.enquiry, export.params)


def export_render(*, export_id) -> Export | None:
    """Render one export, once. Safe to run again for the same row, at the same time or later."""
    with transaction.atomic():
        export = (
            Export.objects.select_for_update(of=("self",))
            .select_related("requested_by", "enquiry")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.status in FINISHED:
            return export
        if export.attempts >= MAX_ATTEMPTS:
            return _fail_locked(export, REASON_TOO_MANY)
        export.status = Export.Status.RENDERING
        export.attempts += 1
        export.started_at = timezone.now()
        export.save(update_fields=["status", "attempts", "started_at"])
        if not _allowed(export):
            return _fail_locked(export, REASON_NO_ACCESS)

    delay = getattr(settings, "EXPORTS_TEST_RENDER_DELAY_SECONDS", 0)
    if delay:  # test hook only (settings/test.py): lets a test kill the worker while an export is rendering
        time.sleep(delay)

    try:
        content = registry.get(export.kind).render(export)
    except Http404:  # the case left the requester's scope between the claim and the render
        return export_fail(export_id=export.pk, reason=REASON_NO_ACCESS)
    except (OperationalError, InterfaceError, SoftTimeLimitExceeded):
        raise  # transient (the task retries) or out of time (the task says so)
    except Exception as exc:
        # The export's id and kind, the exception's type and where it happened; not its message, which may
        # quote case content (a template error, a bad value): no names or case text in logs.
        logger.error(
            "Export %s (%s) failed to render: %s\n%s",
            export.pk,
            export.kind,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        return export_fail(export_id=export.pk, reason=REASON_ERROR)

    return _finish(export_id=export.pk, content=content)


def _finish(*, export_id, content: bytes) -> Export:
    """Save the file and mark the export ready, under the row lock, unless another delivery got there first
    (then nothing is written). If anything fails after the file was written, the file is deleted again, so
    storage never holds a file the database does not point at."""
    written = None
    try:
        with transaction.atomic():
            export = Export.objects.select_for_update().select_related("requested_by").get(pk=export_id)
            if export.status != Export.Status.RENDERING:
                return export  # someone else finished (or it failed or expired) while we rendered
            export.file.save(f"{export.pk}{_extension(export.filename)}", ContentFile(content), save=False)
            written = export.file.name
            now = timezone.now()
            export.size = len(content)
            export.status = Export.Status.READY
            export.finished_at = now
            export.expires_at = now + datetime.timedelta(days=settings.EXPORTS_EXPIRE_DAYS)
            export.failure_reason = ""
            export.save(
                update_fields=["file", "size", "status", "finished_at", "expires_at", "failure_reason"]
            )
            # "Your export is ready" in the bell (and by email, as the user's preference says). After commit
            # and robust: a notification that fails to be raised never undoes a file that is ready.
            transaction.on_commit(lambda: _notify_ready(export), robust=True)
    except BaseException as exc:
        if written:
            _delete_quietly(export.file.storage, written)
        if isinstance(exc, (OperationalError, InterfaceError, SoftTimeLimitExceeded)) or not isinstance(
            exc, Exception
        ):
            raise  # the database went away (the task retries), out of time, or the worker is stopping
        # Storage refused the file (disk full, bucket unreachable): say so, don't leave it "being prepared".
        logger.error("Export %s could not be saved to storage: %s", export_id, type(exc).__name__)
        return export_fail(export_id=export_id, reason=REASON_ERROR)


def _notify_ready(export: Export) -> None:
    from msp_cases.notifications.models import Notification
    from msp_cases.notifications.services import NotificationSpec, notify

    notify(
        specs=[
            NotificationSpec(
                user_id=export.requested_by_id,
                kind=Notification.Kind.EXPORT_READY,
                # The kind of file and the case number only: no names or case content.
                message=f"{export.title}"
                + (f" for enquiry {export.enquiry_id}" if export.enquiry_id else "")
                + " is ready to download",
                url=reverse("exports:detail", args=[export.pk]),
                export_id=export.pk,
            )
        ]
    )


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # already failing; the original error is the one to report
        logger.warning("Could not delete an export file that was not kept")


def _extension(filename: str) -> str:
    return "." + filename.rsplit(".", 1)[-1] if "." in filename else ""


def _fail_locked(export: Export, reason: str) -> Export:
    export.status = Export.Status.FAILED
    export.failure_reason = reason[:300]
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "failure_reason", "finished_at"])
    return export


def export_fail(*, export_id, reason: str) -> Export | None:
    """Mark an unfinished export failed with a reason the user can act on. A finished one is left alone."""
    with transaction.atomic():
        export = Export.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status in FINISHED:
            return export
        return _fail_locked(export, reason)


def export_mark_enqueued(*, export_id) -> None:
    """The broker took the export's task: the requeue job leaves it alone until it is stuck."""
    Export.objects.filter(pk=export_id).update(enqueued_at=timezone.now())


def export_unsent_ids(*, limit: int = 500) -> list:
    """What the broker never took (Redis was down) and what is stuck: queued or being prepared for longer than
    the task may run (its worker died and the message is not coming back soon). Oldest request first."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=RENDER_TIME_LIMIT) - STUCK_MARGIN
    stuck = (
        Q(status=Export.Status.QUEUED, enqueued_at__isnull=True)
        | Q(status=Export.Status.QUEUED, enqueued_at__lt=cutoff)
        | (
            Q(status=Export.Status.RENDERING, started_at__lt=cutoff)
            & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff))
        )
    )
    return list(Export.objects.filter(stuck).order_by("created_at").values_list("pk", flat=True)[:limit])


def export_delete_expired() -> int:
    """Delete the files of ready exports past their expiry; keep the rows (the record of what was
    exported)."""
    expired = 0
    ids = Export.objects.filter(status=Export.Status.READY, expires_at__lte=timezone.now()).values_list(
        "pk", flat=True
    )
    for export_id in list(ids[:1000]):
        with transaction.atomic():
            export = (
                Export.objects.select_for_update().filter(pk=export_id, status=Export.Status.READY).first()
            )
            if export is None or export.expires_at > timezone.now():
                continue
            if export.file:
                export.file.storage.delete(export.file.name)
            export.file = ""
            export.status = Export.Status.EXPIRED
            export.save(update_fields=["file", "status"])
            expired += 1
    return expired
