"""The safeguarding journey: the adult, the concern raised about them, and the enquiry.

This is the foundation's cut of the models: enough for scoped access, audit and demo data at every stage of
the lifecycle. The full person-led record (decisions, conversations, plans, meetings) builds on it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from msp_cases.accounts.models import Team
from msp_cases.audit.history import IPAddressHistoricalModel


def _history():
    return HistoricalRecords(bases=[IPAddressHistoricalModel], excluded_fields=["updated_at"])


class Person(models.Model):
    """The adult at risk: whose record this is."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    local_identifier = models.CharField(max_length=50, blank=True)

    # Restricted: e.g. the adult is a member of staff. Only the named users and unit leads may see the
    # person or any of their records, whatever team holds the work.
    is_restricted = models.BooleanField("restricted record", default=False)
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_people_named"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = _history()

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("enquiries:person_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        known_as = f" ({self.preferred_name})" if self.preferred_name else ""
        return f"{self.given_name} {self.family_name}{known_as}"


class SafeguardingConcern(models.Model):
    """A concern raised about an adult, awaiting or given a decision on what enquiry, if any, follows."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting decision"
        SECTION_42 = "section_42", "Section 42 enquiry"
        OTHER_ENQUIRY = "other_enquiry", "Other safeguarding enquiry"
        NO_FURTHER_ACTION = "no_further_action", "No further safeguarding action"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="concerns")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="concerns")
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_concerns",
    )
    received_at = models.DateTimeField()
    summary = models.TextField("what happened, in the referrer's words", blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = _history()

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("enquiries:concern_detail", args=[self.pk])


class Enquiry(models.Model):
    """A section 42 (or other) safeguarding enquiry, led by a practitioner in a team."""

    class Type(models.TextChoices):
        SECTION_42 = "section_42", "Section 42 enquiry"
        OTHER = "other", "Other safeguarding enquiry"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        PROPOSED_FOR_CLOSURE = "proposed_for_closure", "Proposed for closure"
        CLOSED = "closed", "Closed"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enquiries")
    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, related_name="enquiries", null=True, blank=True
    )
    enquiry_type = models.CharField(max_length=20, choices=Type.choices, default=Type.SECTION_42)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="enquiries")
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_enquiries",
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = _history()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name_plural = "enquiries"
        permissions = [
            ("view_all_cases", "Can see every team's cases (read-only)"),
            ("view_restricted_records", "Can see restricted records (unit lead)"),
            ("allocate_enquiry", "Can allocate and re-allocate enquiries"),
            ("sign_off_closure", "Can sign off the closure of an enquiry"),
        ]

    def __str__(self) -> str:
        return f"Enquiry {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("enquiries:enquiry_detail", args=[self.pk])
