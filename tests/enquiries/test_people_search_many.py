"""A search that matches more people than the page lists: the best 100 in pages of 20, read in one query,
and a request to narrow the search down."""

import re

import pytest
from django.urls import reverse

from ..factories import PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("enquiries:person_search")


def _people_linked(html: str) -> list[str]:
    return re.findall(r'href="/people/(\d+)/"', html)


def test_more_than_a_hundred_matches_are_shown_a_hundred_at_most_and_the_user_is_asked_to_narrow_it(
    world, client_for
):
    me = world.users["practitioner_north"]
    for _ in range(104):
        PersonFactory(family_name="Ashworth", created_by=me)
    client = client_for(me)

    first = client.get(SEARCH, {"q": "Ashworth"}).content.decode()
    assert "More than 100 people found" in first
    assert "The 100 closest matches are shown" in first
    assert "Page 1 of 5" in first
    last = client.get(SEARCH, {"q": "Ashworth", "page": 5}).content.decode()
    assert "Page 5 of 5" in last
    assert len(set(_people_linked(last))) == 20
    assert not set(_people_linked(first)) & set(_people_linked(last))
    beyond = client.get(SEARCH, {"q": "Ashworth", "page": 6}).content.decode()
    assert "Page 5 of 5" in beyond  # past the end: the last page, not an error


def test_exactly_a_hundred_matches_are_all_shown_without_asking_to_narrow(world, client_for):
    me = world.users["practitioner_north"]
    for _ in range(100):
        PersonFactory(family_name="Ashworth", created_by=me)
    html = client_for(me).get(SEARCH, {"q": "Ashworth"}).content.decode()
    assert "100 people found" in html
    assert "More than" not in html
    assert "closest matches are shown" not in html
