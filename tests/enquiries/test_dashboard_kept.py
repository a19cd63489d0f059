"""Unit staff's dashboard over every team keeps its figures for a few minutes: over every team they count tens
of thousands of open enquiries and a thousand practitioners, which no page should do on every request. The
page says when they were counted and can count them again at once; the lists on it are always read afresh;
a manager's figures are counted every time; a restricted case is counted only for those who may open it,
kept or not."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enquiries.models import Enquiry
from enquiries.selectors import dashboard as sel
from msp_cases.accounts import roles
from tests.factories import EnquiryFactory, PersonFactory, UserFactory

from .test_dashboard import _queries, html_of

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("enquiries:team_dashboard")


def open_figure(html: str) -> int:
    return int(re.search(r'id="figure-open">(\d+)<', html).group(1))


def caseload_per_team(html: str) -> str:
    return html.split('id="teams"')[1].split('id="open-enquiries"')[0]


def a_new_open_enquiry(team, family_name="Casename-new") -> Enquiry:
    return EnquiryFactory(
        team=team,
        opened_at=timezone.now(),
        person=PersonFactory(family_name=family_name, is_restricted=False),
    )


def test_the_units_figures_over_every_team_are_kept_and_say_when(world, client_for, monkeypatch):
    monkeypatch.setattr(sel, "LIST_LIMIT", 2)
    client = client_for(world.users["unit"])
    first = html_of(client.get(DASHBOARD))
    assert "Figures as at" in first and "Recalculate now" in first
    counted = open_figure(first)

    a_new_open_enquiry(world.north)
    kept = html_of(client.get(DASHBOARD))
    assert open_figure(kept) == counted  # the figures as at when they were counted
    assert caseload_per_team(kept) == caseload_per_team(first)
    # The lists are read as the page opens: the new enquiry is listed; the caption's total is the kept figure.
    assert "Casename-new" in kept
    assert f"Open enquiries 1 to 2 of {counted}" in kept

    response = client.post(DASHBOARD)
    assert response.status_code == 302 and response.url == DASHBOARD  # back to the page as a GET
    recounted = html_of(client.get(DASHBOARD))
    assert open_figure(recounted) == counted + 1
    assert "Figures recalculated" in recounted


def test_over_every_team_the_caseload_is_a_row_per_team_leading_to_its_practitioners(world, client_for):
    client = client_for(world.users["unit"])
    everything = html_of(client.get(DASHBOARD))
    per_team = caseload_per_team(everything)
    assert f'href="?team={world.north.pk}">North Locality</a>' in per_team
    assert f'href="?team={world.south.pk}">South Locality</a>' in per_team
    assert 'id="practitioners"' not in everything
    above_the_lists = everything.split('id="open-enquiries"')[0]
    assert escape(world.users["practitioner_north"].full_name) not in above_the_lists

    one_team = html_of(client.get(DASHBOARD, {"team": world.north.pk}))
    assert 'id="teams"' not in one_team
    assert 'id="practitioners"' in one_team


def test_recalculating_returns_to_the_same_page_of_the_list(world, client_for):
    address = f"{DASHBOARD}?page=2"
    response = client_for(world.users["unit"]).post(address)
    assert response.status_code == 302 and response.url == address


def test_a_managers_figures_are_counted_every_time(world, client_for):
    client = client_for(world.users["manager_north"])
    first = html_of(client.get(DASHBOARD))
    assert "Figures as at" not in first
    a_new_open_enquiry(world.north)
    assert open_figure(html_of(client.get(DASHBOARD))) == open_figure(first) + 1


def test_unit_staff_looking_at_one_team_see_it_counted_now(world, client_for):
    client = client_for(world.users["unit"])
    first = html_of(client.get(DASHBOARD, {"team": world.north.pk}))
    assert "Figures as at" not in first
    a_new_open_enquiry(world.north)
    assert open_figure(html_of(client.get(DASHBOARD, {"team": world.north.pk}))) == open_figure(first) + 1


def test_kept_figures_count_a_restricted_case_only_for_those_who_may_open_it(world, client_for):
    """North's restricted case (named on North's manager) counts for a unit lead, not for other unit staff:
    each reads figures counted under their own part of the rule, never another's."""
    unit, lead = world.users["unit"], world.users["unit_lead"]
    another_unit = UserFactory(role=roles.SAFEGUARDING_UNIT)
    seen_by_unit = open_figure(html_of(client_for(unit).get(DASHBOARD)))  # kept first, by unit staff
    seen_by_lead = open_figure(html_of(client_for(lead).get(DASHBOARD)))
    assert seen_by_lead == seen_by_unit + 1
    assert open_figure(html_of(client_for(another_unit).get(DASHBOARD))) == seen_by_unit
    assert open_figure(html_of(client_for(unit).get(DASHBOARD))) == seen_by_unit


def test_a_cache_that_cannot_be_reached_is_counted_and_the_page_answers(world, client_for, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    counted = open_figure(html_of(client_for(world.users["unit"]).get(DASHBOARD)))
    cache.clear()
    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    a_new_open_enquiry(world.north)
    assert open_figure(html_of(client_for(world.users["unit"]).get(DASHBOARD))) == counted + 1


def test_the_units_page_costs_the_same_number_of_queries_for_few_or_many_cases(world, client_for):
    client = client_for(world.users["unit"])
    _queries(client, DASHBOARD)  # counts and keeps the figures
    few = _queries(client, DASHBOARD)
    for n in range(20):
        a_new_open_enquiry(world.south if n % 2 else world.north, family_name=f"Casename-many{n}")
    many = _queries(client, DASHBOARD)
    assert few == many, (few, many)
    # Kept figures cost no query: the session, the user, their permissions (2), the teams, the waiting
    # enquiries and concerns, the grace period, the sign-off preview, the list's count and page, the record
    # of the names shown, the unread notifications and the session's renewal (3).
    assert many <= 16, many
