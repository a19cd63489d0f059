"""A cell's records as the drill-down page lists them (..views.drilldown): the cell found by its position, and
each record with the time that put it in the period and whose it is."""

from dataclasses import dataclass

from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value

from ..scope import ReportScope
from .cells import Cell, TableCells, UnknownCell, table_cells


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
