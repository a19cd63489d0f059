"""Services take an Actor, not a request: a command, a task or the demo seeder calls the same service as a
page and the record of access says who did it, with no address when there was no request."""

import pytest
from django.urls import reverse

from enquiries.services.people import network_member_add, network_member_update
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor

pytestmark = pytest.mark.django_db

MEMBER = {
    "name": "Susan Hughes",
    "relationship": "family",
    "role": "Daughter",
    "agency": "",
    "contact": "07700 900123",
    "persons_view": "involved",
    "notes": "",
}


def _events():
    events = AccessEvent.objects.order_by("pk")
    return list(events.values_list("user__email", "action", "detail", "ip_address"))


def test_a_service_called_as_a_command_would_records_the_user_and_no_address(world, client_for):
    person, _, _ = world.cases["north"]
    practitioner = world.users["practitioner_north"]
    member = network_member_add(actor=Actor.of(practitioner), person=person, fields=MEMBER)
    network_member_update(
        actor=Actor.of(practitioner), member=member, expected_version=member.version, fields={"role": "Son"}
    )
    member.refresh_from_db()
    assert member.role == "Son"
    assert _events() == [
        (practitioner.email, "create", "Network member added", None),
        (practitioner.email, "change", "Network member changed", None),
    ]

    # The unit sees who did it on the person's Record of access, the address as not known.
    page = client_for(world.users["unit"]).get(reverse("enquiries:person_access_log", args=[person.pk]))
    text = page.content.decode()
    assert "Network member added" in text
    assert text.count("Not recorded") == 2  # the two events above; the unit's own view has its address


def test_the_address_an_actor_carries_is_the_address_recorded(world):
    person, _, _ = world.cases["north"]
    practitioner = world.users["practitioner_north"]
    network_member_add(actor=Actor(practitioner, ip_address="192.0.2.7"), person=person, fields=MEMBER)
    assert _events() == [(practitioner.email, "create", "Network member added", "192.0.2.7")]
