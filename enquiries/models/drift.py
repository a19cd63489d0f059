"""Anti-drift: the rules (configurable in the admin) and the reminders they raise.

"Being flexible about timescales to fit in with the person, but not allowing cases to drift" (seed 000).
The scan lives in enquiries.services.drift; a reminder is raised at most once per (rule, object, due date) by
a unique constraint, and resolves itself when its condition clears.
"""

from django.conf import settings
from django.db import models

from msp_cases.accounts.models import Team

from .concerns import SafeguardingConcern
from .enquiries import Enquiry, PlanAction


class DriftRule(models.TextChoices):
    NEXT_CONTACT = "next_contact", "Agreed next contact with the person has passed"
    PLAN_ACTION = "plan_action", "Plan action past its due date"
    CONCERN_DECISION = "concern_decision", "Concern awaiting a decision"
    MANAGER_REVIEW = "manager_review", "No manager review"
    CLOSURE_SIGN_OFF = "closure_sign_off", "Closure awaiting sign-off"
    PART2_OUTSTANDING = "part2_outstanding", "Part 2 outstanding at closure"
    WARNING_REVIEW = "warning_review", "Warning about a person past its review date"


class DriftPolicy(models.Model):
    """How one drift rule applies in this organisation (one deployment serves one organisation). Edited in the
    admin; the defaults are created by a data migration and documented in docs/background-work.md."""

    rule = models.CharField(max_length=24, choices=DriftRule.choices, unique=True)
    enabled = models.BooleanField(default=True)
    days = models.PositiveSmallIntegerField(
        help_text="Grace period or threshold in days (for concern decisions: added to the decision timescale)"
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        default=5, help_text="Days a reminder stays unresolved before it escalates to the team's managers"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule"]
        verbose_name_plural = "drift policies"

    def __str__(self) -> str:
        return self.get_rule_display()


class Reminder(models.Model):
    """One occurrence of drift: rule × object × due date. The unique constraint, not a check-then-insert,
    makes a second scan, a second worker or a retried task a no-op."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    rule = models.CharField(max_length=24, choices=DriftRule.choices)
    # The enquiry, concern or plan action the rule is about (which one is implied by the rule).
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    concern = models.ForeignKey(
        SafeguardingConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    # Who is asked to act first (the lead practitioner, or the team's managers when there is none)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "object_id", "due_on"], name="reminder_once_per_due_date")
        ]
        indexes = [
            models.Index(
                fields=["rule", "object_id"],
                name="reminder_open_rule_object",
                condition=models.Q(status="open"),
            ),
            models.Index(fields=["enquiry", "status"], name="reminder_enquiry_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} (due {self.due_on:%d %b %Y})"
