"""Warnings about a person: what everyone who contacts them or visits must know first ("Do not call when her
son is at home"). Shown at the top of every page about the person (templates/includes/identity_bar.html);
agreed with a manager; reviewed by a date (the drift rule `warning_review`); ended, never deleted."""

from django.conf import settings
from django.db import models

from msp_cases.accounts.models import Team
from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

from .people import Person


class WarningType(models.TextChoices):
    SAFE_CONTACT = "safe_contact", "Safe contact"
    RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
    COMMUNICATION = "communication", "Communication need"
    DO_NOT_DISCLOSE_ADDRESS = "address_withheld", "Do not disclose address"
    OTHER = "other", "Other"


class PersonTold(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class PersonWarning(Versioned):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="warnings")
    type = models.CharField(max_length=20, choices=WarningType.choices)
    what_to_do = models.TextField("what to do")
    starts_on = models.DateField("start date")
    review_on = models.DateField("review date")
    person_told = models.CharField("person told", max_length=3, choices=PersonTold.choices)
    not_told_reason = models.TextField("why the person was not told", blank=True)
    # A manager of a team holding the person's records, never whoever recorded it (the four-eyes rule of
    # enquiries.services.warnings); `team` is the team they agreed it for, whose managers hear if the review
    # is missed.
    agreed_with = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField("end date", null=True, blank=True)
    end_reason = models.TextField("why it ended", blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = case_history()

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [
            # The identity bar's one query: a person's warnings not ended.
            models.Index(
                fields=["person", "starts_on"],
                name="warning_current",
                condition=models.Q(ended_on__isnull=True),
            ),
            # The review drift rule: warnings not ended, by review date.
            models.Index(
                fields=["review_on"], name="warning_review_due", condition=models.Q(ended_on__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.what_to_do[:60]}"
