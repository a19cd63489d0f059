"""Tracing a figure of the SAC return: each figure links to the records it counts, the page's total is the
cell, and records the user may not open are counted without being named."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.core.periods import financial_year
from msp_cases.reports.sac.cells import return_record_ids
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.sac.reviews import SG5A_COLUMNS
from msp_cases.reports.scope import ReportScope

from ..factories import ConcernFactory, PersonFactory
from .test_sac import PERIOD, _all, sac_data  # noqa: F401 (a fixture)
from .test_sac_reviews import reviews  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

URL = reverse("reports:sac_cell")


@pytest.fixture(autouse=True)
def _fresh_figures():
    cache.clear()
    yield
    cache.clear()


def _cell(table, row, column, period=PERIOD, **more):
    return f"{URL}?{urlencode({**period, 'team': '', 'table': table, 'row': row, 'column': column, **more})}"


def _today_period() -> dict:
    start, end = financial_year(timezone.localdate())
    return {
        "start_0": start.day,
        "start_1": start.month,
        "start_2": start.year,
        "end_0": end.day,
        "end_1": end.month,
        "end_2": end.year,
    }


def _total(response) -> int:
    text = re.search(r'id="cell-total">(\d+)', response.content.decode())
    return int(text.group(1))


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/reports/sac/cell/[^"]+)"', html)]


def test_every_figure_links_to_its_records_and_the_total_is_the_cell(world, sac_data, client_for):  # noqa: F811
    client = client_for(world.users["unit_lead"])
    page = client.get(reverse("reports:sac"), {**PERIOD, "team": ""})
    links = _links(page.content.decode())
    figures = sac_return(scope=_all(world))
    nonzero = [(t, r, c) for t in figures.tables for r, c, v in t.flat() if v]
    assert len(links) == len(nonzero)  # every figure but 0, once
    # The accessible name says what the number is.
    assert (
        '2<span class="govuk-visually-hidden"> — records counted in SG2a, Physical Abuse, Total</span>'
        in (page.content.decode())
    )
    for link in links[::7]:  # a spread of cells over every table
        query = parse_qs(urlsplit(link).query)
        table = figures.table(query["table"][0])
        row, column = int(query["row"][0]), int(query["column"][0])
        response = client.get(link)
        assert response.status_code == 200
        assert _total(response) == table.cells[row][column], (table.id, row, column)


def test_the_records_of_a_cell_are_listed_with_their_date_and_team(world, sac_data, client_for):  # noqa: F811
    client = client_for(world.users["unit_lead"])
    # SG1a 85+, concerns column: Cara (95, North, 1 July 2025) and Eve (85, South, 1 September 2025).
    response = client.get(_cell("SG1a", 5, 0))
    html = response.content.decode()
    assert _total(response) == 2
    assert html.index("Cara Sacthree") < html.index("Eve Sacfive")  # by the date that put them in the period
    assert "1 Jul 2025" in html and "1 Sep 2025" in html
    assert "South Locality" in html and "First concern received in the period" in html
    assert "Alice Sacone" not in html
    events = AccessEvent.objects.filter(user=world.users["unit_lead"], detail__contains="SAC return, SG1a")
    assert set(events.values_list("person_id", flat=True)) == {
        sac_data["people"][2].pk,
        sac_data["people"][4].pk,
    }


def test_a_restricted_record_is_counted_not_named(world, client_for):
    period = _today_period()
    concerns = ("SG1f", 0, 0)  # the world's concerns are received today
    scope = ReportScope(*financial_year(timezone.localdate()), team_ids=(world.north.pk, world.south.pk))
    expected = sac_return(scope=scope).table("SG1f").cells[0][0]
    unit = client_for(world.users["unit"]).get(_cell(*concerns, period=period))
    html = unit.content.decode()
    assert _total(unit) == expected == 4
    assert "Casename-restricted" not in html
    assert "1 record you cannot see is counted but not listed" in html
    assert "Casename-north" in html and "Casename-south" in html
    # Named on the record: the North manager sees it (their own team's figures: North only).
    manager = client_for(world.users["manager_north"]).get(_cell(*concerns, period=period))
    assert _total(manager) == 2
    assert "Casename-restricted" in manager.content.decode()
    assert "Casename-south" not in manager.content.decode()


def test_another_teams_figures_cannot_be_asked_for(world, client_for):
    client = client_for(world.users["manager_north"])
    response = client.get(_cell("SG1f", 0, 0, period=_today_period(), team=world.south.pk))
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Casename-south" not in html and 'id="cell-total"' not in html


@pytest.mark.parametrize(
    "where",
    [
        {"table": "SG9"},
        {"row": "99"},
        {"column": "7"},
        {"row": "-1"},
        {"row": "first"},
        {"table": ""},
    ],
)
def test_a_cell_the_return_does_not_have_is_not_found(world, client_for, where):
    client = client_for(world.users["unit"])
    params = {**PERIOD, "team": "", "table": "SG2a", "row": 0, "column": 0, **where}
    assert client.get(URL, params).status_code == 404


def test_a_period_that_is_not_valid_shows_the_forms_errors(world, client_for):
    client = client_for(world.users["unit"])
    response = client.get(_cell("SG2a", 0, 0, period={**PERIOD, "end_1": "13"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error: " in html
    assert 'name="table" value="SG2a"' in html  # showing the records again keeps the cell


def test_a_practitioner_cannot_ask_for_figures(world, client_for):
    response = client_for(world.users["practitioner_north"]).get(_cell("SG1f", 0, 0, period=_today_period()))
    assert response.status_code == 403  # as every report page: outside their role


def test_no_links_under_disclosure_control(world, sac_data, client_for):  # noqa: F811
    client = client_for(world.users["unit"])
    page = client.get(reverse("reports:sac"), {**PERIOD, "team": "", "suppress": "1"})
    assert not _links(page.content.decode())


def test_the_page_reads_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.users["unit_lead"])
    period = _today_period()
    client.get(_cell("SG1f", 0, 0, period=period))  # the user's permissions and teams, read once per session

    def queries(n):
        for _ in range(n):
            ConcernFactory(person=PersonFactory(), team=world.north)
        counts = []
        for cell in (("SG1f", 0, 0), ("SG1b", 0, 0), ("SG1a", 6, 0)):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(_cell(*cell, period=period)).status_code == 200
            counts.append(len(ctx))
        return counts

    few = queries(3)
    assert queries(27) == few  # 30 concerns now
    assert max(few) <= 15


def test_the_list_is_paginated(world, client_for):
    client = client_for(world.users["unit"])
    for _ in range(51):
        ConcernFactory(person=PersonFactory(), team=world.north, received_at=timezone.now())
    first = client.get(_cell("SG1f", 0, 0, period=_today_period()))
    assert _total(first) == 55
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(_cell("SG1f", 0, 0, period=_today_period(), page=2))
    assert "Page 2 of 2" in second.content.decode()
    # 54 listed, 50 then 4: the restricted person's concern is counted, not listed.
    assert second.content.decode().count('class="app-record-list__item"') == 4


def test_sg5_cells_list_the_reviews_and_describe_their_individuals(world, reviews, client_for):  # noqa: F811
    scope = _all(world)
    figures = sac_return(scope=scope)
    ids = return_record_ids(scope=scope)
    for table_id in ("SG5a", "SG5b"):
        table = figures.table(table_id)
        for row, column, value in table.flat():
            assert len(ids[(table_id, row, column)][1]) == value
    assert ids[("SG5a", "Where one or more individuals died", SG5A_COLUMNS[0])] == (
        "review",
        sorted([reviews["A"].pk, reviews["G"].pk]),
    )
    unit = client_for(world.users["unit"])
    died = unit.get(_cell("SG5a", 0, 0))
    assert _total(died) == 2
    assert re.search(r'href="/safeguarding-adults-reviews/\d+/">A</a>', died.content.decode())
    survived = unit.get(_cell("SG5b", 1, 0)).content.decode()
    assert "Her husband" in survived and "Adult B" in survived
    # A manager of North sees only the reviews linked to North's records, without the register's links.
    manager = client_for(world.users["manager_north"]).get(_cell("SG5a", 0, 0))
    assert _total(manager) == 1
    assert "/safeguarding-adults-reviews/" not in manager.content.decode().split('id="cell-total"')[1]
