"""Finding a person by phone number, postcode or other names reads an index, never every person.

At national scale a search by the last digits of a phone number, a postcode typed without its space or a
previous family name would otherwise read every person. Each has an index built on the expression search
compares (migration 0015), and these plans prove the search can use it: a change to either side (say,
`endswith` on the digits instead of a prefix of them reversed) would show here as a sequential scan. Read as
in tests/test_search_plans.py, with sequential scans priced out. PostgreSQL only (CI runs it)."""

import pytest

from enquiries.selectors.people import person_search

from .factories import ConcernFactory, PersonFactory
from .plans import POSTGRESQL_ONLY, plan_of

pytestmark = POSTGRESQL_ONLY

PEOPLE = ("enquiries_person",)


@pytest.fixture
def margaret(world):
    person = PersonFactory(phone="07700 900123", postcode="NT1 2AB", other_names="Peggy Jones")
    ConcernFactory(team=world.north, person=person)
    return person


@pytest.mark.parametrize("role", ["practitioner_north", "unit"])
@pytest.mark.parametrize(
    ("typed", "index"),
    [
        ("900123", "person_phone_reversed"),  # the last six digits
        ("07700 900123", "person_phone_reversed"),
        ("nt12ab", "person_postcode"),
        ("Peggy", "person_other_names_trgm"),
    ],
)
def test_search_by_an_identifier_reads_its_index(world, margaret, role, typed, index):
    user = world.users[role]
    assert margaret in person_search(user=user, query=typed)
    plan = plan_of(person_search(user=user, query=typed), tables=PEOPLE)
    assert index in plan, plan
    assert "Seq Scan on enquiries_person " not in plan, plan


def test_a_name_search_still_reads_the_names_trigram_index_beside_the_other_names(world, margaret):
    plan = plan_of(person_search(user=world.users["unit"], query="Margret Hughs"), tables=PEOPLE)
    assert "Bitmap Index Scan on person_search_name_trgm" in plan, plan
    assert "Bitmap Index Scan on person_other_names_trgm" in plan, plan
