"""The enquiry's stages as explicit transitions (enquiries/services/lifecycle/): each one's conditions, who
may take it, what it records, and that two at once cannot both apply."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryEvent
from enquiries.models.choices import ActionResult, OutcomesAsked, RiskOutcome
from enquiries.services import lifecycle
from enquiries.services.lifecycle import TransitionNotPermitted, TransitionRefused, enquiry_close_problems
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError
from tests.factories import UserFactory

from .factories_enquiry import make_ready_for_closure, set_status

pytestmark = pytest.mark.django_db

S = Enquiry.Status


@pytest.fixture
def north(world):
    return world.cases["north"][2]


@pytest.fixture
def users(world):
    return world.users


def events(enquiry, kind=None):
    qs = EnquiryEvent.objects.filter(enquiry=enquiry)
    return list(qs.filter(kind=kind) if kind else qs)


# Allocation ------------------------------------------------------------------------------------------------


def test_manager_reallocates_with_reason_and_the_event_records_to_whom(world, north, users):
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    before = north.version
    lifecycle.enquiry_allocate(
        actor=Actor.of(users["manager_north"]),
        enquiry=north,
        lead_practitioner=colleague,
        reason="Leave cover",
    )
    north.refresh_from_db()
    assert north.lead_practitioner == colleague
    assert north.version == before + 1
    (event,) = events(north, EnquiryEvent.Kind.ALLOCATED)
    assert (event.allocated_to, event.by, event.comment) == (colleague, users["manager_north"], "Leave cover")
    assert AccessEvent.objects.filter(
        action=AccessEvent.Action.CHANGE, object_id=north.pk, detail="Enquiry allocated"
    ).exists()


def test_reallocation_without_a_reason_is_refused(world, north, users):
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    with pytest.raises(TransitionRefused, match="reason for re-allocating"):
        lifecycle.enquiry_allocate(
            actor=Actor.of(users["manager_north"]), enquiry=north, lead_practitioner=colleague
        )
    north.refresh_from_db()
    assert north.lead_practitioner == users["practitioner_north"]
    assert not events(north, EnquiryEvent.Kind.ALLOCATED)


def test_first_allocation_needs_no_reason(world, users):
    enquiry = world.cases["north"][2]
    Enquiry.objects.filter(pk=enquiry.pk).update(lead_practitioner=None)
    enquiry.refresh_from_db()
    lifecycle.enquiry_allocate(
        actor=Actor.of(users["manager_north"]), enquiry=enquiry, lead_practitioner=users["practitioner_north"]
    )
    enquiry.refresh_from_db()
    assert enquiry.lead_practitioner == users["practitioner_north"]


@pytest.mark.parametrize("who", ["practitioner_north", "unit", "unit_lead", "manager_south"])
def test_only_a_manager_in_the_team_may_allocate(world, north, users, who):
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    with pytest.raises(TransitionNotPermitted):
        lifecycle.enquiry_allocate(
            actor=Actor.of(users[who]), enquiry=north, lead_practitioner=colleague, reason="x"
        )
    north.refresh_from_db()
    assert north.lead_practitioner == users["practitioner_north"]


def test_lead_must_be_an_active_member_of_the_team(world, north, users):
    with pytest.raises(TransitionRefused, match="member of North Locality"):
        lifecycle.enquiry_allocate(
            actor=Actor.of(users["manager_north"]),
            enquiry=north,
            lead_practitioner=users["practitioner_south"],
            reason="x",
        )
    gone = UserFactory(role=roles.PRACTITIONER, teams=[world.north], is_active=False)
    with pytest.raises(TransitionRefused, match="active member of staff"):
        lifecycle.enquiry_allocate(
            actor=Actor.of(users["manager_north"]), enquiry=north, lead_practitioner=gone, reason="x"
        )


def test_allocating_to_the_current_lead_is_refused(north, users):
    with pytest.raises(TransitionRefused, match="already the lead"):
        lifecycle.enquiry_allocate(
            actor=Actor.of(users["manager_north"]),
            enquiry=north,
            lead_practitioner=users["practitioner_north"],
            reason="x",
        )


def test_a_closed_enquiry_cannot_be_allocated(world, north, users):
    set_status(north, S.CLOSED, closed_at=timezone.now())
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    with pytest.raises(TransitionRefused, match="Reopen it"):
        lifecycle.enquiry_allocate(
            actor=Actor.of(users["manager_north"]), enquiry=north, lead_practitioner=colleague, reason="x"
        )


# Start -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["practitioner_north", "manager_north"])
def test_lead_or_manager_starts_work(north, users, who):
    lifecycle.enquiry_start(actor=Actor.of(users[who]), enquiry=north)
    north.refresh_from_db()
    assert north.status == S.IN_PROGRESS
    (event,) = events(north, EnquiryEvent.Kind.STARTED)
    assert (event.from_status, event.to_status, event.by) == (S.OPEN, S.IN_PROGRESS, users[who])


def test_a_practitioner_who_is_not_the_lead_cannot_start_work(world, users):
    enquiry = world.cases["south_allocated_to_north"][2]  # South's, led by North's practitioner
    with pytest.raises(TransitionNotPermitted):
        lifecycle.enquiry_start(actor=Actor.of(users["practitioner_south"]), enquiry=enquiry)
    lifecycle.enquiry_start(actor=Actor.of(users["practitioner_north"]), enquiry=enquiry)
    enquiry.refresh_from_db()
    assert enquiry.status == S.IN_PROGRESS


def test_start_is_refused_unless_open(north, users):
    set_status(north, S.IN_PROGRESS)
    with pytest.raises(TransitionRefused, match="This one is in progress"):
        lifecycle.enquiry_start(actor=Actor.of(users["practitioner_north"]), enquiry=north)


def test_an_unallocated_enquiry_cannot_start(north, users):
    Enquiry.objects.filter(pk=north.pk).update(lead_practitioner=None)
    north.refresh_from_db()
    with pytest.raises(TransitionRefused, match="Allocate the enquiry"):
        lifecycle.enquiry_start(actor=Actor.of(users["manager_north"]), enquiry=north)


# Propose closure and the closure gate ----------------------------------------------------------------------


def test_closure_gate_lists_each_missing_item(north):
    problems = enquiry_close_problems(north)
    assert [problem.message for problem in problems] == [
        "Select the type of risk",
        "Select the location of risk",
        "Select the source of risk",
        "Select the action taken and its result",
        "Select whether the person lacked capacity to make decisions about the enquiry",
        "Record whether the person or their representative was asked about their desired outcomes",
        "Write the closure summary to the person",
        "Record My Safeguarding Experience Part 2, or why the person was not approached",
    ]
    assert problems[5].url == reverse("enquiries:enquiry_edit_details", args=[north.pk])
    assert problems[7].url == reverse("feedback:part2_edit", args=[north.pk])  # the page that fixes it


def test_closure_gate_needs_the_risk_outcome_only_when_risk_identified_and_action_taken(north):
    make_ready_for_closure(north)
    assert enquiry_close_problems(north) == []
    north.action_result = ActionResult.RISK_ACTION
    assert [p.message for p in enquiry_close_problems(north)] == [
        "Select whether the risk remained, was reduced or was removed, as risk was identified and "
        "action taken"
    ]
    north.risk_outcome = RiskOutcome.REDUCED
    assert enquiry_close_problems(north) == []
    north.action_result = ActionResult.NO_RISK_ACTION
    assert [p.message for p in enquiry_close_problems(north)] == [
        "Remove the risk outcome: it is only recorded when risk was identified and action taken"
    ]


def test_closure_gate_refuses_outcomes_not_recorded_and_a_blank_summary(north):
    make_ready_for_closure(north)
    north.outcomes_asked = OutcomesAsked.NOT_RECORDED
    north.closure_summary = "   "
    assert len(enquiry_close_problems(north)) == 2


def test_propose_closure_moves_to_proposed_and_stamps_the_time(north, users):
    set_status(north, S.IN_PROGRESS)
    make_ready_for_closure(north)
    lifecycle.enquiry_propose_closure(
        actor=Actor.of(users["practitioner_north"]), enquiry=north, comment="Done"
    )
    north.refresh_from_db()
    assert north.status == S.PROPOSED_FOR_CLOSURE
    assert north.proposed_for_closure_at is not None
    (event,) = events(north, EnquiryEvent.Kind.PROPOSED)
    assert event.comment == "Done"


def test_propose_closure_with_items_missing_is_refused_and_says_what(north, users):
    set_status(north, S.IN_PROGRESS)
    with pytest.raises(TransitionRefused, match="Write the closure summary to the person"):
        lifecycle.enquiry_propose_closure(actor=Actor.of(users["practitioner_north"]), enquiry=north)
    north.refresh_from_db()
    assert north.status == S.IN_PROGRESS


def test_proposing_closure_of_an_open_enquiry_is_refused(north, users):
    make_ready_for_closure(north)
    with pytest.raises(TransitionRefused, match="Only an enquiry in progress can be proposed for closure"):
        lifecycle.enquiry_propose_closure(actor=Actor.of(users["practitioner_north"]), enquiry=north)


# Sign-off --------------------------------------------------------------------------------------------------


@pytest.fixture
def proposed(north):
    make_ready_for_closure(north)
    set_status(north, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now())
    return north


def test_manager_approves_closure(proposed, users):
    lifecycle.enquiry_sign_off(actor=Actor.of(users["manager_north"]), enquiry=proposed, approve=True)
    proposed.refresh_from_db()
    assert proposed.status == S.CLOSED
    assert proposed.closed_at is not None
    (event,) = events(proposed, EnquiryEvent.Kind.CLOSED)
    assert (event.from_status, event.to_status) == (S.PROPOSED_FOR_CLOSURE, S.CLOSED)


def test_manager_returns_closure_with_comments(proposed, users):
    lifecycle.enquiry_sign_off(
        actor=Actor.of(users["manager_north"]), enquiry=proposed, approve=False, comments="Ask Ann first"
    )
    proposed.refresh_from_db()
    assert proposed.status == S.IN_PROGRESS
    assert proposed.proposed_for_closure_at is None
    (event,) = events(proposed, EnquiryEvent.Kind.RETURNED)
    assert event.comment == "Ask Ann first"


def test_return_without_comments_is_refused(proposed, users):
    with pytest.raises(TransitionRefused, match="Enter comments"):
        lifecycle.enquiry_sign_off(actor=Actor.of(users["manager_north"]), enquiry=proposed, approve=False)
    proposed.refresh_from_db()
    assert proposed.status == S.PROPOSED_FOR_CLOSURE


def test_the_lead_cannot_sign_off_their_own_enquiry(world, users):
    enquiry = world.cases["restricted_north"][2]  # led by North's manager
    make_ready_for_closure(enquiry)
    set_status(enquiry, S.PROPOSED_FOR_CLOSURE)
    with pytest.raises(TransitionRefused, match="another manager must sign off"):
        lifecycle.enquiry_sign_off(actor=Actor.of(users["manager_north"]), enquiry=enquiry, approve=True)
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE


@pytest.mark.parametrize("who", ["practitioner_north", "manager_south", "unit", "unit_lead"])
def test_only_a_manager_in_the_team_signs_off(proposed, users, who):
    with pytest.raises(TransitionNotPermitted):
        lifecycle.enquiry_sign_off(actor=Actor.of(users[who]), enquiry=proposed, approve=True)


def test_sign_off_is_refused_unless_proposed(north, users):
    make_ready_for_closure(north)
    with pytest.raises(TransitionRefused, match="This one is open"):
        lifecycle.enquiry_sign_off(actor=Actor.of(users["manager_north"]), enquiry=north, approve=True)


def test_approval_rechecks_the_closure_gate(proposed, users):
    Enquiry.objects.filter(pk=proposed.pk).update(closure_summary="")
    with pytest.raises(TransitionRefused, match="Write the closure summary"):
        lifecycle.enquiry_sign_off(actor=Actor.of(users["manager_north"]), enquiry=proposed, approve=True)


def test_two_sign_offs_at_once_only_one_applies(world, proposed, users):
    """Both managers loaded the page at the same version; the row lock and the version make the second
    one fail rather than record a second closure."""
    second_manager = UserFactory(role=roles.MANAGER, teams=[world.north])
    stale = Enquiry.objects.get(pk=proposed.pk)
    version = proposed.version
    lifecycle.enquiry_sign_off(
        actor=Actor.of(users["manager_north"]), enquiry=proposed, approve=True, expected_version=version
    )
    with pytest.raises(ConcurrentEditError):
        lifecycle.enquiry_sign_off(
            actor=Actor.of(second_manager),
            enquiry=stale,
            approve=False,
            comments="No",
            expected_version=version,
        )
    # Without the version, the re-check on the locked row still refuses: it is no longer proposed.
    with pytest.raises(TransitionRefused, match="This one is closed"):
        lifecycle.enquiry_sign_off(actor=Actor.of(second_manager), enquiry=stale, approve=True)
    stale.refresh_from_db()
    assert stale.status == S.CLOSED
    assert len(events(stale, EnquiryEvent.Kind.CLOSED)) == 1
    assert not events(stale, EnquiryEvent.Kind.RETURNED)


# Reopen ----------------------------------------------------------------------------------------------------


def test_manager_reopens_with_a_reason(north, users):
    set_status(north, S.CLOSED, closed_at=timezone.now())
    lifecycle.enquiry_reopen(
        actor=Actor.of(users["manager_north"]), enquiry=north, reason="New concern from GP"
    )
    north.refresh_from_db()
    assert north.status == S.IN_PROGRESS
    assert north.closed_at is None
    (event,) = events(north, EnquiryEvent.Kind.REOPENED)
    assert (event.from_status, event.comment) == (S.CLOSED, "New concern from GP")


def test_reopen_needs_a_reason(north, users):
    set_status(north, S.CLOSED, closed_at=timezone.now())
    with pytest.raises(TransitionRefused, match="reason for reopening"):
        lifecycle.enquiry_reopen(actor=Actor.of(users["manager_north"]), enquiry=north, reason="  ")


def test_practitioner_cannot_reopen(north, users):
    set_status(north, S.CLOSED, closed_at=timezone.now())
    with pytest.raises(TransitionNotPermitted):
        lifecycle.enquiry_reopen(actor=Actor.of(users["practitioner_north"]), enquiry=north, reason="x")


def test_only_a_closed_enquiry_can_be_reopened(north, users):
    with pytest.raises(TransitionRefused, match="Only a closed enquiry can be reopened"):
        lifecycle.enquiry_reopen(actor=Actor.of(users["manager_north"]), enquiry=north, reason="x")


# The whole journey -----------------------------------------------------------------------------------------


def test_full_journey_writes_one_event_per_step(world, north, users):
    manager, practitioner = users["manager_north"], users["practitioner_north"]
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    lifecycle.enquiry_allocate(
        actor=Actor.of(manager), enquiry=north, lead_practitioner=colleague, reason="Cover"
    )
    lifecycle.enquiry_start(actor=Actor.of(colleague), enquiry=north)
    make_ready_for_closure(north)
    lifecycle.enquiry_propose_closure(actor=Actor.of(colleague), enquiry=north)
    lifecycle.enquiry_sign_off(
        actor=Actor.of(manager), enquiry=north, approve=False, comments="Ask about money"
    )
    lifecycle.enquiry_propose_closure(actor=Actor.of(colleague), enquiry=north)
    lifecycle.enquiry_sign_off(actor=Actor.of(manager), enquiry=north, approve=True)
    lifecycle.enquiry_reopen(actor=Actor.of(manager), enquiry=north, reason="Further concern")
    kinds = [e.kind for e in events(north)]
    assert kinds == ["allocated", "started", "proposed", "returned", "proposed", "closed", "reopened"]
    north.refresh_from_db()
    assert north.status == S.IN_PROGRESS
    assert practitioner != north.lead_practitioner


def test_available_transitions_follow_role_and_stage(world, north, users):
    assert lifecycle.available_transitions(user=users["practitioner_north"], enquiry=north) == ["start"]
    assert lifecycle.available_transitions(user=users["manager_north"], enquiry=north) == [
        "allocate",
        "start",
    ]
    assert lifecycle.available_transitions(user=users["unit"], enquiry=north) == []
    set_status(north, S.PROPOSED_FOR_CLOSURE)
    assert lifecycle.available_transitions(user=users["manager_north"], enquiry=north) == [
        "allocate",
        "sign_off",
    ]
    assert lifecycle.available_transitions(user=users["practitioner_north"], enquiry=north) == []
