"""Typo-tolerant person search without pg_trgm: on SQLite (the embedded default, `make run`) "Margret Hughs"
finds Margaret Hughes as it does on PostgreSQL. The scoring is tested on its own, and the page end to end with
the SQLite path forced, so these run on either database (CI runs PostgreSQL)."""

import datetime

import pytest
from django.urls import reverse

from enquiries.selectors import people as people_selectors
from enquiries.selectors.people import _fuzzy_name_matches, person_search

from ..factories import PersonFactory

SEARCH = reverse("enquiries:person_search")

CANDIDATES = [
    (1, "Margaret", "Hughes", ""),
    (2, "Margaret", "Thatcher", ""),
    (3, "Hugh", "Grant", ""),
    (4, "John", "Smith", ""),
    (5, "Priya", "Smith-Jones", "Pri"),
    (6, "Eleanor", "Okafor", "Nell"),
]


@pytest.mark.parametrize(
    "typed, found",
    [
        ("Margret Hughs", [1]),
        ("Hughs", [1, 3]),  # Hughes is the closer spelling; Hugh Grant is a near one
        ("Jon Smith", [4, 5]),
        ("Smyth", [4, 5]),
        ("Jones", [5]),  # a part of a double-barrelled name
        ("Nel Okafor", [6]),  # the preferred name, mistyped
        ("Hugh", [3, 1]),  # a name as typed, and one it begins, as before
        ("Marg", [1, 2]),
    ],
)
def test_misspelt_names_match_best_first(typed, found):
    assert _fuzzy_name_matches(CANDIDATES, typed.split()) == found


@pytest.mark.parametrize("typed", ["Xyz", "Tom", "Margret Smith", "Hughs Thatcher", "Zebedee"])
def test_an_unrelated_name_matches_nobody(typed):
    assert _fuzzy_name_matches(CANDIDATES, typed.split()) == []


@pytest.fixture
def without_trigrams(monkeypatch):
    """The search as it runs on SQLite, whichever database the suite runs on."""
    monkeypatch.setattr(people_selectors, "_uses_trigrams", lambda: False)


def _found(client, query) -> list[int]:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return [p.pk for p in response.context["page"].object_list]


@pytest.mark.django_db
def test_the_search_page_finds_a_misspelt_name_without_trigrams(world, client_for, without_trigrams):
    me = world.users["practitioner_north"]
    margaret = PersonFactory(given_name="Margaret", family_name="Hughes", created_by=me)
    PersonFactory(given_name="Margaret", family_name="Thatcher", created_by=me)
    grant = PersonFactory(given_name="Hugh", family_name="Grant", created_by=me)
    client = client_for(me)

    response = client.get(SEARCH, {"q": "Margret Hughs"})
    assert [p.pk for p in response.context["page"].object_list] == [margaret.pk]
    assert margaret.get_absolute_url() in response.content.decode()
    assert _found(client, "Hughs") == [margaret.pk, grant.pk]
    assert _found(client, "Xyz") == []
    assert "No one you can see matches" in client.get(SEARCH, {"q": "Xyz"}).content.decode()


@pytest.mark.django_db
def test_without_trigrams_the_scope_still_applies(world, client_for, without_trigrams):
    margaret = PersonFactory(
        given_name="Margaret", family_name="Hughes", created_by=world.users["practitioner_north"]
    )
    assert _found(client_for(world.users["practitioner_south"]), "Margret Hughs") == []
    assert margaret not in person_search(user=world.users["practitioner_south"], query="Margret Hughs")


@pytest.mark.django_db
def test_without_trigrams_a_restricted_person_stays_hidden(world, client_for, without_trigrams):
    restricted = world.cases["restricted_north"][0]
    restricted.given_name, restricted.family_name = "Margaret", "Hughes"
    restricted.save()
    assert restricted.pk not in _found(client_for(world.users["practitioner_north"]), "Margret Hughs")
    assert restricted.pk in _found(client_for(world.users["manager_north"]), "Margret Hughs")


@pytest.mark.django_db
def test_without_trigrams_dates_of_birth_and_identifiers_work_as_before(world, client_for, without_trigrams):
    me = world.users["practitioner_north"]
    margaret = PersonFactory(
        given_name="Margaret", family_name="Hughes", date_of_birth=datetime.date(1941, 3, 12), created_by=me
    )
    PersonFactory(
        given_name="Margaret", family_name="Hughes", date_of_birth=datetime.date(1950, 1, 1), created_by=me
    )
    margaret.local_identifier = "SC-55012"
    margaret.save()
    client = client_for(me)
    assert _found(client, "Margret Hughs 12/3/1941") == [margaret.pk]
    assert _found(client, "Margret Hughs 13/3/1941") == []
    assert _found(client, "sc-55012") == [margaret.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["a " * 50, "x" * 100, "% _ \\", "Zoë Brontë"])
def test_without_trigrams_the_longest_and_oddest_searches_answer(world, client_for, without_trigrams, typed):
    """A 100-character search is up to 150 pieces to compare: the page answers, never an error."""
    response = client_for(world.users["practitioner_north"]).get(SEARCH, {"q": typed.strip()})
    assert response.status_code == 200
    assert "found" in response.content.decode()
