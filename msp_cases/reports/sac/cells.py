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

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

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
from msp_cases.reviews.models import ReviewIndividual, SafeguardingAdultsReview

from ..figures.achievement import ACHIEVEMENT_RULES, answer_counts
from ..figures.ages import age_not_recorded_q, aged_q
from ..figures.populations import concerns_received_in, concluded_s42_in, enquiries_started_in
from ..scope import ReportScope
from .reviews import SG5A_COLUMNS, SG5A_ROWS, SG5B_COLUMNS, SG5B_ROWS, reviews_arranged_in
from .tables import NOT_RECORDED, TOTAL

# The rows' and columns' labels, verbatim from the publication where it has them (individuals.py, concluded.py
# and reviews.py name the tables and add their notes).

# SG1a: (label, youngest age, oldest age or None). 85+ is derived from the last two.
AGE_BANDS = [("18-64", 18, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85-94", 85, 94), ("95+", 95, None)]
AGE_85_PLUS = "85+"
AGE_NOT_RECORDED = "Age not recorded"

SG1_COLUMNS = (
    "Individuals involved in Safeguarding Concerns",
    "Individuals involved in Section 42 Safeguarding Enquiries",
    "Individuals involved in Other Safeguarding Enquiries",
)
SG1F_ROWS = (
    "Total Number of Safeguarding Concerns",
    "Total Number of Section 42 Safeguarding Enquiries",
    "Total Number of Other Safeguarding Enquiries",
)

# The publication's name for the population (its ENQUIRY_TYPE "Concluded Section 42 Enquiries").
CONCLUDED = "Concluded Section 42 Enquiries"
SUPPORTED = (
    CapacitySupport.ADVOCATE,
    CapacitySupport.REPRESENTATIVE,
    CapacitySupport.FAMILY,
    CapacitySupport.FRIEND,
)
# SG3a's second block, as the publication lays it out (its own range beside the capacity answers): its one
# row verbatim, then the product's own two rows, so the block adds up to the "Yes" row.
SG3A_SUPPORTED = (
    "Of the enquiries recorded as Yes, in how many of these cases was support provided by an advocate, "
    "family or friend"
)
SG3A_UNSUPPORTED = "No support provided"
SG3A_SUPPORT_NOT_RECORDED = "Support not recorded"
# SG4a's second block (the publication's own range beside the "asked" answers): the achievement answers,
# verbatim, then the product's own row for an enquiry with no answer.
SG4A_ACHIEVEMENT_NOT_RECORDED = "Achievement not recorded"


# SG4a's achievement rows, in the rule's order (.figures.achievement): the answer's label ("Fully Achieved"),
# or the product's own "Achievement not recorded".
ACHIEVEMENT_LABELS = tuple(
    achieved.label if achieved else SG4A_ACHIEVEMENT_NOT_RECORDED for achieved, _ in ACHIEVEMENT_RULES
)

PERSON, CONCERN, ENQUIRY = "person", "concern", "enquiry"
REVIEW, REVIEW_INDIVIDUAL = "review", "review individual"
RECORD_MODELS: dict[str, type[Model]] = {
    PERSON: Person,
    CONCERN: SafeguardingConcern,
    ENQUIRY: Enquiry,
    REVIEW: SafeguardingAdultsReview,
    REVIEW_INDIVIDUAL: ReviewIndividual,
}
EVERYTHING = Q()


@dataclass(frozen=True)
class CellKey:
    table: str
    row: str
    column: str


class UnknownCell(LookupError):
    """No such table, row or column in the return."""


@dataclass(frozen=True, eq=False)
class Population:
    """The records a group of cells counts: `records(scope)` is a queryset of `kind`. `many`: relations a
    condition may name that hold several rows per record."""

    name: str
    kind: str
    records: Callable[[ReportScope], QuerySet]
    many: tuple[str, ...] = ()
    # The time that put a record in the period, and what it is called: a field of the record, or for people
    # of the concerns or enquiries (`source`) they are counted from (their first in the period).
    when: str = ""
    when_label: str = ""
    source: Callable[[ReportScope], QuerySet] | None = None
    # Whose record it is (the team's name), if a team's: a review is the board's.
    team: str = "team__name"

    def names_many(self, condition: Q) -> bool:
        return any(_field(lookup) in self.many for lookup in _lookups(condition))

    def one_row_each(self, condition: Q) -> bool:
        """Whether `condition` pins the many-valued relation it names to one value (or to none at all), so a
        record matches at most one of its rows and they can be counted without DISTINCT."""
        return _pins(condition, self.many)


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


def _lookups(q: Q) -> Iterable[str]:
    """The lookups a condition names (`field__lookup=value`); an expression in it (an age at death) names
    none of the many-valued relations."""
    for child in q.children:
        if isinstance(child, Q):
            yield from _lookups(child)
        elif isinstance(child, tuple):
            yield child[0]


def _pins(q: Q, many: tuple[str, ...]) -> bool:
    if q.negated or q.connector != Q.AND:
        return False
    for child in q.children:
        if isinstance(child, Q):
            if _pins(child, many):
                return True
        elif isinstance(child, tuple):
            lookup, value = child
            field_name, _, rest = lookup.partition("__")
            if field_name in many and (rest in ("", "exact") or (rest == "isnull" and value is True)):
                return True
    return False


def _field(lookup: str) -> str:
    return lookup.split("__", 1)[0]


def _union(conditions: Iterable[Q]) -> Q:
    return reduce(or_, conditions)


# The populations, from ..figures.populations (shared with every report).


def _people_in(
    name: str, source: Callable[[ReportScope], QuerySet], when: str, when_label: str
) -> Population:
    """The people of the concerns or enquiries `source`, each once."""
    return Population(
        name,
        PERSON,
        lambda scope: Person.objects.filter(pk__in=source(scope).values("person_id")),
        when=when,
        when_label=when_label,
        source=source,
    )


def _s42_started(scope: ReportScope) -> QuerySet:
    return enquiries_started_in(scope).filter(enquiry_type=Enquiry.Type.SECTION_42)


def _other_started(scope: ReportScope) -> QuerySet:
    return enquiries_started_in(scope).filter(enquiry_type=Enquiry.Type.OTHER)


PEOPLE_IN_CONCERNS = _people_in(
    "people_in_concerns", concerns_received_in, "received_at", "First concern received in the period"
)
PEOPLE_IN_S42 = _people_in(
    "people_in_s42", _s42_started, "opened_at", "First section 42 enquiry started in the period"
)
PEOPLE_IN_OTHER = _people_in(
    "people_in_other", _other_started, "opened_at", "First other enquiry started in the period"
)
CONCERNS_RECEIVED = Population(
    "concerns_received", CONCERN, concerns_received_in, when="received_at", when_label="Received"
)
ENQUIRIES_STARTED = Population(
    "enquiries_started", ENQUIRY, enquiries_started_in, when="opened_at", when_label="Started"
)
CONCLUDED_S42 = Population(
    "concluded_s42", ENQUIRY, concluded_s42_in, many=("risk_types",), when="closed_at", when_label="Concluded"
)
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
    when="closed_at",
    when_label="Concluded",
)


# SG5a and SG5b (.reviews): the reviews the board arranged in the period, and their individuals who suffered
# serious harm.
REVIEWS_ARRANGED = Population(
    "reviews_arranged", REVIEW, reviews_arranged_in, when="decided_on", when_label="Arranged", team=""
)
REVIEW_INDIVIDUALS_HARMED = Population(
    "review_individuals_harmed",
    REVIEW_INDIVIDUAL,
    lambda scope: ReviewIndividual.objects.filter(
        review__in=reviews_arranged_in(scope).values("pk"), serious_harm=True
    ),
    when="review__decided_on",
    when_label="Review arranged",
    team="",
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


@dataclass(frozen=True)
class LocatedCell:
    """A cell found by its table and the positions of its row and column (as the page links to it)."""

    table: TableCells
    row: str
    column: str
    cell: Cell

    @property
    def kind(self) -> str:
        return self.cell.population.kind

    @property
    def when_label(self) -> str:
        return self.cell.population.when_label


def cell_at(scope: ReportScope, table_id: str, row: int, column: int) -> LocatedCell:
    """UnknownCell for a table the return does not have, or a row or column outside it."""
    table = table_cells(scope, table_id)
    if not (0 <= row < len(table.rows) and 0 <= column < len(table.columns)):
        raise UnknownCell(f"{table_id}: no cell at row {row}, column {column}")
    return LocatedCell(table, table.rows[row], table.columns[column], table.cells[row][column])


def records_of(scope: ReportScope, cell: Cell) -> QuerySet:
    """The cell's records, as their own model by id (without the population's joins or annotations)."""
    matching = cell.population.records(scope).filter(cell.condition).values("pk")
    return RECORD_MODELS[cell.population.kind].objects.filter(pk__in=matching)


def dated(scope: ReportScope, cell: Cell, records: QuerySet) -> QuerySet:
    """`records` (of the cell) with `counted_on`, the time that put each in the period, and `counted_team`,
    the name of the team whose record that is: for people, their first concern or enquiry of the population
    in the period (one lookup per person listed, on the index by person)."""
    population = cell.population
    team = F(population.team) if population.team else Value("", output_field=CharField())
    if population.source is None:
        return records.annotate(counted_on=F(population.when), counted_team=team)
    first = population.source(scope).filter(person_id=OuterRef("pk")).order_by(population.when, "pk")
    return records.annotate(
        counted_on=Subquery(first.values(population.when)[:1]),
        counted_team=Subquery(first.values("team__name")[:1]),
    )
