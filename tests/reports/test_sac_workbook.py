"""The SAC return as the workbook a council submits: a cover sheet, a sheet per SAC table with the page's own
figures, a sheet of data-quality explanations; from the page's download and from `sac_return --format xlsx`;
aggregates only, never a name."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from msp_cases.exports import registry
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.sac.workbook import COVER_SHEET, EXPLANATIONS_SHEET
from msp_cases.reports.scope import ReportScope

from . import test_sac
from .test_sac import _export

# The return's own scenario (tests/reports/test_sac.py), as a fixture of this module too.
scenario = test_sac.sac_data

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2025-04-01", "to": "2026-03-31"}


def _scope(world) -> ReportScope:
    return ReportScope(
        start=datetime.date(2025, 4, 1),
        end=datetime.date(2026, 3, 31),
        team_ids=(world.north.pk, world.south.pk),
    )


def _book(world, **params):
    export = _export(world, world.users["unit"], "sac_return_xlsx", **PERIOD, **params)
    return load_workbook(io.BytesIO(registry.get("sac_return_xlsx").render(export)))


def _sheet_cells(sheet) -> dict[str, list]:
    """{row label: [values]} of a table's sheet (its rows start under the column headings, row 4)."""
    rows = {}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] and any(v is not None for v in row[1:]):
            rows[row[0]] = list(row[1:])
    return rows


def test_every_table_has_its_sheet_with_the_returns_figures(world, scenario):
    book = _book(world)
    figures = sac_return(scope=_scope(world))
    assert book.sheetnames == [COVER_SHEET, *(t.id for t in figures.tables), EXPLANATIONS_SHEET]
    for table in figures.tables:
        sheet = book[table.id]
        assert sheet["A1"].value == f"{table.id}: {table.title}"
        assert [c.value for c in sheet[3]][1:] == list(table.columns)
        assert _sheet_cells(sheet) == {label: list(values) for label, values in table.display()}


def test_the_cover_sheet_names_the_council_and_the_period(world, scenario, settings):
    settings.ORGANISATION_NAME = "Northshire County Council"
    cover = {
        row[0]: row[1] for row in _book(world)[COVER_SHEET].iter_rows(min_row=3, values_only=True) if row[0]
    }
    assert cover["Council"] == "Northshire County Council"
    assert cover["Period from"].date() == datetime.date(2025, 4, 1)
    assert cover["Period to"].date() == datetime.date(2026, 3, 31)
    assert cover["Disclosure control"].startswith("None")


def test_with_disclosure_control_the_workbook_shows_what_the_publication_would(world, scenario):
    book = _book(world, suppress="1")
    figures = sac_return(scope=_scope(world))
    sg1f = _sheet_cells(book["SG1f"])
    assert sg1f == {label: list(values) for label, values in figures.table("SG1f").display(suppress=True)}
    assert sg1f["Total Number of Other Safeguarding Enquiries"] == ["[c]"]
    assert (
        "[c]"
        in {row[0]: row[1] for row in book[COVER_SHEET].iter_rows(values_only=True) if row[0]}[
            "Disclosure control"
        ]
    )


def test_the_data_quality_sheet_lists_each_not_recorded_figure_with_room_to_explain_it(world, scenario):
    book = _book(world)
    figures = sac_return(scope=_scope(world))
    rows = list(book[EXPLANATIONS_SHEET].iter_rows(min_row=4, values_only=True))
    expected = [
        (table.id, label, column, value)
        for table in figures.tables
        for label, values in zip(table.rows, table.cells, strict=True)
        if label.lower().endswith(("not recorded", "not known"))
        for column, value in zip(table.columns, values, strict=True)
        if value
    ]
    assert expected, "the scenario has figures not recorded"
    assert [row[:4] for row in rows] == expected
    assert all(row[4] in (None, "") for row in rows)  # the council's words go here


def test_no_person_is_named_in_the_workbook(world, scenario):
    book = _book(world)
    text = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    for person in scenario["people"]:
        assert person.family_name not in text


def test_the_command_writes_the_workbook(world, scenario, tmp_path):
    path = tmp_path / "return.xlsx"
    out = io.StringIO()
    call_command(
        "sac_return",
        "--from",
        "2025-04-01",
        "--to",
        "2026-03-31",
        "--format",
        "xlsx",
        "--output",
        str(path),
        stdout=out,
    )
    assert f"Wrote {path}" in out.getvalue()
    book = load_workbook(path)
    figures = sac_return(scope=_scope(world))
    assert _sheet_cells(book["SG1f"]) == {
        label: list(values) for label, values in figures.table("SG1f").display()
    }


def test_the_page_offers_the_workbook(world, scenario, unit_client):
    html = unit_client.get(reverse("reports:sac"), PERIOD).content.decode()
    assert 'name="kind" value="sac_return_xlsx"' in html
    assert "Download workbook for submission" in html
