"""Exports: a PDF (or other file) rendered by a Celery task, kept in Django storage for a limited time.

Request → row queued (in the same transaction as nothing else: it is the record of the request) → task
queued after commit → rendering → ready (file saved) or failed (a reason the user can act on) → expired (file
deleted).
One row per request; the task claims it under a row lock, so a retried or re-delivered task never produces a
second file."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models


def export_storage():
    return storages["exports"]


class Export(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    # Not guessable, so an export's address says nothing about how many there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)  # a key of msp_cases.exports.registry
    # What to render, as ids and plain values only (never personal data): e.g. {"enquiry": 12}
    params = models.JSONField(default=dict, blank=True)
    # The case it is about, when it is about one: scoping and the record of access
    enquiry = models.ForeignKey(
        "enquiries.Enquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=150)  # "Case summary", shown on the export page
    filename = models.CharField(max_length=150)  # the name the download is saved as
    content_type = models.CharField(max_length=60, default="application/pdf")
    file = models.FileField(storage=export_storage, upload_to="exports/%Y/%m/", blank=True, max_length=300)
    size = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    # Set when the broker accepted the task; empty while Redis was unreachable (the requeue job sends it)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_requester_recent"),
            models.Index(
                fields=["created_at"],
                name="export_unfinished",
                condition=models.Q(status__in=["queued", "rendering"]),
            ),
            models.Index(fields=["expires_at"], name="export_expiry", condition=models.Q(status="ready")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"
