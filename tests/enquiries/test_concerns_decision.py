"""The decision on a concern: the three section 42 criteria, what happens next, and the enquiry it opens."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryEvent, SafeguardingConcern
from enquiries.services.concerns import ConcernAlreadyDecided, concern_decide
from msp_cases.core.actor import Actor

from .factories_concerns import decision_form_data, pending_concern

pytestmark = pytest.mark.django_db

Decision = SafeguardingConcern.Decision


@pytest.fixture
def concern(world):
    return pending_concern(
        person=world.cases["north"][0],
        team=world.north,
        allocated_to=world.users["practitioner_north"],
        risk_types=("financial", "psychological"),
    )


@pytest.fixture
def practitioner(world, client_for):
    return client_for(world.users["practitioner_north"])


def _decide(client, concern, **overrides):
    return client.post(
        reverse("enquiries:concern_decide", args=[concern.pk]),
        decision_form_data(concern=concern, **overrides),
    )


def test_a_section_42_decision_opens_the_enquiry(world, practitioner, concern):
    before = timezone.now()
    response = _decide(practitioner, concern)
    enquiry = Enquiry.objects.get(concern=concern)
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:enquiry_detail", args=[enquiry.pk])
    concern.refresh_from_db()
    assert concern.decision == Decision.SECTION_42
    assert concern.decided_by == world.users["practitioner_north"]
    assert concern.decided_at >= before
    assert (
        concern.criteria_care_needs,
        concern.criteria_abuse_or_neglect,
        concern.criteria_unable_to_protect,
    ) == (
        True,
        True,
        True,
    )
    assert enquiry.enquiry_type == Enquiry.Type.SECTION_42
    assert enquiry.status == Enquiry.Status.OPEN
    assert enquiry.lead_practitioner == world.users["practitioner_north"]  # the allocated worker by default
    assert sorted(enquiry.risk_types.values_list("code", flat=True)) == ["financial", "psychological"]
    assert enquiry.risk_location == "own_home"
    event = EnquiryEvent.objects.get(enquiry=enquiry)
    assert (event.kind, event.by) == (EnquiryEvent.Kind.OPENED, world.users["practitioner_north"])
    page = practitioner.get(response["Location"])
    assert b"Section 42 enquiry opened" in page.content


def test_the_concern_page_shows_the_decision_and_links_the_enquiry(world, practitioner, concern):
    _decide(practitioner, concern, decision_rationale="<b>Met</b> all three")
    enquiry = Enquiry.objects.get(concern=concern)
    page = practitioner.get(concern.get_absolute_url())
    assert b"Section 42 enquiry" in page.content
    assert world.users["practitioner_north"].full_name.encode() in page.content
    assert b"&lt;b&gt;Met&lt;/b&gt; all three" in page.content
    assert reverse("enquiries:enquiry_detail", args=[enquiry.pk]).encode() in page.content
    assert b"can no longer be changed" in page.content
    assert b"Record the decision" not in page.content


def test_section_42_needs_all_three_criteria(practitioner, concern):
    response = _decide(practitioner, concern, criteria_unable_to_protect="False")
    assert response.status_code == 200
    assert (
        b"A section 42 enquiry needs all three criteria to be met. "
        b"Choose &#x27;Other safeguarding enquiry&#x27; if they are not" in response.content
    )
    assert b"All three criteria are met." in response.content  # the rationale typed is kept
    assert not Enquiry.objects.filter(concern=concern).exists()
    concern.refresh_from_db()
    assert concern.decision == Decision.PENDING


def test_each_criterion_must_be_answered(practitioner, concern):
    response = _decide(practitioner, concern, criteria_care_needs="", decision="other_enquiry")
    assert b"Select yes if the person has needs for care and support" in response.content
    assert not Enquiry.objects.filter(concern=concern).exists()


def test_other_safeguarding_enquiry_when_the_criteria_are_not_met(practitioner, concern):
    _decide(practitioner, concern, decision="other_enquiry", criteria_unable_to_protect="False")
    enquiry = Enquiry.objects.get(concern=concern)
    assert enquiry.enquiry_type == Enquiry.Type.OTHER
    concern.refresh_from_db()
    assert concern.criteria_unable_to_protect is False


def test_no_further_action_needs_the_advice_given(practitioner, concern):
    response = _decide(practitioner, concern, decision="no_further_action", no_further_action_response="")
    assert b"Enter the advice, signposting or other services offered" in response.content
    concern.refresh_from_db()
    assert concern.decision == Decision.PENDING


def test_no_further_action_opens_no_enquiry(practitioner, concern):
    response = _decide(
        practitioner, concern, decision="no_further_action", no_further_action_response="Signposted to Age UK"
    )
    assert response["Location"] == concern.get_absolute_url()
    assert not Enquiry.objects.filter(concern=concern).exists()
    page = practitioner.get(concern.get_absolute_url())
    assert b"Signposted to Age UK" in page.content
    assert b"No further safeguarding action" in page.content


def test_the_reason_is_required(practitioner, concern):
    response = _decide(practitioner, concern, decision_rationale="  ")
    assert b"Enter the reason for the decision" in response.content


def test_a_missing_decision_is_named(practitioner, concern):
    response = _decide(practitioner, concern, decision="")
    assert b"Select the decision" in response.content


def test_the_lead_practitioner_must_be_in_the_concerns_team(world, practitioner, concern):
    response = _decide(practitioner, concern, lead_practitioner=str(world.users["practitioner_south"].pk))
    assert b"Select a lead practitioner from the team the concern is for" in response.content
    assert not Enquiry.objects.filter(concern=concern).exists()


def test_a_chosen_lead_practitioner_leads_the_enquiry(world, practitioner, concern):
    _decide(practitioner, concern, lead_practitioner=str(world.users["manager_north"].pk))
    assert Enquiry.objects.get(concern=concern).lead_practitioner == world.users["manager_north"]


def test_a_decision_before_the_concern_was_received_is_impossible(world, practitioner):
    # A concern whose received time is still ahead (a clock error at the referrer's end) cannot be decided.
    later = pending_concern(
        person=world.cases["north"][0],
        team=world.north,
        received_at=timezone.now() + datetime.timedelta(hours=2),
    )
    response = _decide(practitioner, later)
    assert b"The decision cannot be recorded before the concern was received" in response.content
    assert not Enquiry.objects.filter(concern=later).exists()


def test_deciding_twice_is_refused_and_opens_one_enquiry(practitioner, concern):
    first = _decide(practitioner, concern)
    second = _decide(practitioner, concern)  # a double submit: same form, same version
    assert first.status_code == second.status_code == 302
    assert second["Location"] == concern.get_absolute_url()
    assert Enquiry.objects.filter(concern=concern).count() == 1
    page = practitioner.get(second["Location"])
    assert b"A decision has already been recorded for this concern" in page.content


def test_the_service_refuses_a_second_decision(world, concern):
    actor = Actor.of(world.users["practitioner_north"])
    kwargs = {
        "criteria_care_needs": True,
        "criteria_abuse_or_neglect": True,
        "criteria_unable_to_protect": True,
        "decision_rationale": "Met",
        "decision": Decision.SECTION_42,
    }
    concern_decide(actor=actor, concern=concern, expected_version=concern.version, **kwargs)
    with pytest.raises(ConcernAlreadyDecided):
        concern_decide(actor=actor, concern=concern, expected_version=concern.version, **kwargs)
    assert Enquiry.objects.filter(concern=concern).count() == 1


def test_a_decision_on_details_changed_meanwhile_is_refused(world, practitioner, client_for, concern):
    stale = decision_form_data(concern=concern)
    manager = client_for(world.users["manager_north"])
    concern.summary = "New information from the GP"
    concern.version += 1
    concern.save()
    response = manager.post(reverse("enquiries:concern_decide", args=[concern.pk]), stale)
    assert response.status_code == 409
    assert b"Someone else changed this record" in response.content
    assert b"New information from the GP" in response.content
    assert not Enquiry.objects.filter(concern=concern).exists()


def test_the_decision_page_once_decided_sends_you_back(practitioner, concern):
    _decide(practitioner, concern)
    response = practitioner.get(reverse("enquiries:concern_decide", args=[concern.pk]), follow=True)
    assert b"A decision has already been recorded for this concern" in response.content


def test_after_a_refused_decision_deciding_again_on_the_new_details_opens_the_enquiry(
    world, client_for, concern
):
    stale = decision_form_data(concern=concern)
    manager = client_for(world.users["manager_north"])
    concern.summary = "New information from the GP"
    concern.version += 1
    concern.save()
    refused = manager.post(reverse("enquiries:concern_decide", args=[concern.pk]), stale)
    assert refused.status_code == 409
    # The page now shows the new details and carries their version: deciding again is a deliberate choice.
    assert f'name="version" value="{concern.version}"' in refused.content.decode()
    again = manager.post(
        reverse("enquiries:concern_decide", args=[concern.pk]), {**stale, "version": str(concern.version)}
    )
    assert again.status_code == 302
    assert Enquiry.objects.filter(concern=concern).count() == 1
