"""The anti-drift scan: "being flexible about timescales to fit in with the person, but not allowing cases to
drift" (seed 000).

`drift_scan` runs every rule in DriftPolicy (edited in the admin) and, for each:

1. reads the rows that are **due** now, in one query driven by a partial index (so the cost grows with the
   rows due, not with all records);
2. raises one Reminder per (rule, object, due date) with `bulk_create(ignore_conflicts=True)`: the unique
   constraint, not a check-then-insert, decides "already raised", so two beat runs, two workers or a retried
   task raise it once (the keys read beforehand only count what was new);
3. resolves the open reminders of the rule that are no longer in its due set with that due date (a
   conversation happened, the date moved, the action was done, the review recorded...). The services whose
   action clears a rule already resolve its reminders in their own transaction (`drift_resolve_cleared`),
   so this step is the safety net: time moving on, a policy changed, data repaired in the admin.

Then, for all rules at once: escalation (an open reminder older than the rule's `escalate_after_days` is
marked with a guarded UPDATE `escalated_at IS NULL`, so only one scan wins it), and notifications: every open
reminder's recipients get a REMINDER notification, and an escalated one's team managers an ESCALATION, each
at most once (the Notification unique constraint). Working out notifications from the reminders' state, not
from what this run did, means a scan that died half-way is caught up by the next one.

Decisions where the guidance is silent:
- A **disabled** rule raises nothing and resolves its open reminders (the organisation stopped tracking that
  drift; leaving them open would escalate them for ever). Enabling it again raises them afresh.
- Rules whose first recipients are already the team's managers (no manager review, closure not signed off,
  and any reminder for a case with no lead practitioner) **do not escalate**: there is nobody above them in
  the service.
- When the lead practitioner changes, an open reminder follows the new lead (they are notified too).
- Messages carry no names or case text; the url is the exact page to act on.
- Nobody is told about a case they may not open (msp_cases.access): for a **restricted** person only those
  named on the record and the unit leads are candidates. A reminder goes to the first who may open the case
  of: the lead practitioner (or whoever holds the concern), the team's managers, the unit leads; an
  escalation to the team's managers who may open it, else the unit leads. Falling back to the unit leads,
  rather than to nobody, keeps a restricted case that no one in its team is named on from drifting unseen:
  a unit lead can name someone on it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from msp_cases import access
from msp_cases.accounts.models import User
from msp_cases.accounts.roles import SIGN_OFF
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from .. import timescales
from ..models import Enquiry, PlanAction, SafeguardingConcern
from ..models.choices import PlanActionStatus
from ..models.drift import DriftPolicy, DriftRule, Reminder

R = DriftRule
# Open plan actions: the same list, in the same order, as the partial index planaction_open_due_on.
OPEN_ACTION_STATUSES = [PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS]
MANAGERS_FIRST = {R.MANAGER_REVIEW, R.CLOSURE_SIGN_OFF}
SIGN_OFF_PERMISSION = tuple(SIGN_OFF.split("."))  # (app label, codename)


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


# What each rule finds due ----------------------------------------------------------------------------------


def _open_enquiries(only: Only):
    # No ORDER BY (the model's default would sort every due row for nothing).
    return only.enquiries(Enquiry.objects.exclude(status=Enquiry.Status.CLOSED).order_by())


def _due_next_contact(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    """The next contact agreed with the person has passed, with no conversation since, after the grace."""
    cutoff = timezone.localdate(now) - datetime.timedelta(days=policy.days)
    rows = (
        _open_enquiries(only)
        .filter(next_contact_on__isnull=False, next_contact_on__lt=cutoff)
        .values_list("pk", "next_contact_on", "team_id", "lead_practitioner_id")
    )
    return [Due(pk, on, team, lead, enquiry_id=pk) for pk, on, team, lead in rows]


def _due_plan_action(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    cutoff = timezone.localdate(now) - datetime.timedelta(days=policy.days)
    rows = (
        only.enquiries(PlanAction.objects.all(), "enquiry_id")
        .filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=cutoff)
        .exclude(enquiry__status=Enquiry.Status.CLOSED)
        .order_by()
        .values_list("pk", "due_on", "enquiry_id", "enquiry__team_id", "enquiry__lead_practitioner_id")
    )
    return [Due(pk, on, team, lead, enquiry_id=e, plan_action_id=pk) for pk, on, e, team, lead in rows]


def _due_concern_decision(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
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


def _due_manager_review(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    days = datetime.timedelta(days=policy.days)
    rows = (
        _open_enquiries(only)
        .filter(last_reviewed_at__lt=now - days)
        .values_list("pk", "last_reviewed_at", "team_id")
    )
    return [Due(pk, timezone.localdate(at + days), team, None, enquiry_id=pk) for pk, at, team in rows]


def _due_closure_sign_off(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    days = datetime.timedelta(days=policy.days)
    rows = (
        only.enquiries(Enquiry.objects.all())
        .filter(status=Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at__lt=now - days)
        .order_by()
        .values_list("pk", "proposed_for_closure_at", "team_id")
    )
    return [Due(pk, timezone.localdate(at + days), team, None, enquiry_id=pk) for pk, at, team in rows]


def part2_done_q(enquiry_ref: str = "pk") -> Exists:
    """Part 2 counts for closure (ExperienceFeedbackPart2.is_done, in SQL): answered, or not approached with
    a reason a manager agreed."""
    from feedback.models import ExperienceFeedbackPart2

    return Exists(
        ExperienceFeedbackPart2.objects.filter(enquiry_id=OuterRef(enquiry_ref)).filter(
            Q(approached=True) | (~Q(not_approached_reason="") & Q(manager_agreed_by__isnull=False))
        )
    )


def _due_part2_outstanding(policy: DriftPolicy, now: datetime.datetime, only: Only = EVERYTHING) -> list[Due]:
    """ "Part 2 is outstanding at closure": the conclusion was recorded `days` ago and Part 2 is still missing
    (or not approached without a manager's agreement), and the enquiry is not closed."""
    days = datetime.timedelta(days=policy.days)
    rows = (
        _open_enquiries(only)
        .filter(conclusion_recorded_at__isnull=False, conclusion_recorded_at__lt=now - days)
        .filter(~part2_done_q())
        .values_list("pk", "conclusion_recorded_at", "team_id", "lead_practitioner_id")
    )
    return [Due(pk, timezone.localdate(at + days), team, lead, enquiry_id=pk) for pk, at, team, lead in rows]


RULES = {
    R.NEXT_CONTACT: _due_next_contact,
    R.PLAN_ACTION: _due_plan_action,
    R.CONCERN_DECISION: _due_concern_decision,
    R.MANAGER_REVIEW: _due_manager_review,
    R.CLOSURE_SIGN_OFF: _due_closure_sign_off,
    R.PART2_OUTSTANDING: _due_part2_outstanding,
}


# Words and places ------------------------------------------------------------------------------------------

_MESSAGES = {
    R.NEXT_CONTACT: "The next contact agreed with the person has passed (due {due})",
    R.PLAN_ACTION: "A plan action is past its due date (due {due})",
    R.CONCERN_DECISION: "A safeguarding concern is waiting for a decision (due {due})",
    R.MANAGER_REVIEW: "An open enquiry needs a manager review (due {due})",
    R.CLOSURE_SIGN_OFF: "A closure is waiting to be signed off (due {due})",
    R.PART2_OUTSTANDING: "Part 2 of My Safeguarding Experience is outstanding (due {due})",
}


def reminder_message(reminder: Reminder) -> str:
    return _MESSAGES[reminder.rule].format(due=f"{reminder.due_on:%-d %B %Y}")


def escalation_message(reminder: Reminder) -> str:
    return f"Escalated: {reminder_message(reminder)[0].lower()}{reminder_message(reminder)[1:]}"


def reminder_url(reminder: Reminder) -> str:
    """The exact place to act."""
    rule = reminder.rule
    if rule == R.PLAN_ACTION:
        return reverse("enquiries:plan_action_edit", args=[reminder.plan_action_id])
    if rule == R.CONCERN_DECISION:
        return reverse("enquiries:concern_detail", args=[reminder.concern_id])
    if rule == R.MANAGER_REVIEW:
        return reverse("enquiries:manager_review_add", args=[reminder.enquiry_id])
    if rule == R.CLOSURE_SIGN_OFF:
        return reverse("enquiries:enquiry_sign_off", args=[reminder.enquiry_id])
    if rule == R.PART2_OUTSTANDING:
        return reverse("feedback:part2_edit", args=[reminder.enquiry_id])
    return reverse("enquiries:enquiry_detail", args=[reminder.enquiry_id]) + "#drift"


# The scan --------------------------------------------------------------------------------------------------


def _chunks(items: list, size: int = 10_000):
    """Lists of ids in slices a query can take (PostgreSQL allows 65,535 parameters): a query per 10,000
    due items, so the cost still grows with the items due, not with the records."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def team_managers(team_ids) -> dict[int, list[int]]:
    """Active members of each team whose role may sign off closures (the Manager group, or the permission
    granted directly): one query."""
    permission = Permission.objects.filter(
        content_type__app_label=SIGN_OFF_PERMISSION[0], codename=SIGN_OFF_PERMISSION[1]
    )
    rows = (
        User.objects.filter(is_active=True, teams__in=list(team_ids))
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .values_list("teams", "pk")
        .distinct()
    )
    managers: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in rows:
        if team_id in team_ids:
            managers[team_id].append(user_id)
    return managers


def _raise(*, rule: str, due: list[Due], now: datetime.datetime) -> int:
    """Insert a reminder for each due item; the unique constraint makes it once. Returns how many were new
    (as far as this scan can tell: two scans at once may both count one the constraint let in once)."""
    if not due:
        return 0
    # One order for every scan, so two scans inserting at once take the index locks in the same order.
    due = sorted(due, key=lambda d: (d.object_id, d.due_on))
    existing = set()
    for ids in _chunks([d.object_id for d in due]):
        existing.update(
            Reminder.objects.filter(rule=rule, object_id__in=ids)
            .order_by()
            .values_list("object_id", "due_on")
        )
    new = [d for d in due if (d.object_id, d.due_on) not in existing]
    # Only the keys not seen are inserted (a scan with nothing new writes nothing); the unique constraint,
    # not that read, still decides: a key another scan inserts meanwhile is ignored, never duplicated.
    _insert(rule=rule, due=new, now=now)
    return len(new)


def _insert(*, rule: str, due: list[Due], now: datetime.datetime) -> None:
    """INSERT ... ON CONFLICT DO NOTHING against the (rule, object, due date) unique constraint."""
    rows = [
        Reminder(
            rule=rule,
            object_id=d.object_id,
            due_on=d.due_on,
            enquiry_id=d.enquiry_id,
            concern_id=d.concern_id,
            plan_action_id=d.plan_action_id,
            team_id=d.team_id,
            recipient_id=d.recipient_id,
            created_at=now,
        )
        for d in due
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def _resolve_and_follow(*, rule: str, due: list[Due], now: datetime.datetime) -> int:
    """Resolve the rule's open reminders that are no longer due with that date; point the others at the
    current recipient (a re-allocated case). Returns how many were resolved."""
    current = {(d.object_id, d.due_on): d for d in due}
    resolve, follow = [], defaultdict(list)
    open_reminders = (
        Reminder.objects.filter(rule=rule, status=Reminder.Status.OPEN)
        .order_by()
        .values_list("pk", "object_id", "due_on", "recipient_id")
    )
    for pk, object_id, due_on, recipient_id in open_reminders:
        still = current.get((object_id, due_on))
        if still is None:
            resolve.append(pk)
        elif still.recipient_id != recipient_id:
            follow[still.recipient_id].append(pk)
    resolved = 0
    for pks in _chunks(resolve):
        resolved += Reminder.objects.filter(pk__in=pks, status=Reminder.Status.OPEN).update(
            status=Reminder.Status.RESOLVED, resolved_at=now
        )
    for recipient_id, all_pks in follow.items():
        for pks in _chunks(all_pks):
            Reminder.objects.filter(pk__in=pks).update(recipient_id=recipient_id)
    return resolved


def _escalate(*, policies: list[DriftPolicy], now: datetime.datetime) -> int:
    """Mark the open reminders that have waited longer than their rule allows as escalated. The guarded
    UPDATE (`escalated_at IS NULL`) lets one scan win each; the notifications follow from the state."""
    escalated = 0
    for policy in policies:
        if policy.rule in MANAGERS_FIRST:
            continue
        escalated += Reminder.objects.filter(
            rule=policy.rule,
            status=Reminder.Status.OPEN,
            escalated_at__isnull=True,
            recipient__isnull=False,
            created_at__lt=now - datetime.timedelta(days=policy.escalate_after_days),
        ).update(escalated_at=now)
    return escalated


class _Readers:
    """Who may open the cases of a batch of reminders. Team membership and allocation already hold for the
    candidates (the lead, the team's managers); what is left of the access rule is the restriction, read
    for the batch's restricted people only (two queries, none when there are none)."""

    def __init__(self, restricted_person_ids: set[int]):
        self.leads, self.named = (
            access.restricted_readers(restricted_person_ids) if restricted_person_ids else (set(), set())
        )

    def may_open(self, reminder: Reminder, user_id: int) -> bool:
        return (
            not reminder.about_restricted
            or user_id in self.leads
            or (reminder.about_person_id, user_id) in self.named
        )

    def first_who_may_open(self, reminder: Reminder, *candidates: list[int]) -> list[int]:
        """Of the first group with anyone who may open the case, those who may; else the unit leads."""
        for group in candidates:
            allowed = [user_id for user_id in group if self.may_open(reminder, user_id)]
            if allowed:
                return allowed
        return sorted(self.leads) if reminder.about_restricted else []


def _notify_open_reminders() -> int:
    """Every open reminder's recipients notified (REMINDER), and, once escalated, its team's managers
    (ESCALATION): whatever is missing, at most once each (notify's unique constraint decides).

    Only the reminders still missing a notification are read (a NOT EXISTS on the notification's unique
    index), so a scan with nothing new reads nothing here, however many reminders are open."""
    N = Notification.objects.filter(reminder=OuterRef("pk"))
    reminder_sent = Exists(N.filter(kind=Notification.Kind.REMINDER))
    recipient_sent = Exists(N.filter(kind=Notification.Kind.REMINDER, user=OuterRef("recipient")))
    escalation_sent = Exists(N.filter(kind=Notification.Kind.ESCALATION))
    missing = (
        (Q(recipient__isnull=False) & ~recipient_sent)
        | (Q(recipient__isnull=True) & ~reminder_sent)
        | (Q(escalated_at__isnull=False) & ~escalation_sent)
    )
    reminders = list(
        Reminder.objects.filter(missing, status=Reminder.Status.OPEN)
        .order_by("pk")  # one order for every scan (see _raise)
        .only(
            "pk", "rule", "due_on", "team_id", "recipient_id", "escalated_at",
            "enquiry_id", "concern_id", "plan_action_id",
        )
        # The person the case is about, to send nothing about a restricted one to those it is hidden from.
        .annotate(
            about_person_id=Coalesce("enquiry__person_id", "concern__person_id"),
            about_restricted=Coalesce("enquiry__person__is_restricted", "concern__person__is_restricted"),
        )
    )  # fmt: skip
    if not reminders:
        return 0
    sent = set()
    for pks in _chunks([r.pk for r in reminders]):
        sent.update(
            Notification.objects.filter(reminder_id__in=pks)
            .order_by()
            .values_list("reminder_id", "user_id", "kind")
        )
    managers = team_managers({r.team_id for r in reminders})
    readers = _Readers({r.about_person_id for r in reminders if r.about_restricted})
    specs = []
    for reminder in reminders:
        team = managers.get(reminder.team_id, [])
        first = [reminder.recipient_id] if reminder.recipient_id else team
        wanted = [(Notification.Kind.REMINDER, readers.first_who_may_open(reminder, first, team))]
        if reminder.escalated_at is not None:
            wanted.append((Notification.Kind.ESCALATION, readers.first_who_may_open(reminder, team)))
        for kind, users in wanted:
            for user_id in users:
                if (reminder.pk, user_id, kind) in sent:
                    continue
                specs.append(
                    NotificationSpec(
                        user_id=user_id,
                        kind=kind,
                        message=reminder_message(reminder)
                        if kind == Notification.Kind.REMINDER
                        else escalation_message(reminder),
                        url=reminder_url(reminder),
                        reminder_id=reminder.pk,
                    )
                )
    return notify(specs=specs)


def drift_scan(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every drift rule once. Safe to run at any time, as often as wanted, concurrently: a second run
    raises, escalates and notifies nothing new. Returns {"created": N, "escalated": M, "resolved": K}."""
    now = now or timezone.now()
    created = resolved = 0
    with transaction.atomic():
        policies = list(DriftPolicy.objects.all())
        enabled = [p for p in policies if p.enabled and p.rule in RULES]
        for policy in policies:
            due = RULES[policy.rule](policy, now) if policy in enabled else []
            created += _raise(rule=policy.rule, due=due, now=now)
            resolved += _resolve_and_follow(rule=policy.rule, due=due, now=now)
        escalated = _escalate(policies=enabled, now=now)
        _notify_open_reminders()
    return {"created": created, "escalated": escalated, "resolved": resolved}


def drift_resolve_cleared(
    *,
    enquiry: Enquiry | int | None = None,
    concern: SafeguardingConcern | int | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Resolve at once the open reminders about this enquiry (and its plan actions) or this concern whose
    condition no longer holds, so what a user just did shows everywhere straight away: a closure signed off
    is no longer "awaiting sign-off" on the dashboard, a conversation with the person clears "next contact
    passed". Called at the end of the services whose action can clear a rule, in their transaction; the
    scan stays the safety net for everything else (a policy changed, time moving on).

    Each rule is asked again with its own condition, narrowed to this object (`Only`): a reminder still
    due with that date stays open, anything else is resolved, as the scan would. A disabled rule's reminders
    resolve, as in the scan. Nothing is raised or notified here. One query when nothing is open; a few
    otherwise. Returns how many were resolved."""
    only = Only(
        enquiry_id=getattr(enquiry, "pk", enquiry),
        concern_id=getattr(concern, "pk", concern),
    )
    if only == EVERYTHING:
        return 0
    about = Q(pk__in=[])
    if only.enquiry_id is not None:
        about |= Q(enquiry_id=only.enquiry_id)
    if only.concern_id is not None:
        about |= Q(concern_id=only.concern_id)
    open_reminders = list(
        Reminder.objects.filter(about, status=Reminder.Status.OPEN)
        .order_by()
        .values_list("pk", "rule", "object_id", "due_on")
    )
    if not open_reminders:
        return 0
    now = now or timezone.now()
    policies = {p.rule: p for p in DriftPolicy.objects.filter(rule__in={r[1] for r in open_reminders})}
    still_due = set()
    for rule in {r[1] for r in open_reminders}:
        policy = policies.get(rule)
        if policy is not None and policy.enabled and rule in RULES:
            still_due.update((rule, d.object_id, d.due_on) for d in RULES[rule](policy, now, only))
    cleared = [
        pk for pk, rule, object_id, due_on in open_reminders if (rule, object_id, due_on) not in still_due
    ]
    if not cleared:
        return 0
    return Reminder.objects.filter(pk__in=cleared, status=Reminder.Status.OPEN).update(
        status=Reminder.Status.RESOLVED, resolved_at=now
    )
