"""The SAC return and the MSP measures as JSON: the very figures the Reports pages show (the hand-worked data
sets of tests/reports/test_sac.py and test_measures.py, read through the page and through the API), the SAC's
labels verbatim, over the teams the client is bound to as a manager sees their own teams', each read recorded
as an export of the report; a bad period is a 400 problem, never a 500."""

import pytest
from django.urls import reverse

from msp_cases.audit.models import AccessEvent
from msp_cases.reports.sac.labels import ACHIEVEMENT_LABELS, SG1_COLUMNS, SG1F_ROWS
from tests.reports import test_measures, test_sac

pytestmark = pytest.mark.django_db

# The hand-worked data sets, as fixtures here too: the financial year 2025-26.
sac_data = test_sac.sac_data
data = test_measures.data
PERIOD = {"from": "2025-04-01", "to": "2026-03-31"}
BOTH = ["North Locality", "South Locality"]


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def _page_tables(response) -> dict:
    """The SAC page's tables as it shows them: id -> (rows, columns, cells)."""
    return {
        table.id: ([label for label, _ in rows], list(table.columns), [cells for _, cells in rows])
        for table, rows in response.context["tables"]
    }


def _api_tables(body) -> dict:
    return {t["id"]: (t["rows"], t["columns"], t["cells"]) for t in body["tables"]}


@pytest.mark.parametrize(
    ("viewer", "teams"),
    [("unit", BOTH), ("manager_north", ["North Locality"]), ("manager_south", ["South Locality"])],
)
def test_the_sac_return_is_the_pages_figures_label_for_label(
    world, sac_data, partner, client_for, viewer, teams
):
    page = client_for(world.users[viewer]).get(reverse("reports:sac"), {**test_sac.PERIOD})
    body = partner(["reports:read"], teams).get("/api/v1/reports/sac/", **PERIOD).json()
    assert body["period"] == PERIOD and body["teams"] == teams and body["suppressed"] is False
    assert _api_tables(body) == _page_tables(page)
    assert any(any(any(row) for row in cells) for _, _, cells in _api_tables(body).values())  # not all zeros


def test_the_sac_return_under_disclosure_control_is_the_pages_too(world, sac_data, partner, client_for):
    page = client_for(world.users["unit"]).get(reverse("reports:sac"), {**test_sac.PERIOD, "suppress": "1"})
    body = partner(["reports:read"], BOTH).get("/api/v1/reports/sac/", suppress="true", **PERIOD).json()
    assert body["suppressed"] is True
    assert _api_tables(body) == _page_tables(page)


def test_the_sacs_labels_are_verbatim(world, sac_data, partner):
    body = partner(["reports:read"], BOTH).get("/api/v1/reports/sac/", year=2025).json()
    tables = {t["id"]: t for t in body["tables"]}
    # As docs/sac.md writes them, from the publication.
    assert tables["SG1a"]["columns"] == list(SG1_COLUMNS)
    assert tables["SG1a"]["columns"][0] == "Individuals involved in Safeguarding Concerns"
    assert tables["SG1f"]["rows"] == list(SG1F_ROWS)
    assert "Fully Achieved" in tables["SG4a"]["rows"] and set(ACHIEVEMENT_LABELS) <= set(
        tables["SG4a"]["rows"]
    )
    assert list(tables)[:6] == ["SG1a", "SG1b", "SG1c", "SG1d", "SG1e", "SG1f"]
    assert body["period"] == PERIOD  # year=2025 is the financial year from 1 April 2025


def test_one_of_the_clients_teams_alone(world, sac_data, partner, client_for):
    page = client_for(world.users["unit"]).get(
        reverse("reports:sac"), {**test_sac.PERIOD, "team": world.south.pk}
    )
    body = partner(["reports:read"], BOTH).get("/api/v1/reports/sac/", team=world.south.pk, **PERIOD).json()
    assert body["team"] == "South Locality" and body["teams"] == ["South Locality"]
    assert _api_tables(body) == _page_tables(page)


def test_another_team_is_a_404_as_on_the_pages(world, sac_data, partner):
    client = partner(["reports:read"], ["North Locality"])
    _problem(client.get("/api/v1/reports/sac/", team=world.south.pk, **PERIOD), 404)
    _problem(client.get("/api/v1/reports/msp/", team=world.south.pk, **PERIOD), 404)
    _problem(client.get("/api/v1/reports/sac/", team=999999, **PERIOD), 404)


def test_a_client_bound_to_no_team_has_no_figures(world, partner):
    client = partner(["reports:read"], [])
    assert "no team" in _problem(client.get("/api/v1/reports/sac/"), 403)["detail"]


def test_the_msp_measures_are_the_pages_figures(world, data, partner, client_for):
    page = client_for(world.users["manager_north"]).get(reverse("reports:msp"), test_measures.PERIOD)
    report = page.context["report"]
    body = partner(["reports:read"], ["North Locality"]).get("/api/v1/reports/msp/", **PERIOD).json()
    assert body["title"] == report.title and body["teams"] == ["North Locality"]
    assert [t["key"] for t in body["tables"]] == list(report.tables)
    for table in body["tables"]:
        expected = report.tables[table["key"]]
        assert table["caption"] == expected.caption and table["columns"] == expected.columns
        assert [(r["label"], [(c["value"], c["display"]) for c in r["cells"]]) for r in table["rows"]] == [
            (label, [(c.value, c.display) for c in cells]) for label, cells in expected.rows
        ]
    asked = {r["label"]: r["cells"] for r in body["tables"][0]["rows"]}
    assert asked  # the data set's five concluded enquiries are there to compare


@pytest.mark.parametrize("report", ["sac", "msp"])
def test_each_read_is_recorded_as_an_export_of_the_report(world, partner, report):
    client = partner(["reports:read"], BOTH)
    assert client.get(f"/api/v1/reports/{report}/").status_code == 200
    [event] = AccessEvent.objects.filter(user=client.client.user)
    assert event.action == AccessEvent.Action.EXPORT and event.person_id is None
    assert event.detail == {"sac": "SAC return", "msp": "MSP measures"}[report] + " read through the API"


@pytest.mark.parametrize("report", ["sac", "msp"])
@pytest.mark.parametrize("scopes", [["cases:read", "people:read"], ["cases:write", "referrals:write"]])
def test_reports_need_reports_read(world, partner, report, scopes):
    _problem(partner(scopes, BOTH).get(f"/api/v1/reports/{report}/"), 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30", "to": "2026-03-31"}, "from"),
        ({"from": "31/03/2026", "to": "2026-03-31"}, "from"),
        ({"from": "2026-03-31", "to": "2025-04-01"}, "to"),
        ({"from": "2015-04-01", "to": "2026-03-31"}, "to"),
        ({"from": "2026-04-01"}, "to"),
        ({"year": "2025", "from": "2025-04-01", "to": "2026-03-31"}, "year"),
        ({"year": "99999"}, "year"),
        ({"year": "twenty"}, "year"),
        ({"team": "North"}, "team"),
        ({"team": "1" * 30}, "team"),
        # Refused before the view by the guard every request passes (msp_cases/core/input_guard.py).
        ({"from": "2025-04-01\x00", "to": "2026-03-31"}, None),
        ({"suppress": "perhaps"}, "suppress"),
    ],
)
def test_a_bad_period_is_a_400_problem_never_a_500(world, partner, params, field):
    body = _problem(partner(["reports:read"], BOTH).get("/api/v1/reports/sac/", **params), 400)
    assert field is None or field in body["errors"]
