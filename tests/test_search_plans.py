"""A practitioner's person search checks the access rule on the name matches alone, from indexes.

At 1,000,000 concerns a misspelt common surname matches 20,000 people by trigrams, of whom a practitioner
may see a few hundred. The rule "one of the person's concerns or enquiries is in my teams or mine" was one
EXISTS per table with `team IN (…) OR worker = …` inside: PostgreSQL answered it by reading every concern
and enquiry of the user's teams from the table (8,500 pages, about 30 ms of each query), and the page asked
twice (a count, then the page). Now each column has its own EXISTS, answered from an index on (that column)
INCLUDE (person) without visiting the table, and the page reads its matches once (docs/performance.md).

As in tests/test_query_plans.py, plans are read with sequential scans priced out (on a test database of a
few rows a sequential scan is always cheapest), so this proves the query *can* be answered so: what a
rewrite of the rule back to `team IN (…) OR worker = …` would break. PostgreSQL only (CI runs it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries.models import Person
from enquiries.selectors.people import person_search
from msp_cases import access

from .factories import ConcernFactory, EnquiryFactory, PersonFactory
from .plans import POSTGRESQL_ONLY, plan_of

pytestmark = POSTGRESQL_ONLY

# Rebuilt and analysed before the plan is read (tests.plans.as_if_vacuumed).
CASE_TABLES = ("enquiries_safeguardingconcern", "enquiries_enquiry")
SCOPE_INDEXES = (
    "concern_team_person",
    "concern_allocated_person",
    "enquiry_team_person",
    "enquiry_lead_person",
)


@pytest.fixture
def hughes(world):
    """People called Hughes in every way a practitioner may or may not see them."""
    north, south = world.north, world.south
    me = world.users["practitioner_north"]
    other = world.users["practitioner_south"]
    people = {
        "north_concern": ConcernFactory(team=north, person=PersonFactory(family_name="Hughes")).person,
        "allocated_to_me": ConcernFactory(
            team=south, allocated_to=me, person=PersonFactory(family_name="Hughes")
        ).person,
        "north_enquiry": EnquiryFactory(
            team=north, lead_practitioner=other, person=PersonFactory(family_name="Hughes")
        ).person,
        "led_by_me": EnquiryFactory(
            team=south, lead_practitioner=me, person=PersonFactory(family_name="Hughes")
        ).person,
        "recorded_by_me": PersonFactory(family_name="Hughes", created_by=me),
        "south_only": ConcernFactory(team=south, person=PersonFactory(family_name="Hughes")).person,
        "restricted_north": ConcernFactory(
            team=north, person=PersonFactory(family_name="Hughes", is_restricted=True)
        ).person,
    }
    return people


def test_a_practitioners_search_checks_scope_from_the_person_indexes(world, hughes):
    user = world.users["practitioner_north"]
    plan = plan_of(person_search(user=user, query="Hughs"), tables=CASE_TABLES)
    assert "person_search_name_trgm" in plan, plan
    for index in SCOPE_INDEXES:
        assert f"Index Only Scan using {index}" in plan, plan
    for table in ("enquiries_safeguardingconcern", "enquiries_enquiry"):
        assert f"Heap Scan on {table}" not in plan, plan  # the cases' rows are not visited
        assert f"Seq Scan on {table}" not in plan, plan
    assert "Seq Scan on enquiries_person " not in plan, plan


def test_the_practitioner_finds_exactly_the_people_the_access_rule_lets_them_see(world, hughes):
    """The same answer as the rule's definition: their teams' concerns and enquiries, their own, the people
    they recorded, never another team's alone, never a restricted person they are not named on."""
    user = world.users["practitioner_north"]
    found = {p.pk for p in person_search(user=user, query="Hughs")}
    visible = {"north_concern", "allocated_to_me", "north_enquiry", "led_by_me", "recorded_by_me"}
    assert found == {hughes[name].pk for name in visible}
    assert found == set(
        access.scoped(Person.objects.filter(family_name="Hughes"), user).values_list("pk", flat=True)
    )
    restricted = hughes["restricted_north"]
    restricted.restricted_to.add(user)
    assert restricted in person_search(user=user, query="Hughs")


@pytest.mark.parametrize("role", ["practitioner_north", "unit"])
def test_the_search_page_reads_its_matches_once(world, hughes, client_for, role):
    """No separate count: the page's people come from one query of the person table."""
    client = client_for(world.users[role])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enquiries:person_search"), {"q": "Hughs"})
    assert response.status_code == 200
    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "enquiries_person"' in q["sql"]
    ]
    assert len(reads) == 1, reads
    assert "COUNT(" not in reads[0]
