"""A submitted version of the SAC return beside the figures counted now for the same period and scope, cell
by cell, and for each cell that changed the records that moved: counted then and not now ("no longer
counted"), counted now and not then ("newly counted").

A moved record is named, and linked, only if the viewer may open it (msp_cases.access); the others are
counted without names. A fixed number of queries whatever the number of cells or records that moved: the
version, the return now, the records behind it now, and one query per kind of record to name."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from msp_cases import access
from msp_cases.accounts.roles import KEEP_REVIEWS

from ..models import SacSubmission
from ..sac.cells import CONCERN, ENQUIRY, PERSON, RECORD_MODELS, REVIEW, REVIEW_INDIVIDUAL
from ..sac.returns import sac_return
from ..scope import ReportScope, scope_for
from .frozen import Cell, cells_of, record_ids_thawed, records_behind, submitted_return

# The most records named under one cell's "no longer counted" or "newly counted": a period rebuilt since
# would otherwise list thousands. The rest are counted.
NAMED_PER_CELL = 50


@dataclass(frozen=True)
class _Naming:
    """How the comparison names a kind of record behind a cell (..sac.cells.RECORD_MODELS): which of them a
    user may open, its words, its page, and whose record it is (for the Record of access)."""

    visible: Callable[[QuerySet, object], QuerySet]
    label: Callable[[object], str]
    url: Callable[[object, bool], str]  # (record, the user keeps the register of reviews)
    person_id: Callable[[object], int | None]


def _case_records(records: QuerySet, user) -> QuerySet:
    visible = access.scoped(records, user)
    return visible if records.model is RECORD_MODELS[PERSON] else visible.select_related("person")


def _review_individuals(records: QuerySet, user) -> QuerySet:
    """An individual of a review is seen through their review."""
    reviews = access.scoped(RECORD_MODELS[REVIEW].objects.all(), user).values("pk")
    return records.filter(review__in=reviews).select_related("review")


_NAMING = {
    PERSON: _Naming(
        _case_records, lambda p: p.display_name, lambda p, _: p.get_absolute_url(), lambda p: p.pk
    ),
    CONCERN: _Naming(
        _case_records,
        lambda c: f"Concern {c.pk}: {c.person.display_name}",
        lambda c, _: c.get_absolute_url(),
        lambda c: c.person_id,
    ),
    ENQUIRY: _Naming(
        _case_records,
        lambda e: f"Enquiry {e.pk}: {e.person.display_name}",
        lambda e, _: e.get_absolute_url(),
        lambda e: e.person_id,
    ),
    # A review by its name; its individuals described, never named (the review's register says who they are),
    # as the list of a figure's records does. Linked for those who keep the register.
    REVIEW: _Naming(
        lambda records, user: access.scoped(records, user),
        lambda r: f"Review {r.pk}: {r.name}",
        lambda r, keeps: r.get_absolute_url() if keeps else "",
        lambda r: None,
    ),
    REVIEW_INDIVIDUAL: _Naming(
        _review_individuals,
        lambda i: f"Review {i.review_id}: {i}",
        lambda i, keeps: i.review.get_absolute_url() if keeps else "",
        lambda i: None,
    ),
}


@dataclass(frozen=True)
class NamedRecord:
    label: str
    url: str


@dataclass
class MovedRecords:
    """Records that moved in or out of a cell: those the viewer may open by name, the rest counted."""

    kind: str
    ids: list[int]
    named: list[NamedRecord] = field(default_factory=list)
    named_more: int = 0  # records the viewer may open beyond NAMED_PER_CELL
    hidden: int = 0  # records the viewer may not open

    @property
    def total(self) -> int:
        return len(self.ids)


@dataclass
class CellComparison:
    table: str
    row: str
    column: str
    then: int | None  # None: the cell was not in the return then (a table added since)
    now: int | None  # None: the cell is not in the return now
    no_longer: MovedRecords | None = None
    newly: MovedRecords | None = None
    # Where the figure is in the return now (row, column), for the link to the records it counts now.
    now_at: tuple[int, int] | None = None

    @property
    def difference(self) -> int | None:
        if self.then is None or self.now is None:
            return None
        return self.now - self.then

    @property
    def changed(self) -> bool:
        """A different figure, or the same figure made of different records (one in, one out)."""
        return (
            self.then != self.now
            or bool(self.no_longer and self.no_longer.ids)
            or bool(self.newly and self.newly.ids)
        )


@dataclass
class TableComparison:
    id: str
    title: str
    cells: list[CellComparison]

    @property
    def changed_cells(self) -> list[CellComparison]:
        return [cell for cell in self.cells if cell.changed]


@dataclass
class Comparison:
    submission: SacSubmission
    scope: ReportScope  # now
    tables: list[TableComparison]
    records_known: bool  # the version kept the records behind its cells
    named_person_ids: list[int]  # the people named on the page, for the record of access

    @property
    def changed_count(self) -> int:
        return sum(len(table.changed_cells) for table in self.tables)


def sac_submission_compare(*, submission: SacSubmission, user) -> Comparison:
    """`submission` beside the return counted now by `user` for its period and scope (every team `user`
    oversees now, for the council's return)."""
    then_return = submitted_return(submission)
    then_cells = cells_of(then_return)
    then_ids = record_ids_thawed(submission.record_ids)
    scope = scope_for(
        user=user, start=submission.period_start, end=submission.period_end, team=submission.team
    )
    now_return = sac_return(scope=scope)
    now_cells = cells_of(now_return)
    now_ids = records_behind(scope) if then_ids else {}

    titles = {table.id: table.title for table in then_return.tables}
    titles.update({table.id: table.title for table in now_return.tables})
    tables: dict[str, TableComparison] = {}
    for cell in [*now_cells, *(cell for cell in then_cells if cell not in now_cells)]:
        table_id, row, column = cell
        comparison = CellComparison(
            table=table_id, row=row, column=column, then=then_cells.get(cell), now=now_cells.get(cell)
        )
        comparison.no_longer, comparison.newly = _moved(cell, then_ids, now_ids)
        if cell in now_cells:
            table = now_return.table(table_id)
            comparison.now_at = (table.rows.index(row), table.columns.index(column))
        tables.setdefault(
            table_id, TableComparison(id=table_id, title=titles[table_id], cells=[])
        ).cells.append(comparison)
    named_person_ids = _name_moved(list(tables.values()), user)
    return Comparison(
        submission=submission,
        scope=scope,
        tables=list(tables.values()),
        records_known=bool(then_ids),
        named_person_ids=named_person_ids,
    )


def _moved(cell: Cell, then_ids: dict, now_ids: dict) -> tuple[MovedRecords | None, MovedRecords | None]:
    if cell not in then_ids and cell not in now_ids:
        return None, None
    kind_then, ids_then = then_ids.get(cell, (None, []))
    kind_now, ids_now = now_ids.get(cell, (None, []))
    kind = kind_now or kind_then
    before, after = set(ids_then), set(ids_now)
    return (
        MovedRecords(kind=kind, ids=sorted(before - after)),
        MovedRecords(kind=kind, ids=sorted(after - before)),
    )


def _name_moved(tables: list[TableComparison], user) -> list[int]:
    """Names the moved records the user may open: one query per kind of record, whatever the number of
    cells. Returns the people named."""
    moved = [
        records
        for table in tables
        for cell in table.changed_cells
        for records in (cell.no_longer, cell.newly)
        if records is not None and records.ids
    ]
    wanted: dict[str, set[int]] = defaultdict(set)
    for records in moved:
        wanted[records.kind].update(records.ids)
    visible: dict[str, dict[int, object]] = {}
    for kind, ids in wanted.items():
        naming = _NAMING.get(kind)
        if naming is None:  # a kind this page does not know how to name: counted only
            visible[kind] = {}
            continue
        records = naming.visible(RECORD_MODELS[kind].objects.filter(pk__in=ids), user)
        visible[kind] = {obj.pk: obj for obj in records}
    keeps_reviews = user.has_perm(KEEP_REVIEWS)
    named_people: dict[int, None] = {}
    for records in moved:
        found = visible[records.kind]
        opened = [found[pk] for pk in records.ids if pk in found]
        records.hidden = records.total - len(opened)
        records.named_more = max(0, len(opened) - NAMED_PER_CELL)
        naming = _NAMING.get(records.kind)
        for obj in opened[:NAMED_PER_CELL]:
            records.named.append(NamedRecord(label=naming.label(obj), url=naming.url(obj, keeps_reviews)))
            person_id = naming.person_id(obj)
            if person_id is not None:
                named_people[person_id] = None
    return list(named_people)
