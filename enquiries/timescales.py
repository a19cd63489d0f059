"""Timescales counted in working days.

A working day is Monday to Friday in the service's time zone (settings.TIME_ZONE), except a bank holiday of
England and Wales: Christmas Day, Boxing Day, New Year's Day, Good Friday, Easter Monday, the early May,
spring and summer bank holidays, with their substitute days and the one-off days the government adds (a
coronation, a state funeral). The calendar is the maintained `holidays` package's
(`BANK_HOLIDAYS_SUBDIVISION`, England by default: "ENG"; Wales's bank holidays are the same; Scotland's and
Northern Ireland's differ), updated with the package when the government announces a change. Every working-day
timescale goes through here: the decision on a concern, the front door's screening, the drift rules and the
timeliness report.

The decision on a concern is due `CONCERN_DECISION_WORKING_DAYS` working days (default 2) after it was
received, at the same time of day.
"""

from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone

DEFAULT_DECISION_WORKING_DAYS = 2


@cache
def _bank_holidays(subdivision: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=subdivision, categories=(holidays.PUBLIC,))


def bank_holiday(day: date) -> str | None:
    """The bank holiday's name on `day` ("Christmas Day", "Easter Monday"), or None."""
    return _bank_holidays(getattr(settings, "BANK_HOLIDAYS_SUBDIVISION", "ENG")).get(day)


def is_working_day(moment: date) -> bool:
    day = moment.date() if isinstance(moment, datetime) else moment
    return day.weekday() < 5 and bank_holiday(day) is None  # Monday 0 … Friday 4


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
