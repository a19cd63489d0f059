"""What each drift rule finds due now: one query per rule, driven by a partial index, so the cost grows
with the rows due, not with all records. `Only` narrows a rule to one enquiry or concern for
`drift_resolve_cleared`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from ... import timescales
from ...models import Enquiry, PersonWarning, PlanAction, SafeguardingConcern
from ...models.choices import PlanActionStatus
from ...models.drift import DriftPolicy, DriftRule, Reminder

R = DriftRule
# Open plan actions: the same list, in the same order, as the partial index planaction_open_due_on.
OPEN_ACTION_STATUSES = [PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS]


@dataclass(frozen=True)
class Due:
    """One object a rule finds due now."""

    object_id: int
    due_on: datetime.date
    team_id: int
    recipient_id: int | None  # None: the team's managers
    enquiry_id: int | None = None
    concern_id: int | None = None
    plan_action_id: int | None = None


@dataclass(frozen=True)
class Only:
    """Narrows a rule to one enquiry (and its plan actions) or one concern, for `drift_resolve_cleared`: the
    rule's own condition, over that object only. None everywhere means the whole scan."""

    enquiry_id: int | None = None
    concern_id: int | None = None

    def enquiries(self, qs, field: str = "pk"):
        if self.enquiry_id is None and self.concern_id is None:
            return qs
        return qs.filter(**{field: self.enquiry_id}) if self.enquiry_id is not None else qs.none()

    def concerns(self, qs):
        if self.enquiry_id is None and self.concern_id is None:
            return qs
        return qs.filter(pk=self.concern_id) if self.concern_id is not None else qs.none()


EVERYTHING = Only()


def open_enquiries(only: Only):
    # No ORDER BY (the model's default would sort every due row for nothing).
    return only.enquiries(Enquiry.objects.exclude(status=Enquiry.Status.CLOSED).order_by())


def due_next_contact(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    """The next contact agreed with the person has passed, with no conversation since, after the grace."""
    cutoff = timezone.localdate(now) - datetime.timedelta(days=policy.days)
    rows = (
        open_enquiries(only)
        .filter(next_contact_on__isnull=False, next_contact_on__lt=cutoff)
        .values_list("pk", "next_contact_on", "team_id", "lead_practitioner_id")
    )
    return [Due(pk, on, team, lead, enquiry_id=pk) for pk, on, team, lead in rows]


def due_plan_action(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    cutoff = timezone.localdate(now) - datetime.timedelta(days=policy.days)
    rows = (
        only.enquiries(PlanAction.objects.all(), "enquiry_id")
        .filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=cutoff)
        .exclude(enquiry__status=Enquiry.Status.CLOSED)
        .order_by()
        .values_list("pk", "due_on", "enquiry_id", "enquiry__team_id", "enquiry__lead_practitioner_id")
    )
    return [Due(pk, on, team, lead, enquiry_id=e, plan_action_id=pk) for pk, on, e, team, lead in rows]


def due_concern_decision(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    """No decision `days` after the decision timescale (working days). A due time is at least as many calendar
    days after receipt as working days, so received more than (working days + days) calendar days ago is a
    necessary condition, checked in SQL; the exact working-day check runs on those candidates only."""
    grace = datetime.timedelta(days=policy.days)
    necessary = now - datetime.timedelta(days=timescales.decision_working_days()) - grace
    candidates = (
        only.concerns(SafeguardingConcern.objects.all())
        .filter(decision=SafeguardingConcern.Decision.PENDING, received_at__lt=necessary)
        .only("pk", "received_at", "team_id", "allocated_to_id")
        .order_by()
    )
    due = []
    for concern in candidates:
        decision_due = timescales.decision_due(concern)
        if decision_due + grace < now:
            due.append(
                Due(
                    concern.pk,
                    timezone.localdate(decision_due),
                    concern.team_id,
                    concern.allocated_to_id,
                    concern_id=concern.pk,
                )
            )
    return due


def due_manager_review(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    days = datetime.timedelta(days=policy.days)
    rows = (
        open_enquiries(only)
        .filter(last_reviewed_at__lt=now - days)
        .values_list("pk", "last_reviewed_at", "team_id")
    )
    return [Due(pk, timezone.localdate(at + days), team, None, enquiry_id=pk) for pk, at, team in rows]


def due_closure_sign_off(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    days = datetime.timedelta(days=policy.days)
    rows = (
        only.enquiries(Enquiry.objects.all())
        .filter(status=Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at__lt=now - days)
        .order_by()
        .values_list("pk", "proposed_for_closure_at", "team_id")
    )
    return [Due(pk, timezone.localdate(at + days), team, None, enquiry_id=pk) for pk, at, team in rows]


def due_warning_review(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    """A warning about a person not ended and past its review date, after the grace: to whoever recorded
    it, escalating to the managers of the team it was agreed in. A warning is about a person, not an
    enquiry or a concern, so narrowing to one of those finds nothing (its own services resolve it)."""
    if only != EVERYTHING:
        return []
    cutoff = timezone.localdate(now) - datetime.timedelta(days=policy.days)
    rows = (
        PersonWarning.objects.filter(ended_on__isnull=True, review_on__lt=cutoff)
        .order_by()
        .values_list("pk", "review_on", "team_id", "recorded_by_id")
    )
    return [Due(pk, on, team, recorder) for pk, on, team, recorder in rows]


RULES = {
    R.NEXT_CONTACT: due_next_contact,
    R.PLAN_ACTION: due_plan_action,
    R.CONCERN_DECISION: due_concern_decision,
    R.MANAGER_REVIEW: due_manager_review,
    R.CLOSURE_SIGN_OFF: due_closure_sign_off,
    R.WARNING_REVIEW: due_warning_review,
}


@dataclass(frozen=True)
class DriftRuleSpec:
    """A drift rule an app built on enquiries owns (the feedback app: Part 2 outstanding at closure),
    registered from its `AppConfig.ready()` with `register_drift_rule`. The rule itself is a DriftRule value,
    so the organisation sets its days and escalation in the admin like any other."""

    rule: str
    # (policy, now, only=EVERYTHING) -> the Due items, like the built-in rules above.
    due: Callable[..., list[Due]]
    message: str  # "... (due {due})"
    url: Callable[[Reminder], str]  # the exact place to act


REGISTERED: dict[str, DriftRuleSpec] = {}


def register_drift_rule(spec: DriftRuleSpec) -> None:
    """Add a rule to the scan (and to `drift_resolve_cleared`); the same rule again replaces it."""
    REGISTERED[spec.rule] = spec
    RULES[spec.rule] = spec.due
