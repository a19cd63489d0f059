"""Tracing a figure of the MSP measures: each count of the three MSP tables links to the records it counts,
the page's total is the figure, and records the user may not open are counted without being named."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries.models.choices import DecisionMadeBy, OutcomesAsked
from msp_cases.audit.models import AccessEvent
from msp_cases.reports.measures.msp import COLUMN_MEASURES, msp_report
from outcomes.models import Achievement

from ..factories import PersonFactory
from .test_measures import PERIOD, at, concluded, conversation, data, outcome, scope  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

URL = reverse("reports:msp_cell")
TABLES = [f"{measure}_by_{by}" for measure in COLUMN_MEASURES for by in ("quarter", "team")]


@pytest.fixture(autouse=True)
def _fresh_figures():
    cache.clear()
    yield
    cache.clear()


def _cell(table, row, column, period=PERIOD, **more):
    return f"{URL}?{urlencode({**period, 'team': '', 'table': table, 'row': row, 'column': column, **more})}"


def _total(response) -> int:
    return int(re.search(r'id="cell-total">(\d+)', response.content.decode()).group(1))


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/reports/msp/cell/[^"]+)"', html)]


def _counts(report):
    """(table, row, column, value) of every count of the three MSP tables (not the percentages)."""
    for key in TABLES:
        _, columns = COLUMN_MEASURES[key.rpartition("_by_")[0]]
        for row, (_, cells) in enumerate(report.tables[key].rows):
            for column, cell in enumerate(cells):
                if columns[column] is not None:
                    yield key, row, column, cell.value


def test_every_count_lists_as_many_records_as_it_counts(data, client_for):  # noqa: F811
    client = client_for(data.users["unit_lead"])  # sees every record, restricted ones too
    counts = list(_counts(msp_report(scope=scope(data, "unit_lead"))))
    assert len(counts) == (4 + 1 + 2) * (3 + 5 + 5)  # 4 quarters and the total, 2 teams; 13 counts
    assert sum(value for *_, value in counts) > 0
    for table, row, column, value in counts:
        response = client.get(_cell(table, row, column))
        assert response.status_code == 200
        assert _total(response) == value, (table, row, column)
        assert response.content.decode().count('class="app-record-list__item"') == value, (table, row, column)


def test_every_count_but_0_links_to_its_records(data, client_for):  # noqa: F811
    client = client_for(data.users["unit"])
    html = client.get(reverse("reports:msp"), PERIOD).content.decode()
    links = _links(html)
    nonzero = [(t, r, c) for t, r, c, v in _counts(msp_report(scope=scope(data))) if v]
    assert sorted(
        (q["table"][0], int(q["row"][0]), int(q["column"][0]))
        for q in (parse_qs(urlsplit(u).query) for u in links)
    ) == sorted(nonzero)
    # The accessible name says what the number is; percentages are not links.
    assert "— records counted in Decisions recorded in conversations, by team, South Locality, " in html
    assert not any("column=2&" in link or link.endswith("column=2") for link in links if "msp_asked" in link)


def test_the_records_are_listed_with_their_date_and_team_and_recorded(data, client_for):  # noqa: F811
    client = client_for(data.users["unit"])
    # Fully achieved, Q1: E1 (both outcomes fully achieved). E2 is partially: one fully, one not.
    response = client.get(_cell("msp_achieved_by_quarter", 0, 1))
    html = response.content.decode()
    assert _total(response) == 1
    assert "10 May 2025" in html and "North Locality" in html
    enquiry = concluded(
        data.north, opened=at(2025, 4, 2), closed=at(2025, 5, 3), asked=OutcomesAsked.ASKED_EXPRESSED
    )
    outcome(enquiry, data.users["practitioner_north"], Achievement.FULLY)
    html = client.get(_cell("msp_achieved_by_quarter", 0, 1)).content.decode()
    assert html.index(enquiry.person.display_name) < html.index("10 May 2025")  # by when it was concluded
    events = AccessEvent.objects.filter(user=data.users["unit"], detail__contains="MSP measures")
    assert enquiry.person_id in set(events.values_list("person_id", flat=True))
    # Decisions made by their representative: a concern's conversation in South, the concern's team.
    decisions = client.get(_cell("msp_decisions_by_team", 1, 4)).content.decode()
    assert "South Locality" in decisions and "Conversation on 10 Oct 2025" in decisions
    assert re.search(r'href="/conversations/\d+/"', decisions)


def test_a_restricted_record_is_counted_not_named(data, client_for):  # noqa: F811
    restricted = PersonFactory(given_name="Given-hidden", family_name="Casename-hidden", is_restricted=True)
    enquiry = concluded(data.north, opened=at(2025, 4, 2), closed=at(2025, 5, 3), asked=OutcomesAsked.NO)
    enquiry.person = restricted
    enquiry.save()
    conversation(enquiry, data.users["practitioner_north"], at(2025, 5, 5), DecisionMadeBy.PERSON)
    for cell in (("msp_asked_by_quarter", 0, 0), ("msp_decisions_by_quarter", 0, 1)):
        unit = client_for(data.users["unit"]).get(_cell(*cell))
        lead = client_for(data.users["unit_lead"]).get(_cell(*cell))
        assert _total(unit) == _total(lead)
        assert "Casename-hidden" not in unit.content.decode()
        assert "1 record you cannot see is counted but not listed" in unit.content.decode()
        assert "Casename-hidden" in lead.content.decode()


def test_another_teams_records_are_not_named(data, client_for):  # noqa: F811
    manager = client_for(data.users["manager_north"])
    # Their report is North's: South's conversation is not counted, so not named.
    response = manager.get(_cell("msp_decisions_by_quarter", 4, 0))
    assert _total(response) == 3
    assert "South Locality" not in response.content.decode()
    # Asking for South's figures is an error on the form, not South's records.
    response = manager.get(_cell("msp_decisions_by_quarter", 4, 0, team=data.south.pk))
    html = response.content.decode()
    assert "There is a problem" in html and 'id="cell-total"' not in html
    assert "South Locality" not in html.split("<main", 1)[1].split("<form", 1)[0]


@pytest.mark.parametrize(
    "where",
    [
        {"table": "msp_summary"},
        {"table": "msp_asked"},
        {"table": "SG2a"},
        {"table": ""},
        {"row": "99"},
        {"row": "-1"},
        {"row": "first"},
        {"column": "2"},  # a percentage
        {"column": "5"},
        {"table": "msp_asked_by_team", "row": "2"},  # two teams
    ],
)
def test_a_count_the_tables_do_not_have_is_not_found(data, client_for, where):  # noqa: F811
    client = client_for(data.users["unit"])
    params = {**PERIOD, "team": "", "table": "msp_asked_by_quarter", "row": 0, "column": 0, **where}
    assert client.get(URL, params).status_code == 404


def test_a_period_that_is_not_valid_shows_the_forms_errors(data, client_for):  # noqa: F811
    response = client_for(data.users["unit"]).get(
        _cell("msp_asked_by_quarter", 0, 0, period={**PERIOD, "end_1": "13"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error: " in html
    assert 'name="table" value="msp_asked_by_quarter"' in html


def test_a_practitioner_cannot_ask_for_figures(data, client_for):  # noqa: F811
    response = client_for(data.users["practitioner_north"]).get(_cell("msp_asked_by_quarter", 0, 0))
    assert response.status_code == 403


def test_the_page_reads_a_fixed_number_of_queries_and_is_paginated(data, client_for):  # noqa: F811
    client = client_for(data.users["unit"])
    cells = [
        ("msp_asked_by_quarter", 4, 0),
        ("msp_achieved_by_team", 0, 1),
        ("msp_decisions_by_quarter", 4, 0),
    ]
    client.get(_cell(*cells[0]))  # the user's permissions and teams, read once per session

    def queries(n):
        user = data.users["practitioner_north"]
        for i in range(n):
            enquiry = concluded(
                data.north,
                opened=at(2025, 4, 2),
                closed=at(2025, 5, 3 + i % 20),
                asked=OutcomesAsked.ASKED_EXPRESSED,
            )
            outcome(enquiry, user, Achievement.FULLY)
            conversation(enquiry, user, at(2025, 5, 5), DecisionMadeBy.PERSON)
        counts = []
        for cell in cells:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(_cell(*cell)).status_code == 200
            counts.append(len(ctx))
        return counts

    few = queries(3)
    assert queries(27) == few
    assert max(few) <= 15
    queries(30)  # 67 concluded now
    first = client.get(_cell(*cells[0]))
    assert _total(first) == 67 and "Page 1 of 2" in first.content.decode()
    second = client.get(_cell(*cells[0], page=2)).content.decode()
    assert "Page 2 of 2" in second and second.count('class="app-record-list__item"') == 17
