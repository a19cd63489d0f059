"""Filing a file the service made itself (a letter from msp_cases.letters) as a document on a record: kept,
listed and served as an uploaded document is, under the same access rule, but "made by this service"
instead of waiting for a virus scan, since nothing in it came from outside."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotFound

from .models import Document
from .services import document_attachments

logger = logging.getLogger(__name__)

# What the service makes, and the extension its file is stored with.
MADE_TYPES = {"application/pdf": ".pdf"}


def document_file_made(
    *,
    actor: Actor,
    record: models.Model,
    content: bytes,
    title: str,
    kind: str,
    original_name: str,
    content_type: str = "application/pdf",
    provided_by: str = "",
    detail: str,
) -> Document:
    """Keep `content` on `record` as a document dated today, recorded in the record of access with
    `detail` ("Letter made: ..."). Only someone who may change the record may file on it."""
    if not actor.user.has_perm(EDIT_CASE, record):
        raise NotFound()
    attachments = document_attachments(record)
    now = timezone.now()
    document = Document(
        **attachments,
        title=title[:150],
        kind=kind,
        document_date=timezone.localdate(now),
        provided_by=provided_by[:150],
        original_name=original_name[:150],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        scan_status=Document.ScanStatus.MADE_HERE,
        scanned_at=None,
        uploaded_by=actor.user,
        uploaded_at=now,
    )
    # The storage name is generated (models.stored_name): only the extension is passed on.
    document.file.save(f"made{MADE_TYPES[content_type]}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
            access_record(
                actor=actor,
                obj=document,
                action=AccessEvent.Action.CREATE,
                person=attachments["person"],
                detail=detail,
            )
    except BaseException:
        # Nothing half-kept: the file written before the transaction failed is deleted again.
        try:
            document.file.storage.delete(document.file.name)
        except OSError:
            logger.exception("Could not delete the file of a document not kept: %s", document.file.name)
        raise
    return document
