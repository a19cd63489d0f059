"""Timescales counted in working days.

A working day is Monday to Friday in the service's time zone (settings.TIME_ZONE). Bank holidays are NOT yet
excluded: a concern received before a bank holiday shows a due date one working day early, which errs on the
side of deciding sooner. Add a holiday calendar here (and only here) when the council supplies one.

The decision on a concern is due `CONCERN_DECISION_WORKING_DAYS` working days (default 2) after it was
received, at the same time of day.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

DEFAULT_DECISION_WORKING_DAYS = 2


def is_working_day(moment: datetime) -> bool:
    return moment.weekday() < 5  # Monday 0 … Friday 4


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` moved on by `days` working days, keeping the time of day (in local time, so a change of
    clocks does not shift it). Friday + 2 working days is Tuesday; Saturday + 1 is Monday."""
    if days < 0:
        raise ValueError("days must be zero or more")
    moment = timezone.localtime(start) if timezone.is_aware(start) else start
    remaining = days
    while remaining:
        # Wall-clock arithmetic: an aware datetime plus a day keeps its local time across a clock change.
        moment = moment + timedelta(days=1)
        if is_working_day(moment):
            remaining -= 1
    if timezone.is_aware(moment):
        # Re-attach the zone's offset for the new date (GMT/BST).
        moment = timezone.make_aware(moment.replace(tzinfo=None), timezone.get_current_timezone())
    return moment


def decision_working_days() -> int:
    return int(getattr(settings, "CONCERN_DECISION_WORKING_DAYS", DEFAULT_DECISION_WORKING_DAYS))


def decision_due(concern) -> datetime:
    """When the decision on `concern` is due. Needs only `concern.received_at`: no queries."""
    return add_working_days(concern.received_at, decision_working_days())


def decision_overdue(concern, now: datetime | None = None) -> bool:
    """Still awaiting a decision and past its due time."""
    if concern.decision != concern.Decision.PENDING:
        return False
    return (now or timezone.now()) > decision_due(concern)
