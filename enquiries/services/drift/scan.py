"""The scan: every rule once, then escalation and notifications for all rules at once."""

import datetime

from django.db import transaction
from django.utils import timezone

from ...models.drift import DriftPolicy
from .notify import notify_open_reminders
from .raising import escalate, raise_due
from .resolve import resolve_and_follow
from .rules import RULES


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
            created += raise_due(rule=policy.rule, due=due, now=now)
            resolved += resolve_and_follow(rule=policy.rule, due=due, now=now)
        escalated = escalate(policies=enabled, now=now)
        notify_open_reminders()
    return {"created": created, "escalated": escalated, "resolved": resolved}
