"""SG1a–SG1f: the individuals involved in concerns and enquiries (each person once per column, counted in
every demographic category at once), and the number of concerns and enquiries. Each cell is defined once, in
.cells, which both counts it and lists the records behind it; this module names the tables and their notes."""

from dataclasses import replace

from ..scope import ReportScope
from . import cells
from .tables import SacTable


def _tables(scope: ReportScope, table_ids: tuple[str, ...]) -> dict[str, SacTable]:
    """The tables' rows, columns and counts from their cells' definitions (.cells), one query per population:
    a query per column of SG1a–SG1e (each person once, counted in every category at once), two for SG1f."""
    definitions = [t for t in cells.sg1_cells(scope) if t.id in table_ids]
    counts = cells.count_cells(scope, definitions)
    return {
        t.id: SacTable(id=t.id, title="", rows=t.rows, columns=t.columns, cells=counts[t.id])
        for t in definitions
    }


def sg1_tables(scope: ReportScope) -> list[SacTable]:
    tables = _tables(scope, ("SG1a", "SG1b", "SG1c", "SG1d", "SG1e"))
    return [
        replace(
            tables["SG1a"],
            title="Individuals by age",
            notes=(
                "Age on the last day of the period, or at death if the person died on or before it. Each "
                "person is counted once in each column.",
                "85+ is derived: 85-94 plus 95+.",
                "Age not recorded: no date of birth, or under 18 on the last day of the period or at death.",
            ),
        ),
        replace(tables["SG1b"], title="Individuals by gender"),
        replace(tables["SG1c"], title="Individuals by ethnicity"),
        replace(tables["SG1d"], title="Individuals by primary support reason"),
        replace(
            tables["SG1e"],
            title="Individuals with autism or Asperger's syndrome",
            notes=("A person may be counted in both rows.",),
        ),
    ]


def sg1f(scope: ReportScope) -> SacTable:
    return replace(
        _tables(scope, ("SG1f",))["SG1f"],
        title="Safeguarding concerns and enquiries",
        notes=("Concerns received in the period; enquiries started (opened) in the period.",),
    )
