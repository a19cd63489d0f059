"""Who may see the reports and over which teams; the default period is the financial year."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from msp_cases.core.exceptions import NotFound
from msp_cases.core.periods import financial_year
from msp_cases.oversight import may_oversee, overseen_teams
from msp_cases.reports.scope import scope_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 3, 31), (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))),
        (datetime.date(2026, 4, 1), (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))),
        (datetime.date(2026, 11, 23), (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))),
    ],
)
def test_the_financial_year_runs_from_1_april_to_31_march(day, expected):
    assert financial_year(day) == expected


def test_unit_staff_see_every_team_managers_their_own_practitioners_none(world):
    users = world.users
    assert set(overseen_teams(users["unit"])) == {world.north, world.south}
    assert set(overseen_teams(users["manager_north"])) == {world.north}
    for name in ("practitioner_north", "admin"):
        assert not may_oversee(users[name])
        assert not overseen_teams(users[name]).exists()


def test_a_manager_cannot_scope_a_report_to_another_team(world):
    with pytest.raises(NotFound) as refused:
        scope_for(user=world.users["manager_north"], team=world.south)
    assert isinstance(refused.value, Http404)  # a page that reaches this shows "Page not found"
    assert scope_for(user=world.users["manager_north"]).team_ids == (world.north.pk,)


@pytest.mark.parametrize(
    ("name", "status"), [("unit", 200), ("manager_north", 200), ("practitioner_north", 403), ("admin", 403)]
)
def test_the_reports_page_is_for_unit_staff_and_managers(world, client_for, name, status):
    response = client_for(world.users[name]).get(reverse("reports:index"))
    assert response.status_code == status
    nav = 'href="/reports/"' in response.content.decode() if status == 200 else None
    assert nav in (True, None)
