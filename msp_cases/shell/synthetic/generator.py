"""Realistic, deterministic fictional data at scale: `generate_synthetic(concerns=, seed=, ...)`.

Deterministic: every draw comes from one `random.Random(seed)` and every date is counted back from `today`
(midnight, local time), never from the clock; the same seed and `today` give the same people, concerns and
cases. Only the housekeeping timestamps Django sets itself (`created_at`, `updated_at`, `recorded_at`,
`changed_at`, `revised_at`: auto_now / auto_now_add) carry the real time of the run.

Fast, in constant memory: rows are built as plain dicts for a chunk of concerns at a time and loaded with
PostgreSQL COPY (bulk_create elsewhere), one transaction per chunk (load.py); only the people's ids and teams
are kept from one chunk to the next (for repeat concerns). No signals are sent, so no simple-history rows are
written: synthetic cases have no field history, which is fine for volume and benchmarks.

Consistent with what the services keep up to date, through the same functions (enquiries.services.derived,
outcomes.derived): the enquiry's type, team, lead and risk details from its concern, its next contact from the
latest conversation, `last_reviewed_at` from the latest manager review (or when it opened),
`conclusion_recorded_at` from when the action and result were first recorded, "outcomes asked" from the
outcomes recorded; and enquiries proposed for closure or closed pass the closure gate
(`enquiries.services.lifecycle.enquiry_close_problems`).

The long tail real casework has: a few enquiries per ten thousand concerns (`long_enquiries`) have been in
progress most of the year with 100 to 300 entries on their timeline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from enquiries.models import Person, SafeguardingConcern
from msp_cases.accounts.models import Team, User

from .batch import ORDER, Batch
from .casework import CaseworkRows
from .closure import ClosureRows
from .enquiry import EnquiryRows
from .load import BackgroundLoader, IdBlocks, Loader
from .people import PeopleRows, identifier_prefix
from .staff import ensure_staff, staff_password_set

D = SafeguardingConcern.Decision

PERIOD_DAYS = 365  # concerns are received over the year before `today`
REPEAT_PERSON_SHARE = 0.2  # a concern about someone already known (SG1 counts individuals once)
LONG_ENQUIRIES_PER_CONCERN = 3 / 10_000  # about 300 long cases in a million concerns
Progress = Callable[[int, int], None]


def _spread(index: int, wanted: int, total: int) -> bool:
    """Whether item `index` of `total` is one of `wanted` spread evenly (exactly `wanted` in all)."""
    return (index + 1) * wanted // total > index * wanted // total


class SyntheticGenerator(PeopleRows, EnquiryRows, CaseworkRows, ClosureRows):
    """One run: a batch of concerns at a time, each case built by the parts it inherits (people and concerns,
    enquiries, casework, closure) from the one stream of draws."""

    # -- the run --------------------------------------------------------------------------------------------
    def run(self, *, concerns: int, progress: Progress | None = None) -> Counter:
        ids = IdBlocks()
        # Outside a transaction, a chunk loads on a second connection while the next is built; inside one
        # (a test), everything stays on the caller's connection.
        background = connection.vendor == "postgresql" and not connection.in_atomic_block
        loader = (BackgroundLoader if background else Loader)(timezone.now())
        try:
            for start in range(0, concerns, self.batch_size):
                end = min(start + self.batch_size, concerns)
                batch = Batch(ids)
                for index in range(start, end):
                    self.case(
                        batch,
                        index,
                        forced_open=_spread(index, self.open_enquiries, concerns),
                        # Offset from the open ones, so the two kinds rarely fall on the same concern.
                        long=_spread((index + concerns // 2) % concerns, self.long_enquiries, concerns),
                    )
                loader.save(batch)
                if progress:
                    progress(end, concerns)
        finally:
            loader.close()
        return loader.counts

    def case(self, batch: Batch, index: int, *, forced_open: bool, long: bool = False) -> None:
        rng = self.rng
        if self.person_ids and self.chance(REPEAT_PERSON_SHARE):
            known = rng.randrange(len(self.person_ids))
            person_id, team_index = self.person_ids[known], self.person_teams[known]
            if self.chance(0.1):
                team_index = rng.randrange(len(self.staff))
        else:
            team_index = rng.randrange(len(self.staff))
            person_id = self.person(batch, len(self.person_ids), team_index)["id"]
            self.person_ids.append(person_id)
            self.person_teams.append(team_index)
        staff = self.staff[team_index]
        # Received over the last year; enquiries forced open (drift benchmark) within the last 6 months, long
        # ones early enough to have run most of the year.
        if long:
            received_day = -rng.randint(200, 360)
        elif forced_open:
            received_day = -rng.randint(2, 180)
        else:
            received_day = -rng.randint(1, PERIOD_DAYS)
        concern = self.concern(batch, person_id, staff, received_day, forced_open=forced_open or long)
        if concern["decision"] in (D.SECTION_42, D.OTHER_ENQUIRY):
            self.enquiry(batch, concern, staff, forced_open=forced_open, long=long)


def generate_synthetic(
    *,
    concerns: int,
    seed: int,
    teams: int = 4,
    today: date | None = None,
    open_enquiries: int = 0,
    long_enquiries: int | None = None,
    batch_size: int = 5000,
    progress: Progress | None = None,
    staff_password: str | None = None,
) -> dict[str, int]:
    """Add `concerns` fictional concerns (and their people, decisions and enquiries) for `seed`, counted back
    from `today` (default: today). `open_enquiries` of them are made section 42 (a few "other") enquiries
    still open, for the drift benchmark; `long_enquiries` (default: 3 in 10,000 concerns, at least one) long
    cases with 100 to 300 timeline entries; the rest follow the national mix. With `staff_password`, every
    synthetic member of staff can sign in with it (`staff.staff_who_can_sign_in`). Returns the rows inserted
    by model.

    Refuses a seed already generated in this database: run with another seed to add more."""
    if concerns < 1 or not 0 <= open_enquiries <= concerns:
        raise ValueError("concerns must be at least 1, and open_enquiries between 0 and concerns")
    if teams < 1:
        raise ValueError("teams must be at least 1")
    if long_enquiries is None:
        long_enquiries = max(1, round(concerns * LONG_ENQUIRIES_PER_CONCERN))
    if not 0 <= long_enquiries <= concerns:
        raise ValueError("long_enquiries must be between 0 and concerns")
    if Person.objects.filter(local_identifier__startswith=identifier_prefix(seed)).exists():
        raise ValueError(f"Synthetic data for seed {seed} is already in this database; use another seed")
    with transaction.atomic():
        staff = ensure_staff(teams=teams)
        if staff_password:
            staff_password_set(staff_password)
    generator = SyntheticGenerator(
        seed=seed,
        today=today or timezone.localdate(),
        staff=staff,
        open_enquiries=open_enquiries,
        long_enquiries=long_enquiries,
        batch_size=batch_size,
    )
    counts = dict(generator.run(concerns=concerns, progress=progress))
    analyze()
    return counts


def analyze() -> None:
    """Do for the tables just filled what autovacuum would in time: planner statistics, and the visibility map
    that index-only scans need (a bulk load leaves every page unmarked, so without it the report indexes
    would still visit the heap). A benchmark run straight after a load should see the plans a live database
    gets. VACUUM cannot run inside a transaction (a test's), where statistics alone are refreshed."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    # The staff and their teams too: they are created row by row (ensure_staff), and a planner that has never
    # seen the users table guesses its size and joins a timeline's entries to every member of staff.
    staff = (User, Team, User.teams.through)
    with connection.cursor() as cursor:
        for model in (*ORDER, *staff):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
