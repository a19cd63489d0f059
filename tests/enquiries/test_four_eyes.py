"""Four eyes at sign-off: a closure is approved by a manager in the team who is neither the lead practitioner
nor the person who proposed it (the most recent proposal). The enquiry page's buttons, the sign-off page, the
sign-off queue and the service all give the same answer."""

import re

import pytest
from django.urls import reverse

from enquiries.models import Enquiry, EnquiryEvent
from enquiries.services import lifecycle
from enquiries.services.lifecycle import TransitionRefused
from msp_cases.accounts import roles
from msp_cases.core.actor import Actor
from tests.factories import UserFactory

from .factories_enquiry import make_ready_for_closure, set_status

pytestmark = pytest.mark.django_db

S = Enquiry.Status
PROPOSER_REFUSAL = "Another manager must approve this closure: you proposed it."
QUEUE = reverse("enquiries:sign_off_queue")


def sign_off_url(enquiry):
    return reverse("enquiries:enquiry_sign_off", args=[enquiry.pk])


@pytest.fixture
def users(world):
    return world.users


@pytest.fixture
def returned_then_proposed_by_manager(world, users):
    """The reproduction: the practitioner proposes closure, the manager returns it, then proposes it
    themselves."""
    enquiry = world.cases["north"][2]
    manager, practitioner = users["manager_north"], users["practitioner_north"]
    set_status(enquiry, S.IN_PROGRESS)
    make_ready_for_closure(enquiry)
    lifecycle.enquiry_propose_closure(actor=Actor.of(practitioner), enquiry=enquiry)
    lifecycle.enquiry_sign_off(actor=Actor.of(manager), enquiry=enquiry, approve=False, comments="Check it")
    lifecycle.enquiry_propose_closure(actor=Actor.of(manager), enquiry=enquiry)
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE
    return enquiry


def test_the_manager_who_proposed_the_closure_cannot_approve_it(returned_then_proposed_by_manager, users):
    enquiry = returned_then_proposed_by_manager
    with pytest.raises(TransitionRefused, match=re.escape(PROPOSER_REFUSAL)):
        lifecycle.enquiry_sign_off(actor=Actor.of(users["manager_north"]), enquiry=enquiry, approve=True)
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE
    assert not EnquiryEvent.objects.filter(enquiry=enquiry, kind=EnquiryEvent.Kind.CLOSED).exists()
    assert lifecycle.SIGN_OFF not in lifecycle.available_transitions(
        user=users["manager_north"], enquiry=enquiry
    )


def test_the_proposer_sees_no_sign_off_button_and_a_forged_post_is_refused(
    returned_then_proposed_by_manager, users, client_for
):
    enquiry = returned_then_proposed_by_manager
    client = client_for(users["manager_north"])
    page = client.get(enquiry.get_absolute_url()).content.decode()
    assert "Sign off closure" not in page
    assert sign_off_url(enquiry) not in page

    assert PROPOSER_REFUSAL in client.get(sign_off_url(enquiry)).content.decode()
    response = client.post(sign_off_url(enquiry), {"decision": "approve", "version": enquiry.version})
    assert response.status_code == 409
    assert PROPOSER_REFUSAL in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE


def test_the_queue_tells_the_proposer_another_manager_must_approve(
    returned_then_proposed_by_manager, users, client_for
):
    enquiry = returned_then_proposed_by_manager
    html = client_for(users["manager_north"]).get(QUEUE).content.decode()
    assert "Casename-north" in html  # listed, so they can see it is waiting
    assert "You proposed this closure: another manager must approve it" in html
    assert sign_off_url(enquiry) not in html


def test_a_different_manager_in_the_team_approves_it(world, returned_then_proposed_by_manager, client_for):
    enquiry = returned_then_proposed_by_manager
    colleague = UserFactory(role=roles.MANAGER, teams=[world.north])
    client = client_for(colleague)
    assert sign_off_url(enquiry) in client.get(QUEUE).content.decode()
    assert sign_off_url(enquiry) in client.get(enquiry.get_absolute_url()).content.decode()
    response = client.post(sign_off_url(enquiry), {"decision": "approve", "version": enquiry.version})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == S.CLOSED
    (closed,) = EnquiryEvent.objects.filter(enquiry=enquiry, kind=EnquiryEvent.Kind.CLOSED)
    assert closed.by == colleague


def test_only_the_most_recent_proposal_counts(world, users):
    """A manager who proposed once, was returned, and whose practitioner then proposed again may approve the
    new proposal: the four eyes are on the proposal in front of them."""
    enquiry = world.cases["north"][2]
    manager, practitioner = users["manager_north"], users["practitioner_north"]
    colleague = UserFactory(role=roles.MANAGER, teams=[world.north])
    set_status(enquiry, S.IN_PROGRESS)
    make_ready_for_closure(enquiry)
    lifecycle.enquiry_propose_closure(actor=Actor.of(manager), enquiry=enquiry)
    lifecycle.enquiry_sign_off(actor=Actor.of(colleague), enquiry=enquiry, approve=False, comments="Not yet")
    lifecycle.enquiry_propose_closure(actor=Actor.of(practitioner), enquiry=enquiry)
    enquiry.refresh_from_db()
    assert lifecycle.SIGN_OFF in lifecycle.available_transitions(user=manager, enquiry=enquiry)
    lifecycle.enquiry_sign_off(actor=Actor.of(manager), enquiry=enquiry, approve=True)
    enquiry.refresh_from_db()
    assert enquiry.status == S.CLOSED


def test_a_lead_practitioner_who_is_a_manager_cannot_approve_even_if_someone_else_proposed(
    world, users, client_for
):
    enquiry = world.cases["restricted_north"][2]  # led by North's manager
    colleague = UserFactory(role=roles.MANAGER, teams=[world.north])
    enquiry.person.restricted_to.add(colleague)
    set_status(enquiry, S.IN_PROGRESS)
    make_ready_for_closure(enquiry)
    lifecycle.enquiry_propose_closure(actor=Actor.of(colleague), enquiry=enquiry)
    with pytest.raises(TransitionRefused, match="another manager must sign off"):
        lifecycle.enquiry_sign_off(actor=Actor.of(users["manager_north"]), enquiry=enquiry, approve=True)
    html = client_for(users["manager_north"]).get(QUEUE).content.decode()
    assert "You lead this enquiry: another manager signs it off" in html
    assert sign_off_url(enquiry) not in html
    # The colleague proposed it, so they cannot approve it either; nor can the lead: a third manager must.
    with pytest.raises(TransitionRefused, match=re.escape(PROPOSER_REFUSAL)):
        lifecycle.enquiry_sign_off(actor=Actor.of(colleague), enquiry=enquiry, approve=True)
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE


def test_every_demo_closure_awaiting_sign_off_can_be_signed_off_by_a_demo_manager():
    from django.core.management import call_command

    from msp_cases.accounts.models import User

    call_command("seed_demo")
    waiting = list(Enquiry.objects.filter(status=S.PROPOSED_FOR_CLOSURE))
    assert waiting
    for enquiry in waiting:
        managers = User.objects.filter(teams=enquiry.team_id, groups__name=roles.MANAGER, is_active=True)
        assert any(
            lifecycle.SIGN_OFF in lifecycle.available_transitions(user=manager, enquiry=enquiry)
            for manager in managers
        ), enquiry


def test_the_propose_page_says_who_will_sign_it_off(world, users, client_for):
    enquiry = world.cases["north"][2]
    set_status(enquiry, S.IN_PROGRESS)
    make_ready_for_closure(enquiry)
    page = client_for(users["manager_north"]).get(
        reverse("enquiries:enquiry_propose_closure", args=[enquiry.pk])
    )
    assert "That manager cannot be you or the lead practitioner" in page.content.decode()
