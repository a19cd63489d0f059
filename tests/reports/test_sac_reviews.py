"""SG5a and SG5b, Safeguarding Adults Reviews, from the unit's register, on a hand-worked set of reviews whose
every cell a reader can check by eye: the reviews arranged in the period (its first and last days
included), the individuals of those reviews who suffered serious harm, a team's return counting the reviews
linked to its records, in the page's download, the CSV and the workbook, and under disclosure control."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from msp_cases.exports import registry
from msp_cases.exports.models import Export
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.sac.reviews import SG5A_COLUMNS, SG5B_COLUMNS, sg5_tables
from msp_cases.reports.scope import ReportScope, scope_for
from msp_cases.reviews.models import SafeguardingAdultsReview
from tests.reviews.helpers import review

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
DIED, NONE_DIED = "Where one or more individuals died", "Where no individuals died"
HARM_DIED, HARM_SURVIVED = "Who suffered serious harm and died", "Who suffered serious harm and survived"
REVIEWS, INDIVIDUALS = SG5A_COLUMNS[0], SG5B_COLUMNS[0]
NOT_ARRANGED = SafeguardingAdultsReview.Decision.NOT_ARRANGED
PENDING = SafeguardingAdultsReview.Decision.PENDING


@pytest.fixture
def reviews(world):
    """The register, review by review, with what each adds to the council-wide return:

    A  arranged 1 Apr 2025 (first day), someone died; North's enquiry.  SG5a died +1; SG5b died +1,
       survived +1 (the third individual suffered no serious harm: neither row)
    B  arranged 31 Mar 2026 (last day), nobody died; no record linked.  SG5a none died +1; SG5b survived +1
    C  arranged 31 Mar 2025 (the day before)                            nothing
    D  arranged 1 Apr 2026 (the day after)                              nothing
    E  not arranged, decided 1 Jun 2025                                 nothing
    F  not decided yet                                                  nothing
    G  arranged 1 Sep 2025, someone died: South's person, by the individual alone.
                                                                        SG5a died +1; SG5b died +1
    """
    unit = world.users["unit"]
    north_person, _, north_enquiry = world.cases["north"]
    south_person, _, _ = world.cases["south"]
    return {
        "A": review(
            unit,
            name="A",
            decided_on=START,
            anyone_died=True,
            individuals=[(north_person, True, True), ("Her husband", True, False), ("Her son", False, False)],
            enquiries=[north_enquiry],
        ),
        "B": review(unit, name="B", decided_on=END, individuals=[("Adult B", True, False)]),
        "C": review(
            unit,
            name="C",
            decided_on=START - datetime.timedelta(days=1),
            anyone_died=True,
            individuals=[("Adult C", True, True)],
        ),
        "D": review(
            unit,
            name="D",
            decided_on=END + datetime.timedelta(days=1),
            individuals=[("Adult D", True, False)],
            referred_on=datetime.date(2026, 3, 1),
        ),
        "E": review(unit, name="E", decision=NOT_ARRANGED, individuals=[("Adult E", True, False)]),
        "F": review(
            unit, name="F", decision=PENDING, decided_on=None, individuals=[("Adult F", True, False)]
        ),
        "G": review(
            unit,
            name="G",
            decided_on=datetime.date(2025, 9, 1),
            anyone_died=True,
            individuals=[(south_person, True, True)],
        ),
    }


def _scope(world, *teams, team=None) -> ReportScope:
    team_ids = tuple(t.pk for t in teams) if teams else (world.north.pk, world.south.pk)
    return ReportScope(start=START, end=END, team_ids=team_ids, team=team)


def _cells(tables) -> dict:
    sg5a, sg5b = tables
    return {
        "SG5a": {row: sg5a.cell(row, REVIEWS) for row in sg5a.rows},
        "SG5b": {row: sg5b.cell(row, INDIVIDUALS) for row in sg5b.rows},
    }


def test_every_team_counts_every_review_arranged_in_the_period(world, reviews):
    assert _cells(sg5_tables(_scope(world))) == {
        "SG5a": {DIED: 2, NONE_DIED: 1},  # A and G; B
        "SG5b": {HARM_DIED: 2, HARM_SURVIVED: 2},  # A's person and G's; A's husband and B's adult
    }


def test_one_team_counts_the_reviews_linked_to_its_records(world, reviews):
    assert _cells(sg5_tables(_scope(world, world.north, team=world.north))) == {
        "SG5a": {DIED: 1, NONE_DIED: 0},  # A, by its enquiry (B is linked to nothing)
        "SG5b": {HARM_DIED: 1, HARM_SURVIVED: 1},
    }
    assert _cells(sg5_tables(_scope(world, world.south, team=world.south))) == {
        "SG5a": {DIED: 1, NONE_DIED: 0},  # G, by its individual's person, whose enquiry is South's
        "SG5b": {HARM_DIED: 1, HARM_SURVIVED: 0},
    }


def test_a_managers_return_counts_their_teams_reviews_alone(world, reviews):
    scope = scope_for(user=world.users["manager_north"], start=START, end=END)
    assert _cells(sg5_tables(scope))["SG5a"] == {DIED: 1, NONE_DIED: 0}
    unit_scope = scope_for(user=world.users["unit"], start=START, end=END)
    assert _cells(sg5_tables(unit_scope))["SG5a"] == {DIED: 2, NONE_DIED: 1}


def test_the_return_ends_with_sg5a_and_sg5b(world, reviews):
    figures = sac_return(scope=_scope(world))
    assert [t.id for t in figures.tables][-2:] == ["SG5a", "SG5b"]
    assert figures.table("SG5a").rows == (DIED, NONE_DIED)
    assert figures.table("SG5b").rows == (HARM_DIED, HARM_SURVIVED)


def _export(world, kind) -> Export:
    return Export.objects.create(
        kind=kind,
        params={"from": START.isoformat(), "to": END.isoformat()},
        requested_by=world.users["unit"],
        title="SAC return",
        filename="sac",
        content_type="text/csv",
        created_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )


def test_the_csv_has_both_tables(world, reviews):
    csv = registry.get("sac_return_csv").render(_export(world, "sac_return_csv")).decode("utf-8-sig")
    lines = csv.splitlines()
    assert f"SG5a,{DIED},{REVIEWS},2" in lines
    assert f"SG5a,{NONE_DIED},{REVIEWS},1" in lines
    assert f"SG5b,{HARM_DIED},{INDIVIDUALS},2" in lines
    assert f"SG5b,{HARM_SURVIVED},{INDIVIDUALS},2" in lines


def test_the_workbook_has_a_sheet_for_each(world, reviews):
    book = load_workbook(
        io.BytesIO(registry.get("sac_return_xlsx").render(_export(world, "sac_return_xlsx")))
    )
    for sheet_name, expected in (
        ("SG5a", {DIED: [2], NONE_DIED: [1]}),
        ("SG5b", {HARM_DIED: [2], HARM_SURVIVED: [2]}),
    ):
        sheet = book[sheet_name]
        rows = {
            row[0]: list(row[1:2])
            for row in sheet.iter_rows(min_row=4, values_only=True)
            if row[0] in expected
        }
        assert rows == expected
        assert sheet.cell(row=3, column=2).value in (REVIEWS, INDIVIDUALS)
    assert "SG5a, SG5b" in str(book["Cover"]["B9"].value) or any(
        "SG5b" in str(cell.value) for row in book["Cover"].iter_rows() for cell in row
    )


def test_the_page_shows_both_tables(world, reviews, client_for):
    page = (
        client_for(world.users["unit"])
        .get("/reports/sac/", {"from": START.isoformat(), "to": END.isoformat()})
        .content.decode()
    )
    for text in ("SG5a", "SG5b", DIED, NONE_DIED, HARM_DIED, HARM_SURVIVED):
        assert text in page, text


def test_disclosure_control_hides_small_counts_and_rounds_the_rest(world):
    unit = world.users["unit"]
    for n in range(7):  # seven arranged, nobody died: 7 shown as 5; an empty row is [c]
        review(
            unit,
            name=f"R{n}",
            decided_on=datetime.date(2025, 6, 1),
            individuals=[(f"Adult {n}", True, False)],
        )
    sg5a, sg5b = sg5_tables(_scope(world))
    assert sg5a.shown_cells(suppress=True) == [["[c]"], [5]]
    assert sg5b.shown_cells(suppress=True) == [["[c]"], [5]]
    assert sg5a.shown_cells() == [[0], [7]]
