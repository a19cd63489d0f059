"""Finding a person: by name (typo-tolerant: pg_trgm on PostgreSQL, RapidFuzz on SQLite), date of birth, NHS
number or local identifier, and only among the people the user may see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries.selectors.people import parse_search_date, person_search

from ..access_table import VISIBLE
from ..factories import EnquiryFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("enquiries:person_search")


def _found(client, query) -> set[int]:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return {p.pk for p in response.context["page"].object_list}


@pytest.mark.parametrize("role", sorted(set(VISIBLE) - {"admin"}))
def test_search_finds_only_people_the_user_may_see(world, client_for, role):
    found = _found(client_for(world.users[role]), "Casename")
    assert found == {world.cases[c][0].pk for c in VISIBLE[role]}


def test_a_practitioner_cannot_find_another_teams_person(world, client_for):
    south = world.cases["south"][0]
    south.family_name = "Zebedee"
    south.save()
    response = client_for(world.users["practitioner_north"]).get(SEARCH, {"q": "Zebedee"})
    assert response.context["page"].paginator.count == 0
    assert south.get_absolute_url() not in response.content.decode()
    assert "No one you can see matches" in response.content.decode()


def test_a_restricted_person_is_found_only_by_those_named_and_unit_leads(world, client_for):
    restricted = world.cases["restricted_north"][0]
    restricted.nhs_number = "4857773457"
    restricted.save()
    for role, can_find in [
        ("manager_north", True),
        ("unit_lead", True),
        ("unit", False),
        ("practitioner_north", False),
    ]:
        assert (restricted.pk in _found(client_for(world.users[role]), "485 777 3457")) is can_find, role


def test_search_by_nhs_number_with_or_without_spaces(world, practitioner_client):
    person = world.cases["north"][0]
    person.nhs_number = "9434765919"
    person.save()
    assert _found(practitioner_client, "943 476 5919") == {person.pk}
    assert _found(practitioner_client, "9434765919") == {person.pk}


@pytest.mark.parametrize("typed", ["12/3/1941", "12/03/1941", "1941-03-12", "12-3-1941"])
def test_search_by_date_of_birth(world, practitioner_client, typed):
    person = world.cases["north"][0]
    person.date_of_birth = datetime.date(1941, 3, 12)
    person.save()
    assert _found(practitioner_client, typed) == {person.pk}


def test_search_by_name_and_date_of_birth_narrows_the_results(world, practitioner_client):
    person = world.cases["north"][0]
    person.date_of_birth = datetime.date(1941, 3, 12)
    person.save()
    assert _found(practitioner_client, f"{person.family_name} 12/3/1941") == {person.pk}
    assert _found(practitioner_client, f"{person.family_name} 13/3/1941") == set()


def test_search_by_local_identifier(world, practitioner_client):
    person = world.cases["north"][0]
    person.local_identifier = "SC-55012"
    person.save()
    assert _found(practitioner_client, "sc-55012") == {person.pk}


def test_search_by_preferred_name(world, practitioner_client):
    person = world.cases["north"][0]
    person.preferred_name = "Peggy"
    person.save()
    assert _found(practitioner_client, "peggy") == {person.pk}


def test_a_person_recorded_before_any_concern_is_found_by_whoever_recorded_them(world, client_for):
    person = PersonFactory(family_name="Solitary", created_by=world.users["practitioner_north"])
    assert _found(client_for(world.users["practitioner_north"]), "Solitary") == {person.pk}
    assert _found(client_for(world.users["manager_north"]), "Solitary") == set()


def test_an_empty_search_shows_no_results_list(world, practitioner_client):
    response = practitioner_client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Find a person" in response.content.decode()


def test_an_over_long_search_is_refused_clearly(world, practitioner_client):
    response = practitioner_client.get(SEARCH, {"q": "x" * 101})
    assert "Search must be 100 characters or fewer" in response.content.decode()


def test_search_words_are_shown_escaped(world, practitioner_client):
    response = practitioner_client.get(SEARCH, {"q": "<script>x</script>"})
    content = response.content.decode()
    assert "<script>x</script>" not in content
    assert "&lt;script&gt;x&lt;/script&gt;" in content


def test_search_is_paginated_with_a_fixed_number_of_queries(world, client_for):
    lead = world.users["practitioner_north"]
    client = client_for(lead)
    for _ in range(3):
        EnquiryFactory(team=world.north, lead_practitioner=lead, person=PersonFactory(family_name="Manyfold"))
    client.get(SEARCH, {"q": "Manyfold"})
    with CaptureQueriesContext(connection) as few:
        assert len(_found(client, "Manyfold")) == 3
    for _ in range(30):
        EnquiryFactory(team=world.north, lead_practitioner=lead, person=PersonFactory(family_name="Manyfold"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(SEARCH, {"q": "Manyfold"})
    assert response.context["page"].paginator.count == 33
    assert len(response.context["page"].object_list) == 20
    assert "Page 1 of 2" in response.content.decode()
    assert "q=Manyfold&amp;page=2" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_search_terms_are_not_recorded(world, practitioner_client):
    from msp_cases.audit.models import AccessEvent

    practitioner_client.get(SEARCH, {"q": "Casename"})
    assert not AccessEvent.objects.filter(detail__icontains="Casename").exists()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12/3/1941", datetime.date(1941, 3, 12)),
        ("1941-03-12", datetime.date(1941, 3, 12)),
        ("31/2/1941", None),
        ("12/3/41", None),
        ("Hughes", None),
    ],
)
def test_dates_are_read_day_first(typed, expected):
    assert parse_search_date(typed) == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="typo-tolerant search uses pg_trgm (PostgreSQL only)"
)
def test_misspelt_names_are_found_on_postgresql(world):
    user = world.users["practitioner_north"]
    margaret = PersonFactory(given_name="Margaret", family_name="Hughes", created_by=user)
    PersonFactory(given_name="Margaret", family_name="Thatcher", created_by=user)
    PersonFactory(given_name="Hugh", family_name="Grant", created_by=user)
    found = list(person_search(user=user, query="Margret Hughs"))
    assert found[0] == margaret
    assert {p.family_name for p in found} == {"Hughes"}
    # Someone else's misspelt match is still out of scope.
    assert margaret not in person_search(user=world.users["practitioner_south"], query="Margret Hughs")
