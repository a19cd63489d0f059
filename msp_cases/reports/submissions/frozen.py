"""A SAC return frozen as JSON when it is submitted, and rebuilt from it: the same `SacReturn` the page, the
comparison and the workbook read, never counted again from the records."""

from msp_cases.accounts.models import Team

from ..models import SacSubmission
from ..sac.cells import return_record_ids
from ..sac.tables import SacReturn, SacTable
from ..scope import ReportScope

# (table id, row label, column label): how a cell is named in the return, its frozen record ids and the
# comparison.
Cell = tuple[str, str, str]


def figures_frozen(figures: SacReturn) -> dict:
    """The actual figures, unrounded (`as_dict(suppress=False)`), with each table's blocks of rows that
    disclosure control shows as "[x]" when empty, so the version can be shown with it exactly as it would
    have been."""
    frozen = figures.as_dict(suppress=False)
    for table, data in zip(figures.tables, frozen["tables"], strict=True):
        data["blocks"] = [list(block) for block in table.blocks]
    return frozen


def records_behind(scope: ReportScope) -> dict[Cell, tuple[str, list[int]]]:
    """The records behind each cell of the return counted now, `{(table, row, column): (kind, ids)}`: the
    cells' own definitions (..sac.cells), from which the figures are counted too."""
    return return_record_ids(scope=scope)


def record_ids_frozen(record_ids: dict) -> list:
    """`{(table, row, column): (kind, ids)}` as JSON: `[[table, row, column, kind, [ids]], ...]`."""
    return [[*cell, kind, sorted(ids)] for cell, (kind, ids) in record_ids.items()]


def record_ids_thawed(frozen: list) -> dict[Cell, tuple[str, list[int]]]:
    return {(table, row, column): (kind, ids) for table, row, column, kind, ids in frozen}


def submission_scope(submission: SacSubmission, *, team: Team | None = None) -> ReportScope:
    """The scope the version was counted over: its period, the teams counted then."""
    return ReportScope(
        start=submission.period_start,
        end=submission.period_end,
        team_ids=tuple(submission.team_ids),
        team=team if team is not None else submission.team,
    )


def submitted_return(submission: SacSubmission) -> SacReturn:
    """The return exactly as submitted, rebuilt from the frozen figures."""
    tables = tuple(
        SacTable(
            id=data["id"],
            title=data["title"],
            rows=tuple(data["rows"]),
            columns=tuple(data["columns"]),
            cells=tuple(tuple(values) for values in data["cells"]),
            notes=tuple(data.get("notes", ())),
            blocks=tuple(tuple(block) for block in data.get("blocks", ())),
            sections=tuple(tuple(section) for section in data.get("sections", ())),
        )
        for data in submission.figures["tables"]
    )
    return SacReturn(scope=submission_scope(submission), tables=tables)


def cells_of(figures: SacReturn) -> dict[Cell, int]:
    """Every cell's value, in reading order."""
    return {(table.id, row, column): value for table in figures.tables for row, column, value in table.flat()}
