"""The generator's state and its draws: random choices, days back from today and references to rows."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from enquiries.models import Person

from . import national as N
from .staff import Staff


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
        batch_size: int = 2000,
    ):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not secrets
        self.seed = seed
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.staff = staff
        self.open_enquiries = open_enquiries
        self.batch_size = batch_size
        # Everyone created so far: (Person, or its id once saved; team index) for repeat concerns.
        self.people: list[tuple[Person | int, int]] = []
        self.counts: Counter = Counter()

    # -- time: whole days back from today, at a time of day in working hours --------------------------------
    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, offset: int, hour: int | None = None, minute: int | None = None) -> datetime:
        hour = self.rng.randint(9, 16) if hour is None else hour
        minute = self.rng.choice((0, 15, 30, 45)) if minute is None else minute
        return datetime.combine(self.day(offset), time(hour, minute), tzinfo=self.tz)

    def pick(self, table: N.Weights) -> str:
        return self.rng.choices(table[0], weights=table[1])[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    @staticmethod
    def ref(name: str, obj) -> dict:
        """A foreign key to an object saved in an earlier batch (an id) or in this one (the object)."""
        return {f"{name}_id": obj} if isinstance(obj, int) else {name: obj}
