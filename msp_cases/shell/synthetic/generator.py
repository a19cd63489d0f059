"""Realistic, deterministic fictional data at scale: `generate_synthetic(concerns=, seed=, ...)`.

Deterministic: every draw comes from one `random.Random(seed)` and every date is counted back from `today`
(midnight, local time), never from the clock; the same seed and `today` give the same people, concerns and
cases. Only the housekeeping timestamps Django sets itself (`created_at`, `updated_at`, `recorded_at`,
`changed_at`: auto_now / auto_now_add) carry the real time of the run.

Fast: rows are built in Python for a batch of concerns and inserted with `bulk_create` (parents first, so
children pick up their ids), many-to-many through rows included, one transaction per batch. `bulk_create`
sends no signals, so no simple-history rows are written: synthetic cases have no field history, which is
fine for volume and benchmarks.

Consistent with what the services keep up to date: the enquiry's next contact is the latest conversation
with the person's agreed next contact, `last_reviewed_at` the latest manager review (or when it opened),
`conclusion_recorded_at` set when the action and result are, and enquiries proposed for closure or closed pass
the closure gate (`enquiries.services.lifecycle.enquiry_close_problems`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from enquiries.models import Person, SafeguardingConcern

from .batch import Batch
from .casework import CaseworkRows
from .closure import ClosureRows
from .enquiry import EnquiryRows
from .people import PeopleRows, identifier_prefix
from .staff import ensure_staff

D = SafeguardingConcern.Decision

PERIOD_DAYS = 365  # concerns are received over the year before `today`
REPEAT_PERSON_SHARE = 0.2  # a concern about someone already known (SG1 counts individuals once)
Progress = Callable[[int, int], None]


def _spread(index: int, wanted: int, total: int) -> bool:
    """Whether item `index` of `total` is one of `wanted` spread evenly (exactly `wanted` in all)."""
    return (index + 1) * wanted // total > index * wanted // total


class SyntheticGenerator(PeopleRows, EnquiryRows, CaseworkRows, ClosureRows):
    """One run: a batch of concerns at a time, each case built by the parts it inherits (people and concerns,
    enquiries, casework, closure) from the one stream of draws."""

    # -- the run --------------------------------------------------------------------------------------------
    def run(self, *, concerns: int, progress: Progress | None = None) -> Counter:
        for start in range(0, concerns, self.batch_size):
            end = min(start + self.batch_size, concerns)
            batch = Batch()
            for index in range(start, end):
                self.case(batch, index, forced_open=_spread(index, self.open_enquiries, concerns))
            with transaction.atomic():
                self.counts.update(batch.save(batch_size=self.batch_size))
            self.people = [(p.pk if isinstance(p, Person) else p, team) for p, team in self.people]
            if progress:
                progress(end, concerns)
        return self.counts

    def case(self, batch: Batch, index: int, *, forced_open: bool) -> None:
        rng = self.rng
        if self.people and self.chance(REPEAT_PERSON_SHARE):
            person, team_index = self.people[rng.randrange(len(self.people))]
            if self.chance(0.1):
                team_index = rng.randrange(len(self.staff))
        else:
            team_index = rng.randrange(len(self.staff))
            person = self.person(batch, len(self.people), team_index)
            self.people.append((person, team_index))
        staff = self.staff[team_index]
        # Received over the last year; enquiries forced open (drift benchmark) within the last 6 months.
        received_day = -rng.randint(2, 180) if forced_open else -rng.randint(1, PERIOD_DAYS)
        concern = self.concern(batch, person, staff, received_day, forced_open=forced_open)
        if concern.decision in (D.SECTION_42, D.OTHER_ENQUIRY):
            self.enquiry(batch, concern, person, staff, forced_open=forced_open)


def generate_synthetic(
    *,
    concerns: int,
    seed: int,
    teams: int = 4,
    today: date | None = None,
    open_enquiries: int = 0,
    batch_size: int = 2000,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Add `concerns` fictional concerns (and their people, decisions and enquiries) for `seed`, counted back
    from `today` (default: today). `open_enquiries` of them are made section 42 (a few "other") enquiries
    still open, for the drift benchmark; the rest follow the national mix. Returns rows inserted by model.

    Refuses a seed already generated in this database: run with another seed to add more."""
    if concerns < 1 or not 0 <= open_enquiries <= concerns:
        raise ValueError("concerns must be at least 1, and open_enquiries between 0 and concerns")
    if teams < 1:
        raise ValueError("teams must be at least 1")
    if Person.objects.filter(local_identifier__startswith=identifier_prefix(seed)).exists():
        raise ValueError(f"Synthetic data for seed {seed} is already in this database; use another seed")
    with transaction.atomic():
        staff = ensure_staff(teams=teams)
    generator = SyntheticGenerator(
        seed=seed,
        today=today or timezone.localdate(),
        staff=staff,
        open_enquiries=open_enquiries,
        batch_size=batch_size,
    )
    counts = dict(generator.run(concerns=concerns, progress=progress))
    analyze()
    return counts


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics for the tables just filled, as autovacuum would in time: a
    benchmark run straight after a bulk load should see the plans a live database gets."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in Batch.ORDER:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
