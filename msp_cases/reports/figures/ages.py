"""Ages on a day, or at death, as conditions on a date of birth. The SAC takes a person's age on the last day
of the period, or at death if they died on or before it (the age they were when they died, never older).

For everyone alive on the day (no date of death, or one after it), the conditions are date comparisons
only, so the same in SQLite and PostgreSQL and no function on the column. For the few who died on or before
the day, the age at death is whole years from date of birth to date of death, written as
(YYYYMMDD of death − YYYYMMDD of birth) ÷ 10000: the same ages as `years_before` gives, 29 February
included. A person with no date of birth, or under 18 on the day or at death (a recording error in an adult
service), has their age "Not recorded"."""

import datetime

from django.db.models import F, Q, Value
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual, LessThan

ADULT = 18


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for 29 February in a year that has none)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _ymd(field: str):
    return ExtractYear(F(field)) * Value(10000) + ExtractMonth(F(field)) * Value(100) + ExtractDay(F(field))


def _living_on(day: datetime.date, prefix: str) -> Q:
    return Q(**{f"{prefix}date_of_death__isnull": True}) | Q(**{f"{prefix}date_of_death__gt": day})


def _died_by(day: datetime.date, prefix: str) -> Q:
    """`date_of_death IS NOT NULL` first: false, not null, for everyone alive, so PostgreSQL stops there and
    never works out an age at death for them (`NULL AND …` reads on, to see if a later term is false). Over
    the 800,000 people of a national SAC return this keeps SG1 at the cost of date comparisons."""
    return Q(**{f"{prefix}date_of_death__isnull": False}) & Q(**{f"{prefix}date_of_death__lte": day})


def _years_at_death(prefix: str):
    """Age at death × 10000, plus a remainder under 10000: compare with whole years × 10000."""
    return _ymd(f"{prefix}date_of_death") - _ymd(f"{prefix}date_of_birth")


def aged_q(day: datetime.date, youngest: int, oldest: int | None, prefix: str = "") -> Q:
    """Aged `youngest`..`oldest` on `day`, or at death if the person died on or before it. Alive: born on
    or before `day` minus `youngest` years, and after `day` minus (`oldest` + 1) years."""
    living = Q(**{f"{prefix}date_of_birth__lte": years_before(day, youngest)})
    if oldest is not None:
        living &= Q(**{f"{prefix}date_of_birth__gt": years_before(day, oldest + 1)})
    at_death = Q(GreaterThanOrEqual(_years_at_death(prefix), youngest * 10000))
    if oldest is not None:
        at_death &= Q(LessThan(_years_at_death(prefix), (oldest + 1) * 10000))
    return (_living_on(day, prefix) & living) | (_died_by(day, prefix) & at_death)


def age_not_recorded_q(day: datetime.date, prefix: str = "") -> Q:
    """No date of birth, or under 18 on `day` (or at death, if the person died on or before it)."""
    under_18_living = Q(**{f"{prefix}date_of_birth__gt": years_before(day, ADULT)})
    under_18_at_death = Q(LessThan(_years_at_death(prefix), ADULT * 10000))
    return (
        Q(**{f"{prefix}date_of_birth__isnull": True})
        | (_living_on(day, prefix) & under_18_living)
        | (_died_by(day, prefix) & under_18_at_death)
    )
