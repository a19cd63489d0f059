"""A document kept on a case record.

Each file belongs to exactly one record (the one it was added to: a person, a concern, an enquiry, a
conversation or a meeting) and is visible with it (`msp_cases.access.document_scope`). The person is always
set, so the person's page and the record of access find every document about them; a meeting's document
also names the meeting's enquiry, and a conversation's the conversation's enquiry or concern, so the
enquiry page lists them.

States: awaiting scan → clean | infected | scan failed, or not scanned when no virus scanner is configured;
a letter the service made itself is "made here" from the start. Only a clean, not-scanned or made-here file
is ever served.

Never deleted from the screens: "removed in error" hides it from the case pages with a reason, and keeps the
file and its history for safeguarding unit staff."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone

from msp_cases.audit.history import case_history


def document_storage():
    return storages["documents"]


def stored_name(instance: "Document", filename: str) -> str:
    """A generated name, never the user's: the year and month, a random id, and the extension of the type
    the content was found to be (`filename` here is already that: the service passes only the extension)."""
    suffix = PurePosixPath(filename).suffix.lower()
    now = timezone.now()
    return f"documents/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", "Letter"
        PHOTO = "photo", "Photo"
        REPORT = "report", "Report"
        MINUTES = "minutes", "Minutes"
        OTHER = "other", "Other"

    class ScanStatus(models.TextChoices):
        AWAITING_SCAN = "awaiting_scan", "Waiting for a virus scan"
        CLEAN = "clean", "Scanned: no virus found"
        INFECTED = "infected", "A virus was found"
        SCAN_FAILED = "scan_failed", "Virus scan failed"
        NOT_SCANNED = "not_scanned", "Not scanned for viruses"
        # A letter this service made from a template (msp_cases.letters): nothing came from outside, so
        # there is nothing to scan, and it says so rather than "scanned" or "not scanned".
        MADE_HERE = "made_here", "Made by this service: no virus scan needed"

    # The states in which the file may be read by anyone.
    SERVABLE = (ScanStatus.CLEAN, ScanStatus.NOT_SCANNED, ScanStatus.MADE_HERE)

    # The record it was added to (the most specific one set) and the person it is about.
    person = models.ForeignKey("enquiries.Person", on_delete=models.PROTECT, related_name="documents")
    concern = models.ForeignKey(
        "enquiries.SafeguardingConcern",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    conversation = models.ForeignKey(
        "enquiries.ConversationLog",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    meeting = models.ForeignKey(
        "enquiries.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )

    title = models.CharField(max_length=150)
    kind = models.CharField("what it is", max_length=10, choices=Kind.choices)
    document_date = models.DateField("date on the document", null=True, blank=True)
    provided_by = models.CharField("who provided it", max_length=150, blank=True)

    # The name it was uploaded with, sanitised, for display only; the stored name is generated.
    original_name = models.CharField(max_length=150)
    file = models.FileField(storage=document_storage, upload_to=stored_name, max_length=200)
    content_type = models.CharField(max_length=100)  # as found from the content (libmagic)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    scan_status = models.CharField(max_length=15, choices=ScanStatus.choices)
    # The virus's name, or why the scan failed: for unit staff and the logs, never shown as the file.
    scan_detail = models.CharField(max_length=300, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    scan_attempts = models.PositiveSmallIntegerField(default=0)

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_reason = models.TextField("why it was removed", blank=True)

    history = case_history()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-uploaded_at"], name="document_person_recent"),
            models.Index(
                fields=["enquiry", "-uploaded_at"],
                name="document_enquiry_recent",
                condition=models.Q(enquiry__isnull=False),
            ),
            models.Index(
                fields=["concern", "-uploaded_at"],
                name="document_concern_recent",
                condition=models.Q(concern__isnull=False),
            ),
            models.Index(
                fields=["conversation"],
                name="document_conversation",
                condition=models.Q(conversation__isnull=False),
            ),
            models.Index(
                fields=["meeting"], name="document_meeting", condition=models.Q(meeting__isnull=False)
            ),
            # The scanner's queue: files still waiting, oldest first.
            models.Index(
                fields=["uploaded_at"],
                name="document_awaiting_scan",
                condition=models.Q(scan_status="awaiting_scan"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_servable(self) -> bool:
        return self.scan_status in self.SERVABLE

    @property
    def is_made_here(self) -> bool:
        return self.scan_status == self.ScanStatus.MADE_HERE

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_viewable_inline(self) -> bool:
        """PDFs and images open in the browser (sandboxed); everything else downloads."""
        return self.content_type == "application/pdf" or self.content_type in ("image/jpeg", "image/png")


def held_name(instance: "HeldFile", filename: str) -> str:
    """Held files are kept apart from documents (`held/`), under a generated name as documents are."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"held/{uuid.uuid4().hex}{suffix}"


class HeldFile(models.Model):
    """A file checked and kept before the form it belongs to is sent: chosen in the multi-file upload (which
    sends each file as soon as it is chosen) or sent with the public form. It is attached to nothing, never
    served, and seen by nobody but its `holder`: the user and record of an "Add a document" form
    (`holder_for_record`), or one public form's journey. It becomes a Document (the file checked again) when
    its form is sent, is deleted when removed from the list, and `documents.clear_held` deletes what is left
    after HELD_FILE_HOURS."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    holder = models.CharField(max_length=100, db_index=True)
    original_name = models.CharField(max_length=150)
    file = models.FileField(storage=document_storage, upload_to=held_name, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    held_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


def holder_for_record(*, user, record: models.Model) -> str:
    """Whose held files these are: one user's, for one record's "Add a document" form."""
    return f"{record._meta.label_lower}:{record.pk}:user:{user.pk}"
