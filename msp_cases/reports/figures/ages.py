"""Ages on a day, as conditions on a date of birth: date comparisons only, so the same in SQLite and
PostgreSQL and no function on the column. A person with no date of birth, or under 18 on the day (a
recording error in an adult service), has their age "Not recorded"."""

import datetime

from django.db.models import Q

ADULT = 18


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for 29 February in a year that has none)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def aged_q(day: datetime.date, youngest: int, oldest: int | None, prefix: str = "") -> Q:
    """Aged `youngest`..`oldest` on `day`: born on or before `day` minus `youngest` years, and after `day`
    minus (`oldest` + 1) years."""
    q = Q(**{f"{prefix}date_of_birth__lte": years_before(day, youngest)})
    if oldest is not None:
        q &= Q(**{f"{prefix}date_of_birth__gt": years_before(day, oldest + 1)})
    return q


def age_not_recorded_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}date_of_birth__isnull": True}) | Q(
        **{f"{prefix}date_of_birth__gt": years_before(day, ADULT)}
    )
