"""A closed enquiry's record is settled: nothing that belongs to it can be added or changed, whichever way it
is reached — through the enquiry, through the concern it came from (whose conversations show on the
enquiry's timeline), or by posting straight to a child record's URL. Reopening the enquiry (with a reason) is
the way to add to it; a new concern is the way to record new information."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import (
    AgreedDateChange,
    ConversationLog,
    Enquiry,
    ManagerReview,
    Meeting,
    PlanAction,
    SafeguardingConcern,
)
from enquiries.services import conversations, plans, reviews
from enquiries.services.lifecycle import EnquiryClosed
from enquiries.services.records import record_write_refusal
from feedback import services as feedback_services
from feedback.models import ExperienceFeedbackPart1
from msp_cases.core.actor import Actor
from outcomes import services as outcome_services
from outcomes.models import DesiredOutcome, DesiredOutcomeRevision

from ..outcomes.factories_outcomes import DesiredOutcomeFactory
from .factories_conversations import ConversationLogFactory, PlanActionFactory, conversation_post

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)
CONCERN_CLOSED = "This concern\u2019s enquiry is closed"


def _date(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def case(world):
    """North's case, worked on for ten days: a conversation on the concern before the enquiry opened, one on
    the enquiry, a plan action and a desired outcome; then the enquiry was closed."""
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    SafeguardingConcern.objects.update(received_at=ten_days_ago)
    Enquiry.objects.update(opened_at=ten_days_ago + datetime.timedelta(hours=1))
    _person, concern, enquiry = world.cases["north"]
    on_concern = ConversationLogFactory(
        concern=concern, recorded_by=world.users["practitioner_north"], what_matters="\u201cBefore\u201d"
    )
    on_enquiry = ConversationLogFactory(enquiry=enquiry)
    action = PlanActionFactory(enquiry=enquiry)
    outcome = DesiredOutcomeFactory(
        enquiry=enquiry, words="I want to feel safe at home", expressed_on=YESTERDAY
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.CLOSED, closed_at=timezone.now())
    enquiry.refresh_from_db()
    return {
        "world": world,
        "concern": concern,
        "enquiry": enquiry,
        "on_concern": on_concern,
        "on_enquiry": on_enquiry,
        "action": action,
        "outcome": outcome,
    }


def _snapshot(enquiry: Enquiry) -> dict:
    """Everything a write to the closed enquiry could change."""
    fresh = Enquiry.objects.get(pk=enquiry.pk)
    return {
        "conversations": ConversationLog.objects.count(),
        "plan": list(PlanAction.objects.values_list("pk", "version", "due_on", "status")),
        "meetings": Meeting.objects.count(),
        "outcomes": list(
            DesiredOutcome.objects.values_list("pk", "version", "words", "status", "achievement")
        ),
        "revisions": DesiredOutcomeRevision.objects.count(),
        "reviews": ManagerReview.objects.count(),
        "date_changes": AgreedDateChange.objects.count(),
        "part1": ExperienceFeedbackPart1.objects.count(),
        "enquiry": (fresh.version, fresh.status, fresh.next_contact_on, fresh.last_reviewed_at),
    }


def _timeline(client, enquiry: Enquiry) -> str:
    page = client.get(reverse("enquiries:enquiry_detail", args=[enquiry.pk]) + "?show=conversations")
    assert page.status_code == 200
    # From the timeline's heading to the plan's: the entries, without per-request tokens.
    timeline = page.content.decode().split('id="timeline"', 1)[1].split('id="plan"', 1)[0]
    assert "moj-timeline__item" in timeline
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", timeline)


# Through the concern ---------------------------------------------------------------------------------------


def test_a_conversation_cannot_be_recorded_on_the_concern_of_a_closed_enquiry(case, client_for):
    client = client_for(case["world"].users["practitioner_north"])
    url = reverse("enquiries:conversation_add_concern", args=[case["concern"].pk])
    timeline = _timeline(client, case["enquiry"])
    before = _snapshot(case["enquiry"])

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert CONCERN_CLOSED in text and "record a new concern" in text
    assert 'name="what_matters"' not in text

    response = client.post(url, conversation_post(what_matters="\u201cAfter closure\u201d"))
    assert response.status_code == 409
    assert CONCERN_CLOSED in response.content.decode()
    assert _snapshot(case["enquiry"]) == before
    assert _timeline(client, case["enquiry"]) == timeline


def test_the_concern_page_of_a_closed_enquiry_offers_no_conversation(case, client_for):
    client = client_for(case["world"].users["practitioner_north"])
    page = client.get(reverse("enquiries:concern_detail", args=[case["concern"].pk])).content.decode()
    assert reverse("enquiries:conversation_add_concern", args=[case["concern"].pk]) not in page
    assert CONCERN_CLOSED in page


def test_a_conversation_on_the_concern_of_a_closed_enquiry_cannot_be_amended(case, client_for):
    client = client_for(case["world"].users["practitioner_north"])
    log = case["on_concern"]
    detail = client.get(reverse("enquiries:conversation_detail", args=[log.pk])).content.decode()
    assert "Amend this conversation" not in detail
    url = reverse("enquiries:conversation_amend", args=[log.pk])
    page = client.get(url)
    assert page.status_code == 200 and CONCERN_CLOSED in page.content.decode()

    timeline = _timeline(client, case["enquiry"])
    before = _snapshot(case["enquiry"])
    response = client.post(
        url, conversation_post(amendment_reason="Add what she said after", based_on=str(log.pk))
    )
    assert response.status_code == 409
    assert CONCERN_CLOSED in response.content.decode()
    assert _snapshot(case["enquiry"]) == before
    assert _timeline(client, case["enquiry"]) == timeline


def test_the_services_refuse_the_concern_path_too(case):
    actor = Actor.of(case["world"].users["practitioner_north"])
    with pytest.raises(EnquiryClosed, match="record a new concern"):
        conversations.conversation_record(actor=actor, concern=case["concern"], fields={})
    with pytest.raises(EnquiryClosed):
        conversations.conversation_amend(
            actor=actor,
            original=case["on_concern"],
            fields={"what_matters": "Changed"},
            reason="Because",
            based_on_pk=case["on_concern"].pk,
        )
    assert ConversationLog.objects.count() == 2


def test_a_concern_whose_enquiry_is_still_open_takes_conversations(case, client_for):
    Enquiry.objects.filter(pk=case["enquiry"].pk).update(status=Enquiry.Status.IN_PROGRESS, closed_at=None)
    assert record_write_refusal(case["on_concern"]) is None
    client = client_for(case["world"].users["practitioner_north"])
    url = reverse("enquiries:conversation_add_concern", args=[case["concern"].pk])
    assert client.post(url, conversation_post()).status_code == 302


# Every child write URL, posted to directly ------------------------------------------------------------------


def _posts(case) -> dict[str, tuple[str, dict]]:
    enquiry, action, outcome = case["enquiry"], case["action"], case["outcome"]
    on_enquiry, on_concern = case["on_enquiry"], case["on_concern"]
    return {
        "conversation on the enquiry": (
            reverse("enquiries:conversation_add_enquiry", args=[enquiry.pk]),
            conversation_post(),
        ),
        "conversation on the concern": (
            reverse("enquiries:conversation_add_concern", args=[case["concern"].pk]),
            conversation_post(),
        ),
        "amend a conversation on the enquiry": (
            reverse("enquiries:conversation_amend", args=[on_enquiry.pk]),
            conversation_post(amendment_reason="Correction", based_on=str(on_enquiry.pk)),
        ),
        "amend a conversation on the concern": (
            reverse("enquiries:conversation_amend", args=[on_concern.pk]),
            conversation_post(amendment_reason="Correction", based_on=str(on_concern.pk)),
        ),
        "plan action": (
            reverse("enquiries:plan_action_add", args=[enquiry.pk]),
            {
                "what": "Visit",
                "who": "Me",
                "agreed_with_person": "yes",
                "status": "not_started",
                **_date("due_on", NEXT_WEEK),
            },
        ),
        "change a plan action": (
            reverse("enquiries:plan_action_edit", args=[action.pk]),
            {
                "what": "Visit again",
                "who": "Me",
                "agreed_with_person": "no",
                "status": "done",
                "version": str(action.version),
                "date_change_reason": "Moved",
                **_date("due_on", NEXT_WEEK + datetime.timedelta(days=1)),
            },
        ),
        "meeting": (
            reverse("enquiries:meeting_add", args=[enquiry.pk]),
            {
                "kind": "planning",
                "attendees": "Me",
                "participation": "attended",
                **_date("held_on", YESTERDAY),
            },
        ),
        "desired outcome": (
            reverse("outcomes:outcome_add", args=[enquiry.pk]),
            {"words": "To feel safer", "expressed_by": "person", **_date("expressed_on", YESTERDAY)},
        ),
        "revise an outcome": (
            reverse("outcomes:outcome_revise", args=[outcome.pk]),
            {
                "version": str(outcome.version),
                "words": "Different words",
                "expressed_by": "person",
                "reason": "Said again",
                **_date("expressed_on", YESTERDAY),
            },
        ),
        "withdraw an outcome": (
            reverse("outcomes:outcome_withdraw", args=[outcome.pk]),
            {"version": str(outcome.version), "reason": "No longer wanted"},
        ),
        "outcome achievement": (
            reverse("outcomes:outcome_achievement", args=[outcome.pk]),
            {"version": str(outcome.version), "achievement": "fully"},
        ),
        "manager review": (
            reverse("enquiries:manager_review_add", args=[enquiry.pk]),
            {"note": "Reviewed"},
        ),
        "move the next contact": (
            reverse("enquiries:next_contact_change", args=[enquiry.pk]),
            {
                "reason": "She asked",
                "person_agreed": "on",
                "version": str(enquiry.version),
                **_date("to_date", NEXT_WEEK),
            },
        ),
    }


POSTS = [
    "conversation on the enquiry",
    "conversation on the concern",
    "amend a conversation on the enquiry",
    "amend a conversation on the concern",
    "plan action",
    "change a plan action",
    "meeting",
    "desired outcome",
    "revise an outcome",
    "withdraw an outcome",
    "outcome achievement",
    "manager review",
    "move the next contact",
]


@pytest.mark.parametrize("what", POSTS)
def test_a_forged_post_to_a_closed_enquirys_records_saves_nothing(case, client_for, what):
    # North's manager may do every one of these on an open enquiry of their team.
    client = client_for(case["world"].users["manager_north"])
    url, data = _posts(case)[what]
    timeline = _timeline(client, case["enquiry"])
    before = _snapshot(case["enquiry"])
    response = client.post(url, data)
    assert response.status_code == 409
    assert "closed" in response.content.decode()
    assert _snapshot(case["enquiry"]) == before
    assert _timeline(client, case["enquiry"]) == timeline


# The service decides, whatever the caller held -------------------------------------------------------------


def test_a_page_loaded_before_closure_cannot_write_after_it(case):
    """The caller's copy of the enquiry still says it is open (loaded before sign-off): the service reads the
    enquiry itself, so nothing is written."""
    actor = Actor.of(case["world"].users["manager_north"])
    stale = case["enquiry"]
    stale.status = Enquiry.Status.IN_PROGRESS
    action, outcome = case["action"], case["outcome"]
    action.enquiry = stale
    outcome.enquiry = stale
    before = _snapshot(stale)
    calls = [
        lambda: conversations.conversation_record(actor=actor, enquiry=stale, fields={}),
        lambda: plans.plan_action_add(
            actor=actor, enquiry=stale, what="x", who="y", due_on=NEXT_WEEK, agreed_with_person=False
        ),
        lambda: plans.plan_action_update(
            actor=actor, action=action, expected_version=action.version, changes={"who": "z"}
        ),
        lambda: plans.meeting_add(
            actor=actor,
            enquiry=stale,
            kind="planning",
            held_on=YESTERDAY,
            attendees="Me",
            participation="attended",
        ),
        lambda: reviews.manager_review_record(actor=actor, enquiry=stale, note="Reviewed"),
        lambda: reviews.next_contact_move(
            actor=actor,
            enquiry=stale,
            to_date=NEXT_WEEK,
            reason="Asked",
            person_agreed=True,
            expected_version=stale.version,
        ),
        lambda: outcome_services.outcome_add(
            actor=actor, enquiry=stale, words="w", expressed_by="person", expressed_on=YESTERDAY
        ),
        lambda: outcome_services.outcome_revise(
            actor=actor,
            outcome=outcome,
            expected_version=outcome.version,
            words="w",
            expressed_by="person",
            expressed_on=YESTERDAY,
        ),
        lambda: outcome_services.outcome_withdraw(
            actor=actor, outcome=outcome, expected_version=outcome.version, reason="r"
        ),
        lambda: feedback_services.experience_part1_save(
            actor=actor,
            enquiry=stale,
            expected_version=None,
            changes={"completed_by": "person", "completed_on": YESTERDAY},
        ),
    ]
    for call in calls:
        with pytest.raises(EnquiryClosed):
            call()
    assert _snapshot(stale) == before
