from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse

from msp_cases.accounts.models import Team
from msp_cases.audit.history import case_history
from msp_cases.core.models import Versioned

from .choices import (
    ActionResult,
    CapacitySupport,
    LacksCapacity,
    MeetingKind,
    MeetingParticipation,
    OutcomesAsked,
    PlanActionStatus,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    YesNoUnknown,
)
from .concerns import RiskTypeOption, SafeguardingConcern
from .people import Person


class Enquiry(Versioned):
    """A section 42 (or other) safeguarding enquiry, led by a practitioner in a team.

    Stage changes only through the transition services in enquiries.services.lifecycle; each is logged as an
    EnquiryEvent."""

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
    proposed_for_closure_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Risk, as SAC counts it at conclusion (copied from the concern when the enquiry opens; kept up to date)
    risk_types = models.ManyToManyField(RiskTypeOption, blank=True, related_name="enquiries")
    risk_location = models.CharField(
        "location of risk", max_length=30, choices=RiskLocation.choices, blank=True
    )
    risk_source = models.CharField("source of risk", max_length=20, choices=RiskSource.choices, blank=True)

    # Mental capacity about the enquiry (SG3a): decision-specific, dated, by whom
    lacks_capacity = models.CharField(
        "did the person lack capacity to make decisions about the enquiry?",
        max_length=20,
        choices=LacksCapacity.choices,
        default=LacksCapacity.NOT_RECORDED,
    )
    capacity_decision = models.CharField("the decision capacity was assessed for", max_length=300, blank=True)
    capacity_assessed_on = models.DateField(null=True, blank=True)
    capacity_assessed_by = models.CharField(max_length=150, blank=True)
    # Advocacy (Care Act s67/s68)
    substantial_difficulty = models.CharField(
        "would the person have substantial difficulty being involved?",
        max_length=10,
        choices=YesNoUnknown.choices,
        blank=True,
    )
    capacity_support = models.CharField(
        "support provided", max_length=20, choices=CapacitySupport.choices, blank=True
    )
    advocacy_referral_on = models.DateField("advocacy referral made on", null=True, blank=True)

    # Making Safeguarding Personal (SG4a)
    outcomes_asked = models.CharField(
        "was the person or their representative asked about their desired outcomes?",
        max_length=20,
        choices=OutcomesAsked.choices,
        default=OutcomesAsked.NOT_RECORDED,
    )
    outcomes_asked_on = models.DateField(null=True, blank=True)

    # Closure (SG2c, SG2e)
    action_result = models.CharField(
        "action and result", max_length=30, choices=ActionResult.choices, blank=True
    )
    risk_outcome = models.CharField(max_length=20, choices=RiskOutcome.choices, blank=True)
    closure_summary = models.TextField("closure summary, written to the person", blank=True)
    # When the conclusion (action and result) was first recorded: drift rule "Part 2 outstanding at closure"
    conclusion_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Anti-drift (enquiries.services.drift). The next contact agreed with the person: set from the latest
    # conversation with the person, or moved with their agreement (AgreedDateChange keeps every move).
    next_contact_on = models.DateField("next contact agreed with the person", null=True, blank=True)
    next_contact_how = models.CharField("how", max_length=150, blank=True)
    # When the latest conversation with the person happened, each entry as amended (None: none yet): kept by
    # the conversation services (services.derived.last_with_person_after), so the team dashboard sorts
    # "longest without a conversation with the person" from an index instead of a lookup per enquiry.
    last_with_person_at = models.DateTimeField(
        "last conversation with the person", null=True, blank=True, editable=False
    )
    # The last manager review (ManagerReview), or when the enquiry opened: "no manager review for N days"
    last_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name_plural = "enquiries"
        # The drift scan reads only open enquiries that are due: partial indexes keep it near the due rows.
        indexes = [
            models.Index(
                fields=["next_contact_on"],
                name="enquiry_open_next_contact",
                condition=~models.Q(status="closed") & models.Q(next_contact_on__isnull=False),
            ),
            models.Index(
                fields=["last_reviewed_at"],
                name="enquiry_open_last_review",
                condition=~models.Q(status="closed"),
            ),
            # The sign-off queue, oldest proposal first (never-dated first), read in order: a page of it
            # for the unit is the first rows of this index, not a sort of every proposal.
            models.Index(
                F("proposed_for_closure_at").asc(nulls_first=True),
                "id",
                include=["team", "person"],
                name="enquiry_proposed_at",
                condition=models.Q(status="proposed_for_closure"),
            ),
            # The team dashboard's figures (stage by age, caseload per practitioner, next contacts passed)
            # from the index alone: an index-only scan of the open enquiries of the teams in scope, not a
            # visit to every open enquiry's row (docs/performance.md).
            models.Index(
                fields=["team"],
                include=["id", "status", "opened_at", "lead_practitioner", "next_contact_on", "person"],
                name="enquiry_open_team_figures",
                condition=~models.Q(status="closed"),
            ),
            # The team dashboard's open enquiries, longest without a conversation with the person (or since
            # opening, when there has been none) first: its ORDER BY ... LIMIT read from the index.
            models.Index(
                Coalesce("last_with_person_at", "opened_at"),
                "id",
                name="enquiry_open_silent_since",
                condition=~models.Q(status="closed"),
            ),
            models.Index(
                fields=["conclusion_recorded_at"],
                name="enquiry_open_concluded_at",
                condition=~models.Q(status="closed") & models.Q(conclusion_recorded_at__isnull=False),
            ),
            # The timeliness report: enquiries closed in a period, from the index alone (docs/performance.md).
            models.Index(
                fields=["closed_at"],
                include=["team", "enquiry_type", "opened_at"],
                name="enquiry_closed_at",
                condition=models.Q(status="closed"),
            ),
            # The access rule's "one of their enquiries is visible": the people of a team's enquiries, or of
            # a lead practitioner's, open or closed, from the index alone (msp_cases/access.py).
            models.Index(fields=["team"], include=["person"], name="enquiry_team_person"),
            models.Index(fields=["lead_practitioner"], include=["person"], name="enquiry_lead_person"),
        ]
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

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class EnquiryEvent(models.Model):
    """A step in an enquiry's life: opened, allocated, moved on, proposed for closure, returned, closed,
    reopened. Append-only; the timeline and the audit read it."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Enquiry opened"
        ALLOCATED = "allocated", "Allocated"
        STARTED = "started", "Work started"
        PROPOSED = "proposed", "Proposed for closure"
        RETURNED = "returned", "Closure returned with comments"
        CLOSED = "closed", "Closure signed off"
        REOPENED = "reopened", "Reopened"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%d %b %Y})"


class PlanAction(Versioned):
    """One action in the safeguarding plan: what, who, by when, and whether the person agreed it."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="plan_actions")
    what = models.TextField()
    who = models.CharField(max_length=150)
    due_on = models.DateField("by when")
    agreed_with_person = models.BooleanField("agreed with the person", default=False)
    status = models.CharField(
        max_length=20, choices=PlanActionStatus.choices, default=PlanActionStatus.NOT_STARTED
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # With the enquiry, so the dashboard counts overdue actions per practitioner from the index.
            models.Index(
                fields=["due_on"],
                include=["enquiry"],
                name="planaction_open_due_on",
                condition=models.Q(status__in=["not_started", "in_progress"]),
            )
        ]

    def __str__(self) -> str:
        return self.what[:60]


class Meeting(Versioned):
    """A planning or strategy meeting or case conference, and how the person took part."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField()
    attendees = models.TextField("who attended")
    participation = models.CharField(
        "how the person took part", max_length=20, choices=MeetingParticipation.choices
    )
    persons_views = models.TextField("the person's views put to the meeting", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = case_history()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"


class ManagerReview(models.Model):
    """A manager's review of an enquiry (supervision): what they noted, seen by the practitioner. Recording
    one clears the "no manager review" drift reminder (Enquiry.last_reviewed_at). Append-only."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="manager_reviews")
    reviewed_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("supervision note")
    created_at = models.DateTimeField(auto_now_add=True)
    history = case_history()

    class Meta:
        ordering = ["reviewed_at", "pk"]

    def __str__(self) -> str:
        return f"Manager review on {self.reviewed_at:%d %b %Y}"


class AgreedDateChange(models.Model):
    """A date agreed with the person, moved with their agreement: timescales fit the person, and every move is
    kept with why. Either the enquiry's next contact (plan_action empty) or a plan action's due date."""

    class What(models.TextChoices):
        NEXT_CONTACT = "next_contact", "Next contact with the person"
        PLAN_ACTION = "plan_action", "Plan action due date"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="agreed_date_changes")
    what = models.CharField(max_length=20, choices=What.choices)
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.PROTECT, null=True, blank=True, related_name="date_changes"
    )
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField()
    reason = models.TextField("why the date moved")
    person_agreed = models.BooleanField("the person agreed to the new date")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="agreed_date_change_target",
                condition=(models.Q(what="plan_action", plan_action__isnull=False))
                | (models.Q(what="next_contact", plan_action__isnull=True)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()} moved to {self.to_date:%d %b %Y}"
