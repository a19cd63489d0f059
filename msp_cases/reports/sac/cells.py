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

Record kinds: "person" (SG1a–SG1e count individuals), "concern" and "enquiry" (SG1f, SG2–SG4)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Count, ExpressionWrapper, Model, Q, QuerySet

from enquiries.models import Enquiry, Person, SafeguardingConcern
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

from ..figures.achievement import ACHIEVEMENT_RULES, answer_counts
from ..figures.ages import age_not_recorded_q, aged_q
from ..figures.populations import concerns_received_in, concluded_s42_in, enquiries_started_in
from ..scope import ReportScope
from .concluded import (
    ACHIEVEMENT_LABELS,
    CONCLUDED,
    SG3A_SUPPORT_NOT_RECORDED,
    SG3A_SUPPORTED,
    SG3A_UNSUPPORTED,
    SUPPORTED,
)
from .individuals import AGE_85_PLUS, AGE_BANDS, AGE_NOT_RECORDED, SG1_COLUMNS, SG1F_ROWS
from .tables import NOT_RECORDED, TOTAL

PERSON, CONCERN, ENQUIRY = "person", "concern", "enquiry"
RECORD_MODELS: dict[str, type[Model]] = {PERSON: Person, CONCERN: SafeguardingConcern, ENQUIRY: Enquiry}
EVERYTHING = Q()


@dataclass(frozen=True)
class CellKey:
    table: str
    row: str
    column: str


class UnknownCell(LookupError):
    """No such table, row or column in the return."""


@dataclass(frozen=True)
class Population:
    """The records a group of cells counts: `records(scope)` is a queryset of `kind`. `many`: relations a
    condition may name that hold several rows per record."""

    name: str
    kind: str
    records: Callable[[ReportScope], QuerySet]
    many: tuple[str, ...] = ()

    def names_many(self, condition: Q) -> bool:
        return any(_field(lookup) in self.many for lookup in _lookups(condition))


@dataclass(frozen=True)
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


def _lookups(q: Q) -> Iterable[str]:
    for child in q.children:
        if isinstance(child, Q):
            yield from _lookups(child)
        else:
            yield child[0]


def _field(lookup: str) -> str:
    return lookup.split("__", 1)[0]


def _union(conditions: Iterable[Q]) -> Q:
    return reduce(or_, conditions)


# The populations, from ..figures.populations (shared with every report).


def _people(enquiries_or_concerns: Callable[[ReportScope], QuerySet]) -> Callable[[ReportScope], QuerySet]:
    return lambda scope: Person.objects.filter(pk__in=enquiries_or_concerns(scope).values("person_id"))


PEOPLE_IN_CONCERNS = Population("people_in_concerns", PERSON, _people(concerns_received_in))
PEOPLE_IN_S42 = Population(
    "people_in_s42",
    PERSON,
    _people(lambda scope: enquiries_started_in(scope).filter(enquiry_type=Enquiry.Type.SECTION_42)),
)
PEOPLE_IN_OTHER = Population(
    "people_in_other",
    PERSON,
    _people(lambda scope: enquiries_started_in(scope).filter(enquiry_type=Enquiry.Type.OTHER)),
)
CONCERNS_RECEIVED = Population("concerns_received", CONCERN, concerns_received_in)
ENQUIRIES_STARTED = Population("enquiries_started", ENQUIRY, enquiries_started_in)
CONCLUDED_S42 = Population("concluded_s42", ENQUIRY, concluded_s42_in, many=("risk_types",))
# SG4a's achievement rows: of the concluded enquiries where outcomes were expressed, each with the counts of
# its active outcomes' answers (..figures.achievement), which the rules are conditions on.
CONCLUDED_S42_EXPRESSED = Population(
    "concluded_s42_expressed",
    ENQUIRY,
    lambda scope: (
        concluded_s42_in(scope)
        .filter(outcomes_asked=OutcomesAsked.ASKED_EXPRESSED)
        .annotate(**answer_counts())
    ),
)


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
        _individuals("SG1a", [*bands, (AGE_85_PLUS, over_85), (AGE_NOT_RECORDED, age_not_recorded_q(end))]),
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


# Tables other modules define cells for (a function of the scope returning TableCells), added to the return
# after SG1–SG4, in order.
MORE_TABLES: list[Callable[[ReportScope], list[TableCells]]] = []


def return_cells(scope: ReportScope) -> list[TableCells]:
    """Every table's cells, in the return's order."""
    tables = [*sg1_cells(scope), *sg2_to_sg4_cells()]
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


def _count(condition: Q, *, distinct: bool) -> Count:
    return Count("pk", filter=condition or None, distinct=distinct)


def count_cells(scope: ReportScope, tables: list[TableCells]) -> dict[str, tuple[tuple[int, ...], ...]]:
    """table id → its counts, cells[row][column]: one query of conditional counts per population (two for a
    population some of whose conditions name a many-valued relation: those count distinct records)."""
    counts: dict[Q, int] = {}
    for population, cells in _by_population(tables).items():
        conditions = list(dict.fromkeys(cell.condition for cell in cells))
        for distinct in (False, True):
            group = [q for q in conditions if population.names_many(q) == distinct]
            if not group:
                continue
            result = population.records(scope).aggregate(
                **{f"n{i}": _count(q, distinct=distinct) for i, q in enumerate(group)}
            )
            counts.update({(population, q): result[f"n{i}"] for i, q in enumerate(group)})
    return {
        table.id: tuple(
            tuple(counts[(cell.population, cell.condition)] for cell in row) for row in table.cells
        )
        for table in tables
    }


def _ids_by_condition(scope: ReportScope, population: Population, cells: list[Cell]) -> dict[Cell, list[int]]:
    """Each cell's record ids: one query over the population, a column per distinct row or column condition
    (evaluated by the database, as `filter()` would), a cell being the records with a row where both hold."""
    conditions = [q for q in dict.fromkeys(q for cell in cells for q in (cell.row, cell.column)) if q]
    aliases = {q: f"c{i}" for i, q in enumerate(conditions)}
    rows = population.records(scope).annotate(
        **{alias: ExpressionWrapper(q, output_field=BooleanField()) for q, alias in aliases.items()}
    )
    names = list(aliases.values())
    found: dict[Cell, set[int]] = {cell: set() for cell in cells}
    for pk, *values in rows.order_by().values_list("pk", *names):
        holds = dict(zip(names, values, strict=True))

        def true(q: Q, holds=holds) -> bool:
            return not q or bool(holds[aliases[q]])

        for cell in cells:
            if true(cell.row) and true(cell.column):
                found[cell].add(pk)
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
    matching = cell.population.records(scope).filter(cell.condition).values("pk")
    model = RECORD_MODELS[cell.population.kind]
    return cell.population.kind, model.objects.filter(pk__in=matching)
