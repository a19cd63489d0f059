"""Resolving reminders whose condition no longer holds: in the scan (`resolve_and_follow`, the safety net)
and at once, in the transaction of the service whose action cleared it (`drift_resolve_cleared`)."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from ...models import Enquiry, SafeguardingConcern
from ...models.drift import DriftPolicy, Reminder
from .raising import among, chunks
from .rules import EVERYTHING, RULES, Due, Only


def resolve_and_follow(*, rule: str, due: list[Due], now: datetime.datetime) -> int:
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
    for pks in chunks(resolve):
        resolved += Reminder.objects.filter(pk__in=among(pks), status=Reminder.Status.OPEN).update(
            status=Reminder.Status.RESOLVED, resolved_at=now
        )
    for recipient_id, all_pks in follow.items():
        for pks in chunks(all_pks):
            Reminder.objects.filter(pk__in=among(pks)).update(recipient_id=recipient_id)
    return resolved


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
