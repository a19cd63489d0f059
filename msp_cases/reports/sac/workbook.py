"""The SAC return as a workbook to submit through the Strategic Data Collection Service: a cover sheet (the
council, the period, the teams, whether disclosure control applies), one sheet per SAC table laid out as the
publication's tables are (rows and columns under their own labels, the table's notes beneath), and a sheet of
data-quality explanations: every "Not recorded" / "Not Known" cell of the return with its count and an empty
column for the council's words. The collection's own template is not public; docs/sac.md says how this one
follows the published table structure instead.

Aggregates only: no person is named anywhere in the workbook. Written with openpyxl."""

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .tables import SacReturn, SacTable

# The rows of a table that say a value was missing, which the collection asks the council to explain.
MISSING_ROWS = ("not recorded", "not known", "undeclared / not known")
EXPLANATIONS_SHEET = "Data quality"
COVER_SHEET = "Cover"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAPPED = Alignment(wrap_text=True, vertical="top")
LEFT_WRAPPED = Alignment(wrap_text=True, vertical="top", horizontal="left")


def _missing(label: str) -> bool:
    return any(label.lower().endswith(word) for word in MISSING_ROWS)


def _cover(sheet: Worksheet, figures: SacReturn, *, council: str, suppress: bool, made_at: datetime.datetime):
    scope = figures.scope
    sheet.append(["Safeguarding Adults Collection (SAC)"])
    sheet["A1"].font = TITLE
    rows = [
        ("Council", council),
        ("Period from", scope.start),
        ("Period to", scope.end),
        ("Teams", scope.team.name if scope.team else "Every team"),
        (
            "Disclosure control",
            "Applied as the publication does: under 5 (0 included) shown as [c], others to the nearest 5, "
            "[x] for an SG4a block of zeros"
            if suppress
            else "None: the council's own figures, as submitted",
        ),
        ("Made", timezone.localtime(made_at).replace(tzinfo=None)),
        ("Tables", ", ".join(table.id for table in figures.tables)),
    ]
    sheet.append([])
    for label, value in rows:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(vertical="top")
    for row in (4, 5):
        sheet.cell(row=row, column=2).number_format = "d mmmm yyyy"
    sheet.cell(row=8, column=2).number_format = "d mmmm yyyy hh:mm"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 70
    for row in sheet.iter_rows(min_row=3):
        row[1].alignment = LEFT_WRAPPED
        _fit_height(sheet, row[1], width=70)
    _printed(sheet)


def _fit_height(sheet: Worksheet, cell, *, width: int) -> None:
    """A row tall enough for its wrapped text (spreadsheet programs do not grow a row for text wrapped by a
    program that wrote it): a line of 15 points for each `width` characters."""
    lines = -(-len(str(cell.value or "")) // width)
    if lines > 1:
        sheet.row_dimensions[cell.row].height = 15 * lines


def _printed(sheet: Worksheet, *, landscape: bool = False) -> None:
    """Printed (or turned into a PDF) one page wide, however many pages long."""
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if landscape:
        sheet.page_setup.orientation = "landscape"


def _table(sheet: Worksheet, table: SacTable, *, suppress: bool) -> None:
    sheet.append([f"{table.id}: {table.title}"])
    sheet["A1"].font = BOLD
    sheet.append([])
    sheet.append(["", *table.columns])
    for cell in sheet[3]:
        cell.font = BOLD
        cell.alignment = WRAPPED
    # Headings wrap over up to five lines (bold, about 16 characters to a line of a column 22 wide):
    # spreadsheet programs do not grow a row for text wrapped here.
    sheet.row_dimensions[3].height = 15 * min(5, max(-(-len(column) // 16) for column in table.columns))
    headings = dict(table.sections)
    for label, values in table.display(suppress=suppress):
        if label in headings:  # a block of its own, as the publication lays it out: its heading above it
            sheet.append([headings[label]])
            sheet.cell(row=sheet.max_row, column=1).font = BOLD
            sheet.cell(row=sheet.max_row, column=1).alignment = WRAPPED
            _fit_height(sheet, sheet.cell(row=sheet.max_row, column=1), width=48)
        sheet.append([label, *values])
        for cell in sheet[sheet.max_row]:  # a figure beside the first line of its wrapped label
            cell.alignment = WRAPPED
        _fit_height(sheet, sheet.cell(row=sheet.max_row, column=1), width=48)
    last = get_column_letter(len(table.columns) + 1)
    for note in table.notes:  # across the table's width, wrapped: a long note never widens the printed page
        sheet.append([])
        sheet.append([note])
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet.cell(row=row, column=1).alignment = LEFT_WRAPPED
        _fit_height(sheet, sheet.cell(row=row, column=1), width=48 + 22 * len(table.columns))
    sheet.column_dimensions["A"].width = 48
    for column in range(2, len(table.columns) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 22
    sheet.freeze_panes = "B4"
    _printed(sheet, landscape=len(table.columns) > 3)


def _explanations(sheet: Worksheet, figures: SacReturn, *, suppress: bool) -> None:
    sheet.append(["Data quality: explain each figure that was not recorded or not known"])
    sheet["A1"].font = BOLD
    sheet.append([])
    sheet.append(["Table", "Row", "Column", "Count in the return", "Explanation (the council's words)"])
    for cell in sheet[3]:
        cell.font = BOLD
    for table in figures.tables:
        shown = dict(table.display(suppress=suppress))
        for i, label in enumerate(table.rows):
            if not _missing(label):
                continue
            for column, raw, value in zip(table.columns, table.cells[i], shown[label], strict=True):
                if raw:
                    sheet.append([table.id, label, column, value, ""])
    for letter, width in zip("ABCDE", (10, 30, 55, 20, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    _printed(sheet, landscape=True)


def sac_workbook(
    figures: SacReturn, *, council: str, suppress: bool = False, made_at: datetime.datetime | None = None
) -> bytes:
    """The workbook's bytes (.xlsx)."""
    book = Workbook()
    _cover(
        book.active,
        figures,
        council=council,
        suppress=suppress,
        made_at=made_at or timezone.now(),
    )
    book.active.title = COVER_SHEET
    for table in figures.tables:
        _table(book.create_sheet(table.id), table, suppress=suppress)
    _explanations(book.create_sheet(EXPLANATIONS_SHEET), figures, suppress=suppress)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
