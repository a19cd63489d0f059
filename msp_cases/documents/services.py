"""Writes on documents: add files to a record, remove one "in error". Every write is checked against the
shared access rule (`edit_case` on the record), recorded in the record of access, and queues the virus scan
after commit when a scanner is configured."""

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from msp_cases.accounts.roles import EDIT_CASE, SCREEN_REFERRAL
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotFound, ServiceRefused

from . import held as held_files
from . import scanner, tasks
from .files import CheckedFile, FileRefused, check_file
from .models import Document, HeldFile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """One file as it came: the name it was given and its content (a Django UploadedFile, or anything with
    `size` and `chunks()` or `read()`)."""

    name: str
    file: object


def document_attachments(record: models.Model) -> dict[str, models.Model]:
    """The fields a document added to `record` sets: the record itself, the person it is about, and for a
    meeting or a conversation the enquiry (or concern) it belongs to, so that page lists it too."""
    label = record._meta.label
    if label == "enquiries.Person":
        return {"person": record}
    if label == "enquiries.SafeguardingConcern":
        return {"person": record.person, "concern": record}
    if label == "enquiries.Enquiry":
        return {"person": record.person, "enquiry": record}
    if label == "enquiries.ConversationLog":
        return {
            "person": record.person,
            "conversation": record,
            "enquiry": record.enquiry,
            "concern": record.concern,
        }
    if label == "enquiries.Meeting":
        return {"person": record.enquiry.person, "meeting": record, "enquiry": record.enquiry}
    raise ValueError(f"Documents cannot be added to a {label}")


def document_upload_problems(*, uploads: Sequence[Upload]) -> tuple[list[CheckedFile], list[str]]:
    """Every file checked, and every refusal at once (one message per file at fault)."""
    if not uploads:
        return [], ["Select a file"]
    if len(uploads) > settings.DOCUMENT_MAX_FILES:
        return [], [f"Select up to {settings.DOCUMENT_MAX_FILES} files at a time"]
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append(check_file(upload.name, upload.file))
        except FileRefused as refused:
            problems.append(refused.message)
    return checked, problems


def document_upload(
    *,
    actor: Actor,
    record: models.Model,
    uploads: Sequence[Upload],
    title: str,
    kind: str,
    document_date: datetime.date | None = None,
    provided_by: str = "",
) -> list[Document]:
    """Keep these files on `record`, all or none: one file refused (empty, too large, not the type its name
    says, not an allowed type) refuses the upload and nothing is stored. With several files, each is titled
    with the title and its own name."""
    if not actor.user.has_perm(EDIT_CASE, record):
        raise NotFound()
    return _documents_keep(
        actor=actor,
        record=record,
        uploads=uploads,
        title=title,
        kind=kind,
        document_date=document_date,
        provided_by=provided_by,
    )


def _documents_keep(
    *,
    actor: Actor,
    record: models.Model,
    uploads: Sequence[Upload],
    title: str,
    kind: str,
    document_date: datetime.date | None,
    provided_by: str,
) -> list[Document]:
    """`document_upload` once the actor's right to add them is settled."""
    checked, problems = document_upload_problems(uploads=uploads)
    if problems:
        raise ValidationError({"files": problems})
    attachments = document_attachments(record)
    status = Document.ScanStatus.AWAITING_SCAN if scanner.is_configured() else Document.ScanStatus.NOT_SCANNED
    saved: list[Document] = []
    try:
        with transaction.atomic():
            for item in checked:
                document = Document(
                    **attachments,
                    title=title if len(checked) == 1 else f"{title}: {item.display_name}"[:150],
                    kind=kind,
                    document_date=document_date,
                    provided_by=provided_by,
                    original_name=item.display_name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                    scan_status=status,
                    uploaded_by=actor.user,
                    uploaded_at=timezone.now(),
                )
                # The storage name is generated (models.stored_name): only the extension is passed on.
                document.file.save(f"upload{item.extension}", ContentFile(item.content), save=False)
                saved.append(document)
                document.full_clean()
                document.save()
                access_record(
                    actor=actor,
                    obj=document,
                    action=AccessEvent.Action.CREATE,
                    person=attachments["person"],
                    detail=f"Document added: {document.get_kind_display()}",
                )
                if status == Document.ScanStatus.AWAITING_SCAN:
                    pk = document.pk
                    transaction.on_commit(lambda pk=pk: tasks.document_scan_enqueue(document_id=pk))
    except BaseException:
        # Nothing half-kept: a file written before the transaction failed is deleted again.
        for document in saved:
            try:
                document.file.storage.delete(document.file.name)
            except OSError:
                logger.exception("Could not delete the file of an upload that failed: %s", document.file.name)
        raise
    return saved


def document_remove(*, actor: Actor, document: Document, reason: str) -> Document:
    """ "Removed in error": hidden from the case pages with a reason, never deleted. The file and its history
    stay for safeguarding unit staff (`access.document_scope`)."""
    if not actor.user.has_perm(EDIT_CASE, document):
        raise NotFound()
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the document is being removed"})
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.removed_at is not None:
            raise ServiceRefused("This document has already been removed")
        locked.removed_at = timezone.now()
        locked.removed_by = actor.user
        locked.removed_reason = reason.strip()
        locked.full_clean()
        locked.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        access_record(
            actor=actor,
            obj=locked,
            action=AccessEvent.Action.CHANGE,
            person=locked.person,
            detail="Document removed in error",
        )
    return locked


def document_read_record(*, actor: Actor, document: Document, inline: bool) -> None:
    """A file was opened (viewed in the browser) or downloaded: recorded like a page view."""
    access_record(
        actor=actor,
        obj=document,
        action=AccessEvent.Action.VIEW if inline else AccessEvent.Action.DOWNLOAD,
        person=document.person,
        detail=f"Document {'viewed' if inline else 'downloaded'}: {document.get_kind_display()}",
    )


def held_uploads(held: Sequence[HeldFile]) -> list[Upload]:
    """Held files (`held.py`) as uploads, to be checked again and kept by `document_upload`."""
    return [Upload(name=item.original_name, file=item.file) for item in held]


def document_upload_with_held(
    *,
    actor: Actor,
    record: models.Model,
    uploads: Sequence[Upload],
    held: Sequence[HeldFile],
    title: str,
    kind: str,
    document_date: datetime.date | None = None,
    provided_by: str = "",
) -> list[Document]:
    """`services.document_upload` of the files sent with the form and the files held for it, all or none;
    the held copies deleted only if the documents are kept."""
    with transaction.atomic():
        documents = document_upload(
            actor=actor,
            record=record,
            uploads=[*uploads, *held_uploads(held)],
            title=title,
            kind=kind,
            document_date=document_date,
            provided_by=provided_by,
        )
        held_files.held_release(held)
    return documents


def document_upload_received(
    *, actor: Actor, record: models.Model, held: Sequence[HeldFile], title: str, provided_by: str
) -> list[Document]:
    """Files that came in with a report from outside (the public "Report a concern" form, held since it was
    sent), filed on the concern its screening records. Filed by the person screening it, on the front
    door's permission (SCREEN_REFERRAL) rather than `edit_case`, which a concern routed to another team does
    not give them. Each file is checked again and scanned as any other; "Other", since the sender did not
    say what each is. The held copies are let go."""
    if not actor.user.has_perm(SCREEN_REFERRAL):
        raise NotFound()
    if not held:
        return []
    with transaction.atomic():
        documents = _documents_keep(
            actor=actor,
            record=record,
            uploads=held_uploads(held),
            title=title,
            kind=Document.Kind.OTHER,
            document_date=None,
            provided_by=provided_by,
        )
        held_files.held_release(held)
    return documents
