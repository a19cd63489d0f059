"""List pages cost a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import EnquiryFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["practitioner_north", "manager_north", "unit_lead"])
@pytest.mark.parametrize("show", ["mine", "open", "closed"])
def test_caseload_query_count_does_not_grow_with_the_caseload(world, client_for, role, show):
    client = client_for(world.users[role])
    url = reverse("enquiries:caseload") + f"?show={show}"
    client.get(url)  # warm per-user caches (permissions)
    before = _queries(client, url)
    lead = world.users["practitioner_north"]
    for _ in range(20):
        EnquiryFactory(team=world.north, lead_practitioner=lead, person=PersonFactory(is_restricted=False))
    assert _queries(client, url) == before
    assert before <= 14  # 14: one insert records the people the caseload named; one reads the user's teams


def test_record_of_access_page_query_count_is_fixed(world, client_for):
    person, _, enquiry = world.cases["north"]
    viewer = client_for(world.users["practitioner_north"])
    unit = client_for(world.users["unit"])
    url = reverse("enquiries:person_access_log", args=[person.pk])
    unit.get(url)
    before = _queries(unit, url)
    for _ in range(10):
        viewer.get(reverse("enquiries:enquiry_detail", args=[enquiry.pk]))
    assert _queries(unit, url) == before
