"""Every cell of the SAC return defined once, as a population of records and a condition on them, so the
figure and the records behind it come from the same definition and cannot drift:

- the count is `Count("pk", filter=condition)` over the population (one query of conditional counts per
  population, whatever the number of records);
- the records are `population.filter(condition)`, which the drill-down page lists (through msp_cases.access)
  and a submitted return freezes by id (`return_record_ids`).

A cell's condition is its row's condition AND its column's. A derived cell (SG1a's 85+, a Total column) is the
union of its parts: its condition is the OR of theirs. A condition may name a many-valued relation (an
enquiry's types of risk): the record is counted once however many of its rows match, as `filter()` returns it
once, so a count over such a relation counts distinct records.

Record kinds: "person" (SG1a–SG1e count individuals), "concern" and "enquiry" (SG1f, SG2–SG4), "review" and
"review individual" (SG5a, SG5b)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from enquiries.models import Enquiry
from enquiries.models.choices import (
    SG1E_ASPERGERS,
    SG1E_AUTISM,
    ActionResult,
    CapacitySupport,
    Ethnicity,
    Gender,
    LacksCapacity,
    OutcomesAsked,
    PrimarySupportReason,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
)

from ..figures.achievement import ACHIEVEMENT_RULES
from ..figures.ages import age_not_recorded_q, aged_q
from ..scope import ReportScope
from .labels import (
    ACHIEVEMENT_LABELS,
    AGE_85_PLUS,
    AGE_BANDS,
    AGE_NOT_RECORDED,
    CONCLUDED,
    SG1_COLUMNS,
    SG1F_ROWS,
    SG3A_SUPPORT_NOT_RECORDED,
    SG3A_SUPPORTED,
    SG3A_UNSUPPORTED,
    SUPPORTED,
)
from .populations import (
    CONCERN,
    CONCERNS_RECEIVED,
    CONCLUDED_S42,
    CONCLUDED_S42_EXPRESSED,
    ENQUIRIES_STARTED,
    ENQUIRY,
    PEOPLE_IN_CONCERNS,
    PEOPLE_IN_OTHER,
    PEOPLE_IN_S42,
    PERSON,
    RECORD_MODELS,
    REVIEW,
    REVIEW_INDIVIDUAL,
    REVIEW_INDIVIDUALS_HARMED,
    REVIEWS_ARRANGED,
    Population,
)
from .reviews import SG5A_COLUMNS, SG5A_ROWS, SG5B_COLUMNS, SG5B_ROWS
from .tables import NOT_RECORDED, TOTAL

# The record kinds, as return_record_ids gives them.
__all__ = [
    "CONCERN",
    "ENQUIRY",
    "PERSON",
    "RECORD_MODELS",
    "REVIEW",
    "REVIEW_INDIVIDUAL",
    "CellKey",
    "UnknownCell",
    "cell_records",
    "count_cells",
    "return_record_ids",
]

EVERYTHING = Q()


@dataclass(frozen=True)
class CellKey:
    table: str
    row: str
    column: str


class UnknownCell(LookupError):
    """No such table, row or column in the return."""


@dataclass(frozen=True, eq=False)
class Cell:
    population: Population
    row: Q = EVERYTHING
    column: Q = EVERYTHING

    @property
    def condition(self) -> Q:
        return self.row & self.column


@dataclass(frozen=True)
class TableCells:
    """One table's cells: `cells[row][column]`, labelled as the return labels them (..tables.SacTable)."""

    id: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...] = field(repr=False)

    def cell(self, row: str, column: str) -> Cell:
        try:
            return self.cells[self.rows.index(row)][self.columns.index(column)]
        except ValueError:
            raise UnknownCell(f"{self.id}: no cell {row!r} / {column!r}") from None


def _union(conditions: Iterable[Q]) -> Q:
    return reduce(or_, conditions)


def _choices(field_name: str, choices, *, not_recorded: bool = True) -> list[tuple[str, Q]]:
    """(label, condition) for each choice, then "Not recorded" for a blank answer."""
    labelled = [(label, Q(**{field_name: value})) for value, label in choices.choices]
    return labelled + ([(NOT_RECORDED, Q(**{field_name: ""}))] if not_recorded else [])


def _grid(table_id, population, rows: list[tuple[str, Q]], columns: list[tuple[str, Q]]) -> TableCells:
    """A table of one population: each cell its row's condition and its column's, then a Total column (the
    union of the columns)."""
    columns = [*columns, (TOTAL, _union(q for _, q in columns))]
    return TableCells(
        id=table_id,
        rows=tuple(label for label, _ in rows),
        columns=tuple(label for label, _ in columns),
        cells=tuple(tuple(Cell(population, row_q, col_q) for _, col_q in columns) for _, row_q in rows),
    )


def _one_column(table_id, column: str, rows: list[tuple[Population, str, Q]]) -> TableCells:
    return TableCells(
        id=table_id,
        rows=tuple(label for _, label, _ in rows),
        columns=(column,),
        cells=tuple((Cell(population, q),) for population, _, q in rows),
    )


def _individuals(table_id, rows: list[tuple[str, Q]]) -> TableCells:
    """SG1a–SG1e: a row per category of people, a column per population of people."""
    populations = (PEOPLE_IN_CONCERNS, PEOPLE_IN_S42, PEOPLE_IN_OTHER)
    return TableCells(
        id=table_id,
        rows=tuple(label for label, _ in rows),
        columns=SG1_COLUMNS,
        cells=tuple(tuple(Cell(population, q) for population in populations) for _, q in rows),
    )


def sg1_cells(scope: ReportScope) -> list[TableCells]:
    end = scope.end
    bands = [(label, aged_q(end, youngest, oldest)) for label, youngest, oldest in AGE_BANDS]
    over_85 = _union(q for label, q in bands if label in ("85-94", "95+"))
    return [
        _individuals(
            "SG1a",
            [
                *bands,
                (AGE_85_PLUS, over_85),
                (AGE_NOT_RECORDED, age_not_recorded_q(end)),
            ],
        ),
        _individuals("SG1b", _choices("gender", Gender, not_recorded=False)),
        _individuals("SG1c", _choices("ethnicity", Ethnicity, not_recorded=False)),
        _individuals("SG1d", _choices("primary_support_reason", PrimarySupportReason, not_recorded=False)),
        _individuals("SG1e", [(SG1E_AUTISM, Q(has_autism=True)), (SG1E_ASPERGERS, Q(has_aspergers=True))]),
        _one_column(
            "SG1f",
            "Number of cases",
            [
                (CONCERNS_RECEIVED, SG1F_ROWS[0], EVERYTHING),
                (ENQUIRIES_STARTED, SG1F_ROWS[1], Q(enquiry_type=Enquiry.Type.SECTION_42)),
                (ENQUIRIES_STARTED, SG1F_ROWS[2], Q(enquiry_type=Enquiry.Type.OTHER)),
            ],
        ),
    ]


def sg2_to_sg4_cells() -> list[TableCells]:
    types = [(label, Q(risk_types=value)) for value, label in RiskType.choices]
    types.append((NOT_RECORDED, Q(risk_types__isnull=True)))
    locations = _choices("risk_location", RiskLocation)
    sources = _choices("risk_source", RiskSource)
    acted = Q(action_result=ActionResult.RISK_ACTION)
    lacked = Q(lacks_capacity=LacksCapacity.YES)
    sg3a = [
        (CONCLUDED_S42, label, q)
        for label, q in _choices("lacks_capacity", LacksCapacity, not_recorded=False)
    ]
    sg3a += [
        (CONCLUDED_S42, SG3A_SUPPORTED, lacked & Q(capacity_support__in=SUPPORTED)),
        (CONCLUDED_S42, SG3A_UNSUPPORTED, lacked & Q(capacity_support=CapacitySupport.NONE)),
        (CONCLUDED_S42, SG3A_SUPPORT_NOT_RECORDED, lacked & Q(capacity_support="")),
    ]
    sg4a = [
        (CONCLUDED_S42, label, q)
        for label, q in _choices("outcomes_asked", OutcomesAsked, not_recorded=False)
    ]
    sg4a += [
        (CONCLUDED_S42_EXPRESSED, label, rule)
        for label, (_, rule) in zip(ACHIEVEMENT_LABELS, ACHIEVEMENT_RULES, strict=True)
    ]
    return [
        _grid("SG2a", CONCLUDED_S42, types, sources),
        _grid("SG2b", CONCLUDED_S42, locations, sources),
        _grid("SG2a_b1", CONCLUDED_S42, types, locations),
        _one_column(
            "SG2c",
            CONCLUDED,
            [(CONCLUDED_S42, label, q) for label, q in _choices("action_result", ActionResult)],
        ),
        _one_column(
            "SG2e",
            CONCLUDED,
            [(CONCLUDED_S42, label, q & acted) for label, q in _choices("risk_outcome", RiskOutcome)],
        ),
        _one_column("SG3a", CONCLUDED, sg3a),
        _one_column("SG4a", CONCLUDED, sg4a),
    ]


def sg5_cells() -> list[TableCells]:
    return [
        _one_column(
            "SG5a",
            SG5A_COLUMNS[0],
            [
                (REVIEWS_ARRANGED, SG5A_ROWS[0], Q(anyone_died=True)),
                (REVIEWS_ARRANGED, SG5A_ROWS[1], Q(anyone_died=False)),
            ],
        ),
        _one_column(
            "SG5b",
            SG5B_COLUMNS[0],
            [
                (REVIEW_INDIVIDUALS_HARMED, SG5B_ROWS[0], Q(died=True)),
                (REVIEW_INDIVIDUALS_HARMED, SG5B_ROWS[1], Q(died=False)),
            ],
        ),
    ]


# Tables other modules define cells for (a function of the scope returning TableCells), added to the return
# after SG1–SG4, in order.
MORE_TABLES: list[Callable[[ReportScope], list[TableCells]]] = []


def return_cells(scope: ReportScope) -> list[TableCells]:
    """Every table's cells, in the return's order."""
    tables = [*sg1_cells(scope), *sg2_to_sg4_cells(), *sg5_cells()]
    for more in MORE_TABLES:
        tables.extend(more(scope))
    return tables


def table_cells(scope: ReportScope, table_id: str) -> TableCells:
    for table in return_cells(scope):
        if table.id == table_id:
            return table
    raise UnknownCell(f"No table {table_id!r}")


def _by_population(tables: Iterable[TableCells]) -> dict[Population, list[Cell]]:
    grouped = defaultdict(list)
    for table in tables:
        for row in table.cells:
            for cell in row:
                grouped[cell.population].append(cell)
    return grouped


def _count(condition: Q, *, distinct: bool = False) -> Count:
    if not condition:
        return Count("*")
    return Count("pk", filter=condition, distinct=distinct)


def count_cells(scope: ReportScope, tables: list[TableCells]) -> dict[str, tuple[tuple[int, ...], ...]]:
    """table id → its counts, cells[row][column]: one query of conditional counts per population, and a
    second over its rows joined to a many-valued relation for the conditions that name one. There a record
    is counted once however many of its rows match: a plain count where the condition pins the relation to
    one value (one row a record at most, as an enquiry's type of risk), DISTINCT otherwise."""
    counts: dict[Cell, int] = {}
    for population, cells in _by_population(tables).items():
        conditions = [(cell, cell.condition) for cell in cells]
        for joined in (False, True):
            group = [(cell, q) for cell, q in conditions if population.names_many(q) == joined]
            if not group:
                continue
            result = population.records(scope).aggregate(
                **{
                    f"n{i}": _count(q, distinct=joined and not population.one_row_each(q))
                    for i, (_, q) in enumerate(group)
                }
            )
            counts.update({cell: result[f"n{i}"] for i, (cell, _) in enumerate(group)})
    return {table.id: tuple(tuple(counts[cell] for cell in row) for row in table.cells) for table in tables}


def _ids_by_condition(scope: ReportScope, population: Population, cells: list[Cell]) -> dict[Cell, list[int]]:
    """Each cell's record ids: one query over the population, a column per distinct row or column condition
    (evaluated by the database, as `filter()` would), a cell being the records with a row where both hold.
    Conditions are told apart by identity (a row's is shared by its cells): comparing them would cost more
    than the query."""
    conditions: dict[int, Q] = {}
    for cell in cells:
        for q in (cell.row, cell.column):
            if q:
                conditions.setdefault(id(q), q)
    position = {key: i for i, key in enumerate(conditions)}
    rows = population.records(scope).annotate(
        **{
            f"c{i}": ExpressionWrapper(q, output_field=BooleanField())
            for i, q in enumerate(conditions.values())
        }
    )
    # Per cell, the positions of its row's and column's conditions among a row's values (None: everything).
    wanted = [
        (cell, *(position[id(q)] + 1 if q else None for q in (cell.row, cell.column))) for cell in cells
    ]
    found: dict[Cell, set[int]] = {cell: set() for cell in cells}
    for values in rows.order_by().values_list("pk", *(f"c{i}" for i in range(len(conditions)))):
        for cell, row_at, column_at in wanted:
            if (row_at is None or values[row_at]) and (column_at is None or values[column_at]):
                found[cell].add(values[0])
    return {cell: sorted(ids) for cell, ids in found.items()}


def return_record_ids(*, scope: ReportScope) -> dict[tuple[str, str, str], tuple[str, list[int]]]:
    """Every cell of the return: (table id, row label, column label) → (record kind, the sorted ids of the
    records it counts). One query per population, whatever the number of records or cells."""
    tables = return_cells(scope)
    ids: dict[Cell, list[int]] = {}
    for population, cells in _by_population(tables).items():
        ids.update(_ids_by_condition(scope, population, list(dict.fromkeys(cells))))
    return {
        (table.id, row, column): (cell.population.kind, ids[cell])
        for table in tables
        for row, cells in zip(table.rows, table.cells, strict=True)
        for column, cell in zip(table.columns, cells, strict=True)
    }


def cell_records(*, scope: ReportScope, table: str, row: str, column: str) -> tuple[str, QuerySet]:
    """One cell's records: (record kind, a queryset of that kind's model, by id, without the population's
    joins or annotations, to narrow by msp_cases.access and order). UnknownCell for a table, row or column
    the return does not have."""
    cell = table_cells(scope, table).cell(row, column)
    return cell.population.kind, records_of(scope, cell)


def records_of(scope: ReportScope, cell: Cell) -> QuerySet:
    """The cell's records, as their own model by id (without the population's joins or annotations)."""
    matching = cell.population.records(scope).filter(cell.condition).values("pk")
    return RECORD_MODELS[cell.population.kind].objects.filter(pk__in=matching)
