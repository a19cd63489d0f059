"""The pages that move an enquiry through its stages and record its details, plan and meetings: what a
practitioner or manager sees and what is saved, bad input, and edits that cross."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enquiries.models import Enquiry, EnquiryEvent, Meeting, PlanAction
from enquiries.models.choices import ActionResult, LacksCapacity, OutcomesAsked
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from tests.factories import UserFactory

from .factories_enquiry import PlanActionFactory, make_ready_for_closure, set_status

pytestmark = pytest.mark.django_db

S = Enquiry.Status
TODAY = timezone.localdate


def url(name, obj):
    return reverse(f"enquiries:{name}", args=[obj.pk])


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def north(world):
    return world.cases["north"][2]


@pytest.fixture
def practitioner(world, client_for):
    return client_for(world.users["practitioner_north"])


@pytest.fixture
def manager(world, client_for):
    return client_for(world.users["manager_north"])


def follow_text(response) -> str:
    return response.content.decode()


# Stage changes through the pages ---------------------------------------------------------------------------


def test_manager_reallocates_and_the_timeline_shows_from_whom_to_whom_and_why(world, north, manager):
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north], full_name="Jo Cover")
    page = manager.get(url("enquiry_allocate", north))
    assert "Jo Cover" in follow_text(page)
    # A member of another team is not offered.
    assert world.users["practitioner_south"].full_name not in follow_text(page)
    # The OPENED event names the first lead, so the re-allocation can say who it came from.
    EnquiryEvent.objects.create(
        enquiry=north,
        kind=EnquiryEvent.Kind.OPENED,
        occurred_at=north.opened_at,
        by=world.users["manager_north"],
        allocated_to=world.users["practitioner_north"],
    )
    response = manager.post(
        url("enquiry_allocate", north),
        {"lead_practitioner": colleague.pk, "reason": "Priya is on leave", "version": north.version},
        follow=True,
    )
    html = follow_text(response)
    assert "Enquiry allocated" in html
    assert f"Re-allocated from {world.users['practitioner_north'].full_name} to Jo Cover" in html
    assert "Priya is on leave" in html
    north.refresh_from_db()
    assert north.lead_practitioner == colleague


def test_reallocation_without_a_reason_is_an_error_and_keeps_the_choice(world, north, manager):
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    response = manager.post(
        url("enquiry_allocate", north), {"lead_practitioner": colleague.pk, "version": north.version}
    )
    assert response.status_code == 200
    html = follow_text(response)
    assert "Enter the reason for re-allocating the enquiry" in html
    assert re.search(rf'value="{colleague.pk}"[^>]*checked', html)  # their choice is kept
    north.refresh_from_db()
    assert north.lead_practitioner == world.users["practitioner_north"]


def test_practitioner_starts_work(north, practitioner):
    response = practitioner.post(url("enquiry_start", north), {"version": north.version}, follow=True)
    assert "Work on the enquiry has started" in follow_text(response)
    north.refresh_from_db()
    assert north.status == S.IN_PROGRESS
    assert 'id="stage">In progress' in follow_text(response)


def test_a_step_from_a_stale_page_is_refused(world, north, practitioner, manager):
    old_version = north.version
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    manager.post(
        url("enquiry_allocate", north),
        {"lead_practitioner": colleague.pk, "reason": "Cover", "version": old_version},
    )
    response = manager.post(url("enquiry_start", north), {"version": old_version})
    assert response.status_code == 409
    assert "Someone else changed this record" in follow_text(response)
    north.refresh_from_db()
    assert north.status == S.OPEN


def test_propose_closure_page_lists_what_is_missing_with_links(north, practitioner):
    set_status(north, S.IN_PROGRESS)
    html = follow_text(practitioner.get(url("enquiry_propose_closure", north)))
    assert "Before you can propose closure" in html
    closure = url("enquiry_closure_details", north)
    assert f'href="{closure}#id_action_result_1">Select the action taken and its result' in html
    assert f'href="{closure}#id_closure_summary">Write the closure summary to the person' in html
    assert url("enquiry_edit_details", north) + "#id_outcomes_asked_1" in html
    # Each link lands on an element that exists on the page it points to.
    assert 'id="id_action_result_1"' in practitioner.get(closure).content.decode()
    assert 'id="id_closure_summary"' in practitioner.get(closure).content.decode()
    assert 'id="id_outcomes_asked_1"' in practitioner.get(url("enquiry_edit_details", north)).content.decode()


def test_proposing_with_items_missing_is_refused_then_allowed_once_recorded(north, practitioner):
    set_status(north, S.IN_PROGRESS)
    response = practitioner.post(url("enquiry_propose_closure", north), {"version": north.version})
    assert response.status_code == 409
    assert "Write the closure summary to the person" in follow_text(response)
    make_ready_for_closure(north)
    response = practitioner.post(
        url("enquiry_propose_closure", north), {"version": north.version}, follow=True
    )
    assert "Closure proposed" in follow_text(response)
    north.refresh_from_db()
    assert north.status == S.PROPOSED_FOR_CLOSURE


def test_proposing_closure_of_an_open_enquiry_explains_why_not(north, practitioner):
    make_ready_for_closure(north)
    html = follow_text(practitioner.get(url("enquiry_propose_closure", north)))
    assert "Only an enquiry in progress can be proposed for closure. This one is open." in html
    assert "Propose closure</button>" not in html


@pytest.fixture
def proposed(north):
    make_ready_for_closure(north)
    set_status(north, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now())
    return north


def test_sign_off_return_needs_comments(proposed, manager):
    response = manager.post(
        url("enquiry_sign_off", proposed), {"decision": "return", "version": proposed.version}
    )
    assert response.status_code == 200
    assert "Enter comments explaining why the closure is being returned" in follow_text(response)
    proposed.refresh_from_db()
    assert proposed.status == S.PROPOSED_FOR_CLOSURE


def test_sign_off_return_with_comments_goes_back_to_in_progress_and_shows_them(proposed, manager):
    response = manager.post(
        url("enquiry_sign_off", proposed),
        {"decision": "return", "comments": "Check Ann agrees with the summary", "version": proposed.version},
        follow=True,
    )
    html = follow_text(response)
    assert "Closure returned with comments" in html
    assert "Check Ann agrees with the summary" in html
    proposed.refresh_from_db()
    assert proposed.status == S.IN_PROGRESS


def test_sign_off_approve_closes(proposed, manager):
    manager.post(url("enquiry_sign_off", proposed), {"decision": "approve", "version": proposed.version})
    proposed.refresh_from_db()
    assert proposed.status == S.CLOSED
    assert proposed.closed_at is not None


def test_sign_off_page_offers_the_organisations_perspective(proposed, manager):
    from django.urls import reverse

    from feedback.models import OrganisationPerspective

    OrganisationPerspective.objects.filter(enquiry=proposed).delete()
    html = manager.get(url("enquiry_sign_off", proposed)).content.decode()
    assert reverse("feedback:organisation_perspective", args=[proposed.pk]) in html
    assert "Record the organisation’s perspective" in html


def test_sign_off_needs_a_decision(proposed, manager):
    response = manager.post(url("enquiry_sign_off", proposed), {"version": proposed.version})
    assert "Select whether you approve the closure" in follow_text(response)


def test_the_lead_cannot_sign_off_their_own_closure(world, client_for):
    enquiry = world.cases["restricted_north"][2]  # led by North's manager
    make_ready_for_closure(enquiry)
    set_status(enquiry, S.PROPOSED_FOR_CLOSURE)
    client = client_for(world.users["manager_north"])
    assert "another manager must sign off" in follow_text(client.get(url("enquiry_sign_off", enquiry)))
    response = client.post(
        url("enquiry_sign_off", enquiry), {"decision": "approve", "version": enquiry.version}
    )
    assert response.status_code == 409
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE


def test_two_managers_signing_off_at_once_only_one_wins(world, proposed, manager, client_for):
    other = client_for(UserFactory(role=roles.MANAGER, teams=[world.north]))
    version = proposed.version
    first = manager.post(url("enquiry_sign_off", proposed), {"decision": "approve", "version": version})
    second = other.post(
        url("enquiry_sign_off", proposed), {"decision": "return", "comments": "Not yet", "version": version}
    )
    assert first.status_code == 302
    assert second.status_code in (409,)
    proposed.refresh_from_db()
    assert proposed.status == S.CLOSED
    assert EnquiryEvent.objects.filter(enquiry=proposed, kind=EnquiryEvent.Kind.CLOSED).count() == 1
    assert not EnquiryEvent.objects.filter(enquiry=proposed, kind=EnquiryEvent.Kind.RETURNED).exists()


def test_reopen_needs_a_reason_then_reopens(north, manager):
    set_status(north, S.CLOSED, closed_at=timezone.now())
    response = manager.post(url("enquiry_reopen", north), {"reason": "", "version": north.version})
    assert "Enter the reason for reopening the enquiry" in follow_text(response)
    response = manager.post(
        url("enquiry_reopen", north),
        {"reason": "GP raised a new worry", "version": north.version},
        follow=True,
    )
    assert "GP raised a new worry" in follow_text(response)
    north.refresh_from_db()
    assert north.status == S.IN_PROGRESS


def test_transitions_are_recorded_as_changes(north, practitioner):
    practitioner.post(url("enquiry_start", north), {"version": north.version})
    assert AccessEvent.objects.filter(
        object_id=north.pk, action=AccessEvent.Action.CHANGE, detail="Enquiry work started"
    ).exists()


# Risk, capacity, advocacy and outcomes asked ---------------------------------------------------------------


def details_data(enquiry, **overrides):
    data = {
        "risk_types": ["financial", "psychological"],
        "risk_location": "own_home",
        "risk_source": "known",
        "lacks_capacity": LacksCapacity.NO,
        "capacity_decision": "Whether to move bank",
        **date_fields("capacity_assessed_on", TODAY() - datetime.timedelta(days=2)),
        "capacity_assessed_by": "Priya Shah, social worker",
        "substantial_difficulty": "no",
        "capacity_support": "",
        "outcomes_asked": OutcomesAsked.ASKED_EXPRESSED,
        **date_fields("outcomes_asked_on", TODAY()),
        "version": enquiry.version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_details_are_saved_and_shown(north, practitioner):
    response = practitioner.post(url("enquiry_edit_details", north), details_data(north), follow=True)
    html = follow_text(response)
    assert "Financial or Material Abuse" in html
    assert "No, they did not lack capacity" in html
    assert "Whether to move bank" in html
    assert "Yes they were asked and outcomes were expressed" in html
    north.refresh_from_db()
    assert set(north.risk_types.values_list("pk", flat=True)) == {"financial", "psychological"}
    assert north.capacity_assessed_on == TODAY() - datetime.timedelta(days=2)
    assert north.version == 2
    assert AccessEvent.objects.filter(object_id=north.pk, action=AccessEvent.Action.CHANGE).exists()


def test_capacity_date_in_the_future_is_refused_and_input_kept(north, practitioner):
    data = details_data(north, **date_fields("capacity_assessed_on", TODAY() + datetime.timedelta(days=1)))
    response = practitioner.post(url("enquiry_edit_details", north), data)
    html = follow_text(response)
    assert response.status_code == 200
    assert "The date capacity was assessed must be today or in the past" in html
    assert "Whether to move bank" in html  # what they typed is still there
    assert "<title>Error:" in html
    north.refresh_from_db()
    assert north.version == 1


def test_impossible_date_is_refused(north, practitioner):
    data = details_data(
        north, capacity_assessed_on_0="31", capacity_assessed_on_1="2", capacity_assessed_on_2="2025"
    )
    html = follow_text(practitioner.post(url("enquiry_edit_details", north), data))
    assert "The date capacity was assessed must be a real date" in html


def test_part_of_a_date_is_not_silently_dropped(north, practitioner):
    data = details_data(
        north, advocacy_referral_on_0="3", advocacy_referral_on_1="4", advocacy_referral_on_2=""
    )
    html = follow_text(practitioner.post(url("enquiry_edit_details", north), data))
    assert "The date the advocacy referral was made must include a year" in html


def test_lacking_capacity_with_substantial_difficulty_and_no_support_needs_an_advocate(north, practitioner):
    data = details_data(
        north, lacks_capacity=LacksCapacity.YES, substantial_difficulty="yes", capacity_support="none"
    )
    html = follow_text(practitioner.post(url("enquiry_edit_details", north), data))
    assert "independent advocate must be arranged (Care Act 2014, sections 67 and 68)" in html
    data["capacity_support"] = ""
    html = follow_text(practitioner.post(url("enquiry_edit_details", north), data))
    assert "Select the support provided to the person" in html
    data["capacity_support"] = "advocate"
    assert practitioner.post(url("enquiry_edit_details", north), data).status_code == 302


def test_a_capacity_assessment_is_decision_specific_dated_and_attributed(north, practitioner):
    data = details_data(
        north,
        capacity_decision="",
        capacity_assessed_by="",
        capacity_assessed_on_0="",
        capacity_assessed_on_1="",
        capacity_assessed_on_2="",
    )
    html = follow_text(practitioner.post(url("enquiry_edit_details", north), data))
    assert "Enter the decision their capacity was assessed for" in html
    assert "Enter the date capacity was assessed" in html
    assert "Enter who assessed capacity" in html


def test_missing_outcomes_asked_choice(north, practitioner):
    data = details_data(north, outcomes_asked="")
    html = follow_text(practitioner.post(url("enquiry_edit_details", north), data))
    assert "Select whether the person or their representative was asked about their desired outcomes" in html


def test_over_long_text_is_refused_with_a_clear_message(north, practitioner):
    data = details_data(north, capacity_decision="x" * 301)
    html = follow_text(practitioner.post(url("enquiry_edit_details", north), data))
    assert "What decision was their capacity assessed for must be 300 characters or fewer" in html


def test_html_is_kept_as_typed_and_shown_escaped(north, practitioner):
    typed = '<script>alert("x")</script>'
    practitioner.post(url("enquiry_edit_details", north), details_data(north, capacity_decision=typed))
    north.refresh_from_db()
    assert north.capacity_decision == typed
    html = follow_text(practitioner.get(north.get_absolute_url()))
    assert typed not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_two_edits_of_the_details_from_the_same_version_the_second_is_refused(
    world, north, practitioner, manager
):
    first = details_data(north, capacity_decision="Where to live")
    second = details_data(north, capacity_decision="Whether to move bank account")
    assert practitioner.post(url("enquiry_edit_details", north), first).status_code == 302
    response = manager.post(url("enquiry_edit_details", north), second)
    assert response.status_code == 409
    html = follow_text(response)
    assert "Someone else changed this record" in html
    assert "Whether to move bank account" in html  # the second user's input is still in the form
    assert "Where to live" in html  # and the first user's change is shown
    north.refresh_from_db()
    assert north.capacity_decision == "Where to live"
    # The refused form now carries the current version: saving again is a deliberate second save.
    assert f'name="version" value="{north.version}"' in html


def test_a_closed_enquirys_details_cannot_be_changed(north, practitioner):
    set_status(north, S.CLOSED, closed_at=timezone.now())
    assert "A manager must reopen it" in follow_text(practitioner.get(url("enquiry_edit_details", north)))
    response = practitioner.post(url("enquiry_edit_details", north), details_data(north))
    assert response.status_code == 409
    north.refresh_from_db()
    assert north.capacity_decision == ""


# Closure details -------------------------------------------------------------------------------------------


def closure_data(enquiry, **overrides):
    return {
        "action_result": ActionResult.RISK_ACTION,
        "risk_outcome": "reduced",
        "closure_summary": "Dear Ann, we met three times.",
        "version": enquiry.version,
        **overrides,
    }


def test_closure_details_are_saved(north, practitioner):
    response = practitioner.post(url("enquiry_closure_details", north), closure_data(north), follow=True)
    html = follow_text(response)
    assert "Risk identified and action taken" in html
    assert "Risk reduced" in html
    assert "Dear Ann, we met three times." in html


def test_risk_outcome_required_when_risk_identified_and_action_taken(north, practitioner):
    html = follow_text(
        practitioner.post(url("enquiry_closure_details", north), closure_data(north, risk_outcome=""))
    )
    assert "Select whether the risk remained, was reduced or was removed" in html


def test_risk_outcome_must_be_empty_otherwise(north, practitioner):
    data = closure_data(north, action_result=ActionResult.NO_RISK_NO_ACTION)
    html = follow_text(practitioner.post(url("enquiry_closure_details", north), data))
    assert "Only record what happened to the risk when risk was identified and action taken" in html


def test_closure_summary_too_long(north, practitioner):
    data = closure_data(north, closure_summary="x" * 5001)
    html = follow_text(practitioner.post(url("enquiry_closure_details", north), data))
    assert "Closure summary, written to the person must be 5,000 characters or fewer" in html


def test_two_edits_of_the_closure_details_the_second_is_refused(north, practitioner, manager):
    assert practitioner.post(url("enquiry_closure_details", north), closure_data(north)).status_code == 302
    response = manager.post(
        url("enquiry_closure_details", north), closure_data(north, closure_summary="Manager's words")
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in follow_text(response)
    north.refresh_from_db()
    assert north.closure_summary == "Dear Ann, we met three times."


# The plan --------------------------------------------------------------------------------------------------


def plan_data(**overrides):
    data = {
        "what": "Help Ann open a new bank account",
        "who": "Priya",
        **date_fields("due_on", TODAY() + datetime.timedelta(days=7)),
        "agreed_with_person": "yes",
        "status": "not_started",
        **overrides,
    }
    return data


def test_plan_action_added_and_shown_in_the_plan(north, practitioner):
    response = practitioner.post(url("plan_action_add", north), plan_data(), follow=True)
    html = follow_text(response)
    assert "Action added to the plan" in html
    assert "Help Ann open a new bank account" in html
    action = PlanAction.objects.get(enquiry=north)
    assert action.agreed_with_person is True
    assert escape(action.created_by.full_name) in html


def test_plan_action_bad_input(north, practitioner):
    data = plan_data(
        what="", who="x" * 151, agreed_with_person="", due_on_0="30", due_on_1="2", due_on_2="2026"
    )
    html = follow_text(practitioner.post(url("plan_action_add", north), data))
    assert "Enter what the action is" in html
    assert "Who will do it must be 150 characters or fewer" in html
    assert "Select whether the action was agreed with the person" in html
    assert "The date the action is due by must be a real date" in html
    assert not PlanAction.objects.exists()


def test_overdue_plan_actions_are_marked_and_counted(north, practitioner):
    PlanActionFactory(enquiry=north, what="Late one", due_on=TODAY() - datetime.timedelta(days=1))
    PlanActionFactory(
        enquiry=north, what="Done one", due_on=TODAY() - datetime.timedelta(days=1), status="done"
    )
    PlanActionFactory(enquiry=north, what="Future one")
    html = follow_text(practitioner.get(north.get_absolute_url()))
    assert "1 overdue" in html
    # In the plan, drawn as a summary per action on a phone and as a table from tablet width (one shows at a
    # time), and on the timeline.
    assert html.count('govuk-tag--red">Overdue') == 3


def test_plan_action_edit_saves_and_refuses_the_second_of_two_edits(north, practitioner, manager):
    action = PlanActionFactory(enquiry=north)
    # The same due date: moving it needs a reason (tests/enquiries/test_drift_pages.py).
    base = plan_data(version=action.version, **date_fields("due_on", action.due_on))
    assert practitioner.post(url("plan_action_edit", action), {**base, "status": "done"}).status_code == 302
    response = manager.post(url("plan_action_edit", action), {**base, "who": "Someone else"})
    assert response.status_code == 409
    assert "Someone else changed this record" in follow_text(response)
    action.refresh_from_db()
    assert (action.status, action.who) == ("done", "Priya")


# Meetings --------------------------------------------------------------------------------------------------


def meeting_data(**overrides):
    return {
        "kind": "strategy",
        **date_fields("held_on", TODAY()),
        "attendees": "Priya Shah; PC Jones",
        "participation": "statement",
        "persons_views": "I don't want <b>him</b> arrested.",
        **overrides,
    }


def test_meeting_recorded_and_on_the_timeline_with_the_persons_views_escaped(north, practitioner):
    response = practitioner.post(url("meeting_add", north), meeting_data(), follow=True)
    html = follow_text(response)
    assert "Strategy meeting" in html
    assert "Statement written by or for them presented" in html
    assert "I don&#x27;t want &lt;b&gt;him&lt;/b&gt; arrested." in html
    assert Meeting.objects.get(enquiry=north).persons_views == "I don't want <b>him</b> arrested."


def test_meeting_in_the_future_or_without_participation_is_refused(north, practitioner):
    data = meeting_data(participation="", **date_fields("held_on", TODAY() + datetime.timedelta(days=1)))
    html = follow_text(practitioner.post(url("meeting_add", north), data))
    assert "The date of the meeting must be today or in the past" in html
    assert "Select how the person took part" in html
    assert "Priya Shah; PC Jones" in html
    assert not Meeting.objects.exists()
