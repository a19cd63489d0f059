"""What the page, the CSV and the PDF of a measures report all show: tables of cells, each cell a value and
how it reads ("No data" where there is nothing to divide by, never a division by zero)."""

from dataclasses import dataclass, field

from msp_cases.accounts.models import Team

from ..scope import ReportScope

NO_DATA = "No data"


def pct(part: int, whole: int) -> float | None:
    """A percentage, or None when there is nothing to divide by ("No data", never a division by zero)."""
    return None if not whole else round(100 * part / whole, 1)


@dataclass
class Cell:
    value: float | int | None
    display: str
    numeric: bool = True
    linked: bool = False  # a count whose records a page lists (the MSP measures' drill-down)


def count_cell(n: int, *, linked: bool = False) -> Cell:
    return Cell(n, f"{n:,}", linked=linked)


def pct_cell(part: int, whole: int) -> Cell:
    value = pct(part, whole)
    return Cell(value, NO_DATA if value is None else f"{value:.1f}%")


def days_cell(seconds: float | None) -> Cell:
    if seconds is None:
        return Cell(None, NO_DATA)
    days = round(seconds / 86400, 1)
    return Cell(days, f"{days:.1f} days")


@dataclass
class Table:
    key: str  # for the CSV, e.g. "msp_asked_by_quarter"
    caption: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)

    def add(self, label: str, cells: list[Cell]) -> None:
        self.rows.append((label, cells))

    def csv_rows(self):
        for label, cells in self.rows:
            for column, cell in zip(self.columns, cells, strict=True):
                yield [self.key, label, column, "" if cell.value is None else cell.value]


@dataclass
class Report:
    title: str
    scope: ReportScope
    tables: dict[str, Table]
    notes: list[str]
    charts: list = field(default_factory=list)

    def csv_rows(self):
        yield ["table", "row", "column", "value"]
        for table in self.tables.values():
            yield from table.csv_rows()


def team_names(scope: ReportScope) -> dict[int, str]:
    return dict(Team.objects.filter(pk__in=scope.team_ids).order_by("name").values_list("pk", "name"))


def add_up(groups: list[dict], keys) -> dict:
    """The counts `keys` summed over the groups a query returned."""
    total = {}
    for group in groups:
        for key in keys:
            total[key] = total.get(key, 0) + (group.get(key) or 0)
    return total


def add_up_where(groups: list[dict], key: str, value, keys) -> dict:
    """The same, over the groups whose `key` is `value` (one quarter, one team)."""
    return add_up([g for g in groups if g[key] == value], keys)
