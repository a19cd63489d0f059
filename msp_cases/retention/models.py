"""What retention keeps: each person's review date (stored, so the list of records due is an index range at
any scale), the legal holds placed on a record, and the disposals proposed, approved and carried out. None is
ever deleted: a lifted hold and a carried-out disposal stay, with who, when and why."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from msp_cases.audit.history import case_history


class RetentionSchedule(models.Model):
    """A person's record as retention sees it: when its last concern or enquiry closed, and when it is due for
    review (that day plus RETENTION_YEARS). Kept by `services.schedule_refresh` each night; no review date
    while anything is open or once the record was disposed of."""

    person = models.OneToOneField(
        "enquiries.Person", on_delete=models.PROTECT, primary_key=True, related_name="retention"
    )
    last_closed_at = models.DateTimeField("last closed", null=True, blank=True)
    review_due_on = models.DateField("due for review", null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The records due for review, soonest first: a range of this index, a page at a time.
            models.Index(
                F("review_due_on").asc(),
                "person",
                name="retention_review_due",
                condition=Q(review_due_on__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"Retention of person {self.person_id}"


class LegalHold(models.Model):
    """An instruction not to destroy the record (an inquiry's notice, a Safeguarding Adults Review,
    litigation). While it is not lifted nothing of the record may be disposed of. Lifted, never deleted."""

    person = models.ForeignKey("enquiries.Person", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField("why the record must be kept")
    reference = models.CharField("reference", max_length=100, blank=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField("why the hold was lifted", blank=True)

    history = case_history()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [
            models.Index(fields=["person"], name="legal_hold_active", condition=Q(lifted_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Disposal(models.Model):
    """The disposal of one person's record: proposed by one unit lead, approved by another (never the same),
    then carried out by a task. Kept for ever, with what was removed as counts, never content."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved, being carried out"
        CARRIED_OUT = "carried_out", "Disposed of"
        WITHDRAWN = "withdrawn", "Withdrawn"
        STOPPED = "stopped", "Stopped by a legal hold"

    PENDING = (Status.PROPOSED, Status.APPROVED)

    person = models.ForeignKey("enquiries.Person", on_delete=models.PROTECT, related_name="disposals")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    reason = models.TextField("why the record can be disposed of")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Withdrawn by a unit lead, or stopped by a legal hold: who, when and why.
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    carried_out_at = models.DateTimeField(null=True, blank=True)
    # What was removed, as counts by kind of record ("Conversations": 4): never what they said.
    removed = models.JSONField(default=dict, blank=True)

    history = case_history()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        permissions = [("manage_retention", "Can review, hold and dispose of closed cases (unit lead)")]
        constraints = [
            # "Nobody approves their own": kept by the database as well as the service.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="disposal_approved_by_another",
            ),
            # One disposal in progress for a person at a time; one carried out, ever.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["proposed", "approved"]),
                name="disposal_one_pending",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="carried_out"), name="disposal_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Disposal {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class DueNotice(models.Model):
    """The month's "records due for review" notice was sent: one row per month (the unique key), so a
    retried or repeated task never tells the unit leads twice."""

    month = models.DateField(unique=True)  # its first day
    due_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Retention notice for {self.month:%B %Y}"
