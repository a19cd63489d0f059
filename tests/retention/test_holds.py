"""Legal holds: placed and lifted by unit leads with who, when and why, never deleted, shown on the person's
page; a hold blocks every step of a disposal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Person
from msp_cases.retention import services
from msp_cases.retention.disposal import disposal_carry_out
from msp_cases.retention.models import Disposal, LegalHold

from .conftest import actor, closed_case

pytestmark = pytest.mark.django_db


def test_a_hold_is_placed_shown_and_lifted_but_never_deleted(world, client_for, lead):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1))
    client = client_for(lead)
    response = client.post(reverse("retention:hold_add", args=[person.pk]), {"reason": "", "reference": ""})
    assert "Enter why the record must be kept" in response.content.decode()
    client.post(
        reverse("retention:hold_add", args=[person.pk]),
        {"reason": "Inquiry notice under section 21", "reference": "INQ-2026-7"},
    )
    hold = LegalHold.objects.get(person=person)
    assert (hold.placed_by, hold.reference, hold.is_active) == (lead, "INQ-2026-7", True)
    # On the person's page, for whoever sees the person.
    page = client_for(world.users["unit"]).get(person.get_absolute_url()).content.decode()
    assert "Legal hold since" in page and "INQ-2026-7" in page
    response = client.post(reverse("retention:hold_lift", args=[hold.pk]), {"reason": "Inquiry closed"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert (hold.is_active, hold.lifted_by, hold.lift_reason) == (False, lead, "Inquiry closed")
    assert "Legal hold since" not in client.get(person.get_absolute_url()).content.decode()
    assert "Lifted on" in client.get(reverse("retention:person", args=[person.pk])).content.decode()
    assert LegalHold.objects.filter(person=person).count() == 1


def test_a_hold_blocks_a_proposal_and_the_page_says_why(world, client_for, lead):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1))
    services.hold_place(actor=actor(lead), person=person, reason="Litigation", reference="")
    with pytest.raises(services.DisposalRefused, match="A legal hold is on this record"):
        services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    page = client_for(lead).get(reverse("retention:person", args=[person.pk])).content.decode()
    assert services.HELD in page and "Propose disposal</a>" not in page
    response = client_for(lead).post(reverse("retention:propose", args=[person.pk]), {"reason": "x"})
    assert response.status_code == 409 and services.HELD in response.content.decode()
    assert not Disposal.objects.filter(person=person).exists()


def test_a_hold_placed_during_a_disposal_stops_it_before_and_after_approval(world, lead, second_lead):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1), family_name="Heldback")
    proposed = services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    services.hold_place(
        actor=actor(second_lead), person=person, reason="Safeguarding Adults Review", reference=""
    )
    proposed.refresh_from_db()
    assert proposed.status == Disposal.Status.STOPPED
    with pytest.raises(services.DisposalRefused):
        services.disposal_approve(actor=actor(second_lead), disposal=proposed)

    # Approved, then a hold arrives before the task runs: the task refuses and nothing is removed.
    hold = LegalHold.objects.get(person=person)
    services.hold_lift(actor=actor(lead), hold=hold, reason="Review decided not to proceed")
    again = services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    services.disposal_approve(actor=actor(second_lead), disposal=again)
    LegalHold.objects.create(person=person, reason="Late notice", placed_by=lead, placed_at=timezone.now())
    assert disposal_carry_out(disposal_id=again.pk).status == Disposal.Status.STOPPED
    assert Person.objects.filter(family_name="Heldback").exists()


@pytest.mark.parametrize("who", ["practitioner_north", "manager_north", "unit", "admin"])
def test_only_unit_leads_reach_the_retention_pages(world, client_for, who, lead):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1))
    hold = services.hold_place(actor=actor(lead), person=person, reason="Litigation", reference="")
    other = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1))
    disposal = services.disposal_propose(actor=actor(lead), person=other, reason="Retention period passed")
    client = client_for(world.users[who])
    assert client.get(reverse("retention:person", args=[person.pk])).status_code == 404
    for url in (
        reverse("retention:hold_add", args=[person.pk]),
        reverse("retention:propose", args=[other.pk]),
        reverse("retention:hold_lift", args=[hold.pk]),
        reverse("retention:approve", args=[disposal.pk]),
        reverse("retention:withdraw", args=[disposal.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404, url
    assert LegalHold.objects.filter(person=person).get().is_active
    disposal.refresh_from_db()
    assert disposal.status == Disposal.Status.PROPOSED
    with pytest.raises(services.NotPermitted):
        services.hold_lift(actor=actor(world.users[who]), hold=hold, reason="x")
