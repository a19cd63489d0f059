"""Desired outcomes: what the person wants to change, in their own words (Making Safeguarding Personal).

An outcome is never deleted. Changing the words keeps the earlier wording (DesiredOutcomeRevision); an outcome
the person no longer wants is withdrawn with a reason. At closure each outcome records how far it was
achieved as the person sees it (SAC SG4a: Fully / Partially / Not Achieved), and the practitioner's view
where it differs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from enquiries.models import ConversationLog, Enquiry
from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

WORDS_MAX = 2000
NOTE_MAX = 2000


class ExpressedBy(models.TextChoices):
    PERSON = "person", "The person"
    REPRESENTATIVE = "representative", "Their representative"
    ADVOCATE = "advocate", "Their advocate"


class Achievement(models.TextChoices):  # SG4a, labels verbatim
    FULLY = "fully", "Fully Achieved"
    PARTIALLY = "partially", "Partially Achieved"
    NOT = "not", "Not Achieved"


class DesiredOutcome(Versioned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="desired_outcomes")
    words = models.TextField("what the person wants to happen, in their own words", max_length=WORDS_MAX)
    expressed_by = models.CharField("who said it", max_length=20, choices=ExpressedBy.choices)
    expressed_on = models.DateField("when they said it")
    conversation = models.ForeignKey(
        ConversationLog,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="desired_outcomes",
        verbose_name="in which conversation",
    )
    practitioner_note = models.TextField("practitioner's note", max_length=NOTE_MAX, blank=True)
    priority = models.PositiveSmallIntegerField(
        "the person's priority (1 is most important)", null=True, blank=True
    )
    expectations_discussion = models.TextField(
        "discussion about expectations", max_length=NOTE_MAX, blank=True
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    withdrawn_reason = models.TextField("reason for withdrawing", max_length=NOTE_MAX, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    # At closure (SG4a)
    achievement = models.CharField(
        "how far the person feels it was achieved", max_length=10, choices=Achievement.choices, blank=True
    )
    person_comment = models.TextField("the person's comment", max_length=NOTE_MAX, blank=True)
    practitioner_view = models.CharField(
        "the practitioner's view", max_length=10, choices=Achievement.choices, blank=True
    )
    practitioner_comment = models.TextField("the practitioner's comment", max_length=NOTE_MAX, blank=True)
    achievement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    achievement_recorded_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history()

    class Meta:
        ordering = [models.F("priority").asc(nulls_last=True), "created_at", "pk"]

    def __str__(self) -> str:
        return f"Desired outcome {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:outcome_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.conversation_id and self.enquiry_id and self.conversation.enquiry_id != self.enquiry_id:
            errors["conversation"] = "Select a conversation from this enquiry"
        if self.status == self.Status.WITHDRAWN and not self.withdrawn_reason.strip():
            errors["withdrawn_reason"] = "Enter why the outcome is being withdrawn"
        if self.practitioner_view and not self.achievement:
            errors["achievement"] = "Select how far the person feels the outcome was achieved"
        if (
            self.practitioner_view
            and self.achievement
            and self.practitioner_view != self.achievement
            and not self.practitioner_comment.strip()
        ):
            errors["practitioner_comment"] = "Explain why your view differs from the person\u2019s"
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def person(self):
        return self.enquiry.person


class DesiredOutcomeRevision(models.Model):
    """The wording an outcome had before it was revised, and when and by whom it was said. Append-only."""

    outcome = models.ForeignKey(DesiredOutcome, on_delete=models.PROTECT, related_name="revisions")
    previous_words = models.TextField(max_length=WORDS_MAX)
    previous_expressed_by = models.CharField(max_length=20, choices=ExpressedBy.choices)
    previous_expressed_on = models.DateField()
    reason = models.TextField("reason for the change", max_length=NOTE_MAX, blank=True)
    revised_at = models.DateTimeField(auto_now_add=True)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-revised_at", "-pk"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of desired outcome {self.outcome_id}"
