from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse

from msp_cases.accounts.models import Team
from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

from .choices import AllegedHarmBy, RiskLocation, RiskSource, RiskType, YesNoUnknown
from .people import Person
from .providers import CareProvider


class RiskTypeOption(models.Model):
    """One SAC type of risk (SG2a). Rows are created by a data migration from `choices.RiskType`; a concern or
    enquiry has several, and SAC counts an enquiry once in each."""

    code = models.CharField(max_length=30, primary_key=True, choices=RiskType.choices)
    label = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class SafeguardingConcern(Versioned):
    """A concern raised about an adult, and the decision on what enquiry, if any, follows."""

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
    # Why it went from one practitioner to another (enquiries.services.concern_allocation); the history keeps
    # each one with who allocated it and when.
    allocation_reason = models.TextField("reason for the re-allocation", blank=True)
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Referrer (may be anonymous)
    referrer_anonymous = models.BooleanField("the referrer wishes to stay anonymous", default=False)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_organisation = models.CharField(max_length=150, blank=True)
    referrer_relationship = models.CharField("relationship to the person", max_length=150, blank=True)
    referrer_contact = models.CharField("referrer's contact details", max_length=200, blank=True)

    summary = models.TextField("what happened, in the referrer's words", blank=True)
    risk_types = models.ManyToManyField(RiskTypeOption, blank=True, related_name="concerns")
    risk_location = models.CharField(
        "location of risk", max_length=30, choices=RiskLocation.choices, blank=True
    )
    risk_source = models.CharField("source of risk", max_length=20, choices=RiskSource.choices, blank=True)
    immediate_actions = models.TextField("immediate actions taken to keep people safe", blank=True)
    person_aware = models.CharField(
        "does the person know about the concern?", max_length=10, choices=YesNoUnknown.choices, blank=True
    )
    person_initial_views = models.TextField("the person's first views", blank=True)

    # Who is alleged to have caused harm: a person, a care provider (a record of its own), or not known.
    alleged_harm_by = models.CharField(
        "who is alleged to have caused harm", max_length=20, choices=AllegedHarmBy.choices, blank=True
    )
    alleged_person_name = models.CharField("their name", max_length=150, blank=True)
    alleged_person_relationship = models.CharField(
        "their relationship to the adult", max_length=150, blank=True
    )
    alleged_person_at_risk = models.CharField(
        "are they also an adult at risk?", max_length=10, choices=YesNoUnknown.choices, blank=True
    )
    alleged_person_known_to_services = models.CharField(
        "are they known to services?", max_length=10, choices=YesNoUnknown.choices, blank=True
    )
    alleged_provider = models.ForeignKey(
        CareProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        db_index=False,  # the partial index below: most concerns name no provider
        verbose_name="care provider",
    )

    # Decision
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    criteria_care_needs = models.BooleanField("has needs for care and support", null=True, blank=True)
    criteria_abuse_or_neglect = models.BooleanField(
        "is experiencing, or at risk of, abuse or neglect", null=True, blank=True
    )
    criteria_unable_to_protect = models.BooleanField(
        "as a result of those needs is unable to protect themselves", null=True, blank=True
    )
    decision_rationale = models.TextField(blank=True)
    decision_person_involvement = models.TextField("how the person was involved in the decision", blank=True)
    no_further_action_response = models.TextField("advice, signposting or other services", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The drift scan and the team dashboard: concerns still awaiting a decision, oldest first, with
            # what the dashboard counts and lists them by, so its figures are an index-only scan.
            models.Index(
                fields=["received_at", "id"],
                include=["team", "person", "allocated_to"],
                name="concern_pending_received",
                condition=models.Q(decision="pending"),
            ),
            # The team dashboard's concerns waiting for a worker, a team at a time, oldest first.
            models.Index(
                fields=["team", "received_at", "id"],
                include=["person"],
                name="concern_unallocated",
                condition=models.Q(decision="pending", allocated_to__isnull=True),
            ),
            # The timeliness report: concerns decided in a period, from the index alone (docs/performance.md).
            models.Index(
                fields=["decided_at"],
                include=["received_at", "team"],
                name="concern_decided_at",
                condition=~models.Q(decision="pending"),
            ),
            # Repeat concerns: those naming a provider, or someone of the same name, newest first.
            models.Index(
                fields=["alleged_provider", "-received_at"],
                name="concern_alleged_provider",
                condition=models.Q(alleged_provider__isnull=False),
            ),
            models.Index(
                Lower("alleged_person_name"),
                F("received_at").desc(),
                name="concern_alleged_person_name",
                condition=~models.Q(alleged_person_name=""),
            ),
            # The access rule's "one of their concerns is visible" (person search, the person's pages): the
            # people of a team's concerns, or of a worker's, from the index alone (msp_cases/access.py).
            models.Index(fields=["team"], include=["person"], name="concern_team_person"),
            models.Index(fields=["allocated_to"], include=["person"], name="concern_allocated_person"),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("enquiries:concern_detail", args=[self.pk])

    @property
    def meets_section_42_criteria(self) -> bool:
        return bool(
            self.criteria_care_needs and self.criteria_abuse_or_neglect and self.criteria_unable_to_protect
        )
