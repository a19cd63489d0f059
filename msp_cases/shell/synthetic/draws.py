"""The generator's state and its draws: random choices and days back from today."""

from __future__ import annotations

import random
from array import array
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.utils import timezone

from . import national as N
from .staff import Staff

_CUMULATIVE: dict[int, list[float]] = {}  # the national tables live as long as the process


class Draws:
    """Every draw from one random.Random(seed), every date counted back from `today`: the base of the
    generator's parts, so each part draws in the same order as before."""

    def __init__(
        self,
        *,
        seed: int,
        today: date,
        staff: list[Staff],
        open_enquiries: int = 0,
        long_enquiries: int = 0,
        batch_size: int = 2000,
    ):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not secrets
        self.seed = seed
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.staff = staff
        self.users = {user.pk: user for s in staff for user in (*s.practitioners, *s.managers)}
        self.open_enquiries = open_enquiries
        self.long_enquiries = long_enquiries
        self.batch_size = batch_size
        # Everyone created so far, for repeat concerns: their ids and team indexes, in two compact arrays so
        # a million people cost megabytes, not a list of tuples.
        self.person_ids = array("q")
        self.person_teams = array("l")

    # -- time: whole days back from today, at a time of day in working hours --------------------------------
    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, offset: int, hour: int | None = None, minute: int | None = None) -> datetime:
        hour = self.rng.randint(9, 16) if hour is None else hour
        minute = self.rng.choice((0, 15, 30, 45)) if minute is None else minute
        return datetime.combine(self.day(offset), time(hour, minute), tzinfo=self.tz)

    def pick(self, table: N.Weights) -> str:
        # The same draw as choices(weights=...), without summing the weights again on every call.
        cumulative = _CUMULATIVE.get(id(table))
        if cumulative is None:
            cumulative = _CUMULATIVE[id(table)] = list(accumulate(table[1]))
        return self.rng.choices(table[0], cum_weights=cumulative)[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p
