"""Every CSV the product writes is safe to open in a spreadsheet: a cell that would run as a formula (a team
named =HYPERLINK(...)) is written as text, numbers stay numbers, and no module writes CSV another way."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from feedback.audits.selectors import ResultRow
from msp_cases.exports.safe_csv import neutralise_cell
from msp_cases.reports.kinds.audits import audit_csv, checklist_columns
from msp_cases.reports.kinds.measures import report_csv
from msp_cases.reports.kinds.sac import sac_csv
from msp_cases.reports.measures.msp import msp_report
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import scope_for

from .factories import EnquiryFactory, TeamFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_TEAM = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "cell, written",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("North Locality", "North Locality"),
        ("a = b", "a = b"),
        ("", ""),
        ("-", "-"),
        ("-5", "-5"),
        ("-5.25", "-5.25"),
        ("+3", "+3"),
        ("85.7", "85.7"),
        ("[c]", "[c]"),
        (-5, -5),
        (12, 12),
        (None, None),
    ],
)
def test_formula_cells_are_written_as_text_and_numbers_as_numbers(cell, written):
    assert neutralise_cell(cell) == written


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def hostile_team(world):
    team = TeamFactory(name=HOSTILE_TEAM)
    EnquiryFactory(team=team, status="closed", opened_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
                   closed_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))  # fmt: skip
    return team


def test_a_team_named_as_a_formula_comes_out_as_text_in_the_measures_csv(hostile_team, world):
    scope = scope_for(
        user=world.users["unit"], start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31)
    )
    rows = _rows(report_csv(msp_report(scope=scope)))
    labels = {row[1] for row in rows}
    assert "'" + HOSTILE_TEAM in labels
    assert HOSTILE_TEAM not in labels
    # Figures are still figures.
    assert any(row[3] == "1" for row in rows if row[1] == "'" + HOSTILE_TEAM)


def test_the_sac_csv_of_a_team_named_as_a_formula_has_no_formula(hostile_team, world):
    scope = scope_for(
        user=world.users["unit"],
        start=datetime.date(2025, 4, 1),
        end=datetime.date(2026, 3, 31),
        team=hostile_team,
    )
    rows = _rows(sac_csv(sac_return(scope=scope), suppress=False))
    assert rows[0] == ["table", "row", "column", "value"]
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert all(re.fullmatch(r"-?\d+|\[c\]|", row[3]) for row in rows[1:])


def test_audit_csv_cells_are_neutralised():
    row = ResultRow(
        team=HOSTILE_TEAM,
        quarter=datetime.date(2025, 4, 1),
        audited=1,
        grades=[("Good", 1)],
        items=[(question, 100) for _short, question in checklist_columns()],
    )
    cells = [cell for line in _rows(audit_csv([row])) for cell in line]
    assert "'" + HOSTILE_TEAM + ", Q1 2025–26 (Apr–Jun 2025)" in cells
    assert not [cell for cell in cells if cell.startswith("=")]
    assert "100" in cells


def test_the_coproduction_csv_goes_through_the_safe_writer(world, client_for, monkeypatch):
    import feedback.selectors

    monkeypatch.setattr(feedback.selectors, "part2_answer_counts", lambda **kwargs: [("=1+1", "@SUM(A1)", 3)])
    response = client_for(world.users["unit"]).get(
        reverse("feedback:coproduction_export"),
        {"start_0": "1", "start_1": "4", "start_2": "2025", "end_0": "31", "end_1": "3", "end_2": "2026"},
    )
    assert response.status_code == 200
    rows = _rows(response.content.decode("utf-8-sig"))
    assert rows[1] == ["'=1+1", "'@SUM(A1)", "3"]


def test_no_module_writes_csv_except_through_the_safe_writer():
    """csv.writer or csv.DictWriter anywhere in the product, other than in the safe writer itself, would write
    cells verbatim."""
    direct = re.compile(r"\bcsv\.(writer|DictWriter)\b|from csv import[^\n]*\b(writer|DictWriter)\b")
    offenders = []
    for app in ("msp_cases", "enquiries", "outcomes", "feedback"):
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "safe_csv.py" and path.parent.name == "exports":
                continue
            if direct.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "write CSV with msp_cases.exports.safe_csv.safe_writer"
