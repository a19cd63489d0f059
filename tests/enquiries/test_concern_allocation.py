"""Allocating a concern is its own step. A concern routed from the front door arrives in the referrer's words,
without types, location or source of risk: its team's manager allocates it in one step, nobody else can, a
stale page is refused, and the practitioner classifies it when deciding (the decision page asks)."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from enquiries.models import Enquiry, RiskTypeOption, SafeguardingConcern
from enquiries.refusals import TransitionRefused
from enquiries.services.concern_allocation import concern_allocate
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.frontdoor.services import screening
from msp_cases.notifications.emails import what_happened
from msp_cases.notifications.models import Notification
from tests.factories import PersonFactory, UserFactory
from tests.frontdoor.queue_scene import front_door, make_referral  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(world, front_door):  # noqa: F811
    """A referral the front door routed to South: a concern awaiting a decision, unclassified, unallocated."""
    person = PersonFactory(given_name="Margaret", family_name="Hughes")
    referral = make_referral()
    screening.referral_route(
        actor=Actor.of(front_door),
        referral=referral,
        expected_version=referral.version,
        team=world.south,
        person=person,
    )
    referral.refresh_from_db()
    concern = referral.concern
    assert not concern.risk_location and not concern.risk_source and not concern.risk_types.exists()
    assert concern.allocated_to is None
    return concern


def _url(concern):
    return reverse("enquiries:concern_allocate", args=[concern.pk])


def _allocate(client, concern, practitioner, version=None, reason="Her caseload has room this week"):
    return client.post(
        _url(concern),
        {
            "version": concern.version if version is None else version,
            "practitioner": practitioner.pk,
            "reason": reason,
        },
    )


def test_the_dashboard_links_to_the_allocation_page_not_the_concern_form(world, client_for, concern):
    page = client_for(world.users["manager_south"]).get(reverse("enquiries:team_dashboard"))
    html = page.content.decode()
    assert f'href="{_url(concern)}"' in html
    assert reverse("enquiries:concern_edit", args=[concern.pk]) not in html


def test_the_manager_allocates_an_unclassified_concern_in_one_step(world, client_for, concern):
    manager = client_for(world.users["manager_south"])
    practitioner = world.users["practitioner_south"]
    page = manager.get(_url(concern))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Allocate the concern about Margaret Hughes" in html
    assert practitioner.full_name in html
    # Only South's members are offered.
    assert world.users["practitioner_north"].full_name not in html

    response = _allocate(manager, concern, practitioner)

    assert response.status_code == 302 and response.url == concern.get_absolute_url()
    concern.refresh_from_db()
    assert concern.allocated_to == practitioner
    assert concern.version == 2
    # Still awaiting a decision and still unclassified: the practitioner does that.
    assert concern.decision == SafeguardingConcern.Decision.PENDING and not concern.risk_location
    # The history says who allocated it, the record of access that it changed.
    latest = concern.history.order_by("-history_date").first()
    assert (
        latest.allocated_to_id == practitioner.pk
        and latest.history_user_id == world.users["manager_south"].pk
    )
    assert AccessEvent.objects.filter(
        user=world.users["manager_south"],
        action=AccessEvent.Action.CHANGE,
        detail="Safeguarding concern allocated",
    ).exists()
    # The practitioner is told, with nothing of the case in the words.
    (note,) = Notification.objects.filter(kind=Notification.Kind.ALLOCATED)
    assert note.user == practitioner and note.url == concern.get_absolute_url()
    assert "Hughes" not in note.message and "pension" not in note.message
    assert what_happened(note) == "A safeguarding concern has been allocated to you."  # the email's words
    # It has left the dashboard's "nobody allocated" list.
    dashboard = manager.get(reverse("enquiries:team_dashboard")).content.decode()
    assert f'data-concern="{concern.pk}"' not in dashboard


def test_the_concern_page_offers_allocation_to_its_teams_manager_only(world, client_for, concern):
    link = f'href="{_url(concern)}"'
    manager = client_for(world.users["manager_south"])
    assert link in manager.get(concern.get_absolute_url()).content.decode()
    _allocate(manager, concern, world.users["practitioner_south"])
    page = manager.get(concern.get_absolute_url()).content.decode()
    assert link in page and ">Re-allocate</a>" in page
    practitioner_page = client_for(world.users["practitioner_south"]).get(concern.get_absolute_url())
    assert link not in practitioner_page.content.decode()


def test_re_allocating_to_someone_else_and_not_to_the_same_person(world, client_for, concern):
    manager = client_for(world.users["manager_south"])
    first = world.users["practitioner_south"]
    second = UserFactory(role=roles.PRACTITIONER, teams=[world.south], full_name="Priya Second")
    _allocate(manager, concern, first)
    concern.refresh_from_db()

    page = manager.get(_url(concern)).content.decode()
    assert "Re-allocate the concern about Margaret Hughes" in page
    # Who has it now is not offered again (the page's version field may hold the same number).
    offered = re.findall(r'<input[^>]*name="practitioner"[^>]*value="(\d+)"', page)
    assert str(second.pk) in offered and str(first.pk) not in offered
    same = _allocate(manager, concern, first)
    assert same.status_code == 200
    assert "Select who should look at the concern" in same.content.decode()

    assert _allocate(manager, concern, second).status_code == 302
    concern.refresh_from_db()
    assert concern.allocated_to == second
    assert Notification.objects.filter(kind=Notification.Kind.ALLOCATED, user=second).count() == 1


def test_a_stale_page_is_refused_and_nothing_is_overwritten(world, client_for, concern):
    manager = client_for(world.users["manager_south"])
    loaded_at = concern.version
    _allocate(manager, concern, world.users["practitioner_south"])
    other = UserFactory(role=roles.PRACTITIONER, teams=[world.south])

    response = _allocate(manager, concern, other, version=loaded_at)

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    concern.refresh_from_db()
    assert concern.allocated_to == world.users["practitioner_south"]


def test_someone_outside_the_team_cannot_be_chosen(world, client_for, concern):
    response = _allocate(client_for(world.users["manager_south"]), concern, world.users["practitioner_north"])
    assert response.status_code == 200
    assert "Select who should look at the concern" in response.content.decode()
    concern.refresh_from_db()
    assert concern.allocated_to is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("manager_north", 404),  # another team's manager: the concern does not exist for them
        ("practitioner_south", 403),  # in the team, but allocating is a manager's step
        ("unit", 404),  # unit staff read, never write
        ("unit_lead", 404),
    ],
)
def test_only_a_manager_in_the_concerns_team_may_allocate_it(world, client_for, concern, who, status):
    client = client_for(world.users[who])
    assert client.get(_url(concern)).status_code == status
    assert _allocate(client, concern, world.users["practitioner_south"]).status_code == status
    concern.refresh_from_db()
    assert concern.allocated_to is None and concern.version == 1
    assert not Notification.objects.filter(kind=Notification.Kind.ALLOCATED).exists()


def test_a_decided_concern_is_allocated_through_its_enquiry(world, client_for, concern):
    SafeguardingConcern.objects.filter(pk=concern.pk).update(
        decision=SafeguardingConcern.Decision.NO_FURTHER_ACTION
    )
    response = client_for(world.users["manager_south"]).get(_url(concern))
    assert response.status_code == 302 and response.url == concern.get_absolute_url()


def _decide(client, concern, **data):
    return client.post(
        reverse("enquiries:concern_decide", args=[concern.pk]),
        {
            "version": concern.version,
            "criteria_care_needs": "True",
            "criteria_abuse_or_neglect": "True",
            "criteria_unable_to_protect": "True",
            "decision": SafeguardingConcern.Decision.SECTION_42,
            "decision_rationale": "Care and support needs; financial abuse by her son alleged.",
            **data,
        },
    )


def test_the_allocated_practitioner_classifies_the_concern_when_deciding(world, client_for, concern):
    _allocate(client_for(world.users["manager_south"]), concern, world.users["practitioner_south"])
    concern.refresh_from_db()
    practitioner = client_for(world.users["practitioner_south"])

    page = practitioner.get(reverse("enquiries:concern_decide", args=[concern.pk])).content.decode()
    assert "Classify the concern" in page and "Types of risk" in page

    refused = _decide(practitioner, concern)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "govuk-error-summary" in html
    for message in ("Select the types of risk", "Select the location of risk", "Select the source of risk"):
        assert message in html
    concern.refresh_from_db()
    assert concern.decision == SafeguardingConcern.Decision.PENDING

    decided = _decide(
        practitioner,
        concern,
        risk_types=["financial"],
        risk_location="own_home",
        risk_source="known",
        lead_practitioner=world.users["practitioner_south"].pk,
    )

    assert decided.status_code == 302
    concern.refresh_from_db()
    assert concern.decision == SafeguardingConcern.Decision.SECTION_42
    assert concern.risk_location == "own_home" and concern.risk_source == "known"
    enquiry = Enquiry.objects.get(concern=concern)
    # The enquiry carries the classification into the SAC return.
    assert enquiry.risk_location == "own_home" and enquiry.risk_source == "known"
    assert list(enquiry.risk_types.all()) == [RiskTypeOption.objects.get(code="financial")]
    assert enquiry.lead_practitioner == world.users["practitioner_south"]


def test_no_further_action_needs_no_classification(world, client_for, concern):
    response = _decide(
        client_for(world.users["manager_south"]),
        concern,
        decision=SafeguardingConcern.Decision.NO_FURTHER_ACTION,
        criteria_unable_to_protect="False",
        no_further_action_response="Advice on money management; signposted to Age UK.",
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.decision == SafeguardingConcern.Decision.NO_FURTHER_ACTION
    assert not Enquiry.objects.filter(concern=concern).exists()


def test_a_classified_concern_is_not_asked_again(world, client_for):
    _, concern, _ = world.cases["south"]
    concern = SafeguardingConcern.objects.create(
        person=concern.person,
        team=world.south,
        received_at=concern.received_at,
        summary="Already classified",
        risk_location="own_home",
        risk_source="known",
    )
    concern.risk_types.set(RiskTypeOption.objects.filter(code="financial"))
    page = client_for(world.users["practitioner_south"]).get(
        reverse("enquiries:concern_decide", args=[concern.pk])
    )
    assert "Classify the concern" not in page.content.decode()


# The allocate page: the team's practitioners only, a reason to re-allocate, and the history kept


def test_only_the_teams_practitioners_are_offered_not_its_manager(world, client_for, concern):
    html = client_for(world.users["manager_south"]).get(_url(concern)).content.decode()
    assert f'value="{world.users["practitioner_south"].pk}"' in html
    assert f'value="{world.users["manager_south"].pk}"' not in html
    # Allocating to oneself without being a practitioner is refused like any other choice not offered.
    response = _allocate(client_for(world.users["manager_south"]), concern, world.users["manager_south"])
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    concern.refresh_from_db()
    assert concern.allocated_to is None


def test_the_service_refuses_someone_who_is_not_a_practitioner_of_the_team(world, concern):
    for not_allowed in (world.users["manager_south"], world.users["practitioner_north"]):
        with pytest.raises(TransitionRefused):
            concern_allocate(
                actor=Actor.of(world.users["manager_south"]),
                concern=concern,
                practitioner=not_allowed,
                expected_version=concern.version,
            )
    concern.refresh_from_db()
    assert concern.allocated_to is None and concern.version == 1


def test_re_allocating_asks_why_and_the_page_keeps_the_history(world, client_for, concern):
    manager = client_for(world.users["manager_south"])
    first = world.users["practitioner_south"]
    second = UserFactory(role=roles.PRACTITIONER, teams=[world.south], full_name="Priya Second")
    first_page = manager.get(_url(concern)).content.decode()
    assert "Why is the concern being re-allocated?" not in first_page  # a first allocation needs no reason
    _allocate(manager, concern, first, reason="")
    concern.refresh_from_db()

    page = manager.get(_url(concern)).content.decode()
    assert "Why is the concern being re-allocated?" in page
    refused = _allocate(manager, concern, second, reason="   ")
    assert "Enter the reason for re-allocating the concern" in refused.content.decode()
    concern.refresh_from_db()
    assert concern.allocated_to == first

    _allocate(manager, concern, second, reason="Priya speaks Punjabi with Mrs Hughes")
    concern.refresh_from_db()
    assert concern.allocated_to == second
    assert concern.allocation_reason == "Priya speaks Punjabi with Mrs Hughes"
    history = manager.get(_url(concern)).content.decode().split("Allocation history")[1]
    assert history.index(escape(first.full_name)) < history.index("Priya Second")
    assert "Reason: Priya speaks Punjabi with Mrs Hughes" in history
    # Both allocations are in the concern's own history, each by the manager.
    allocated = [v.allocated_to_id for v in concern.history.order_by("history_date")]
    assert allocated == [None, first.pk, second.pk]
