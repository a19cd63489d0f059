"""Files held before their form is sent (`models.HeldFile`).

MOJ Frontend's multi-file upload sends each file the moment it is chosen (its `uploadUrl`), lists it under
"Files added" with a Delete button (its `deleteUrl`), and only then is the form with the title, what the
files are and their date sent. So a file is checked on arrival exactly as a file sent with the form is
(`files.check_file`: type from the content by libmagic, size, photos without their metadata), refused with
nothing stored, and held: attached to no record, never served, visible to nobody but its holder. When the
form is sent, `services.document_upload_with_held` makes documents of the held files through
`services.document_upload` (which checks each file again and queues its virus scan), all or none, and lets
the held copies go.
`held_clear_expired` (beat, hourly) deletes files held longer than HELD_FILE_HOURS whose form never came.

A holder is a string: one user on one record's form (`models.holder_for_record`), or one public form's
journey (msp_cases.frontdoor). Anyone else's token finds nothing. A holder starting with KEPT ("kept:") is
not cleared by age: its owner deletes its files (the front door keeps a sent report's files until it is
screened)."""

import datetime
import logging
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .files import FileRefused, check_file
from .models import HeldFile

logger = logging.getLogger(__name__)

HELD_FILE_HOURS = 24
KEPT = "kept:"
CLEAR_BATCH = 500


def held_file_add(
    *, holder: str, upload, max_files: int | None = None, max_bytes: int | None = None
) -> HeldFile:
    """Check one file (a `services.Upload`) and hold it for `holder`. Raises FileRefused (nothing is
    stored) for a file the form would refuse, or when the holder already holds `max_files`
    (DOCUMENT_MAX_FILES unless a form allows fewer)."""
    max_files = max_files or settings.DOCUMENT_MAX_FILES
    checked = check_file(upload.name, upload.file, max_bytes=max_bytes)
    with transaction.atomic():
        # Two files sent at once by the same holder are counted one after the other.
        held_count = len(
            HeldFile.objects.select_for_update().filter(holder=holder).values_list("pk", flat=True)
        )
        if held_count >= max_files:
            raise FileRefused(
                f"You can add up to {max_files} files. Delete one to add “{checked.display_name}”"
            )
        held = HeldFile(
            holder=holder,
            original_name=checked.display_name,
            content_type=checked.content_type,
            size=checked.size,
        )
        held.file.save(f"held{checked.extension}", ContentFile(checked.content), save=False)
        try:
            held.full_clean()
            held.save()
        except BaseException:
            _delete_file(held.file.name)
            raise
    return held


def _tokens(values: Sequence[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue  # not a token: nothing of anyone's
    return found


def held_files(*, holder: str, tokens: Sequence[str] | None = None) -> list[HeldFile]:
    """The files `holder` holds (those named by `tokens` when given), oldest first. Another holder's token,
    or a token already used, finds nothing."""
    held = HeldFile.objects.filter(holder=holder)
    if tokens is not None:
        held = held.filter(token__in=_tokens(tokens))
    return list(held)


def held_file_discard(*, holder: str, token: str) -> bool:
    """Delete one held file (its Delete button). False if the holder holds no such file."""
    [found] = _tokens([token]) or [None]
    if found is None:
        return False
    with transaction.atomic():
        held = HeldFile.objects.select_for_update().filter(holder=holder, token=found).first()
        if held is None:
            return False
        name = held.file.name
        held.delete()
        transaction.on_commit(lambda: _delete_file(name))
    return True


def held_files_transfer(*, from_holder: str, to_holder: str, max_files: int) -> int:
    """Hand the files one holder holds (at most `max_files`, oldest first) to another: a public form's
    journey's files to the report it sent. Returns how many."""
    ids = list(
        HeldFile.objects.filter(holder=from_holder).order_by("held_at", "pk").values_list("pk", flat=True)
    )[:max_files]
    return HeldFile.objects.filter(pk__in=ids).update(holder=to_holder)


def held_release(held: Sequence[HeldFile]) -> None:
    """The held copies let go once their documents are kept: rows now, files after commit."""
    names = [item.file.name for item in held]
    HeldFile.objects.filter(pk__in=[item.pk for item in held]).delete()
    transaction.on_commit(lambda: [_delete_file(name) for name in names])


def held_clear_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete files held longer than HELD_FILE_HOURS (their form was never sent), oldest first, up to
    CLEAR_BATCH a run. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=HELD_FILE_HOURS)
    expired = list(
        HeldFile.objects.filter(held_at__lt=cutoff)
        .exclude(holder__startswith=KEPT)
        .order_by("held_at")[:CLEAR_BATCH]
    )
    with transaction.atomic():
        held_release(expired)
    return len(expired)


def _delete_file(name: str) -> None:
    try:
        HeldFile.file.field.storage.delete(name)
    except OSError:
        # The row is gone; a file left behind is under held/, never served, and named by nothing.
        logger.exception("Could not delete a held file: %s", name)
