"""A reason or any required text must say something a reader can see: a zero-width space, a run of spaces or
a control character is not a reason. Control characters are never stored (PostgreSQL refuses a NUL)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryEvent
from enquiries.services import lifecycle
from enquiries.services.lifecycle import TransitionRefused
from msp_cases.core.actor import Actor
from msp_cases.core.text import has_visible_text, without_control_characters
from outcomes.models import DesiredOutcome
from tests.enquiries.factories_enquiry import PlanActionFactory, set_status
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

INVISIBLE = [
    "\u200b",
    "\u200c\u200d",
    "\u2060",
    "\ufeff",
    "   ",
    "\t\n",
    "\x00",
    "\x1b\x07",
    "\u202e",
    "\u3164",
]


@pytest.mark.parametrize("text", [*INVISIBLE, "", None])
def test_nothing_visible(text):
    assert not has_visible_text(text)


@pytest.mark.parametrize("text", ["x", "\u200bNew concern from GP", "Ok", "٣", "名前", "👍"])
def test_something_visible(text):
    assert has_visible_text(text)


def test_control_characters_go_but_line_breaks_stay():
    assert without_control_characters("a\x00b\x1bc\x7f\r\n\td") == "abc\r\n\td"


@pytest.fixture
def closed(world):
    enquiry = world.cases["north"][2]
    set_status(enquiry, Enquiry.Status.CLOSED, closed_at=timezone.now())
    return enquiry


@pytest.mark.parametrize("reason", INVISIBLE)
def test_reopening_with_an_invisible_reason_is_refused_and_changes_nothing(closed, manager_client, reason):
    response = manager_client.post(
        reverse("enquiries:enquiry_reopen", args=[closed.pk]), {"reason": reason, "version": closed.version}
    )
    assert response.status_code == 200
    assert "Enter the reason for reopening the enquiry" in response.content.decode()
    closed.refresh_from_db()
    assert closed.status == Enquiry.Status.CLOSED
    assert not closed.events.filter(kind=EnquiryEvent.Kind.REOPENED).exists()


def test_the_service_refuses_an_invisible_reason_too(closed, world):
    actor = Actor.of(world.users["manager_north"])
    with pytest.raises(TransitionRefused, match="reason for reopening"):
        lifecycle.enquiry_reopen(actor=actor, enquiry=closed, reason="\u200b")
    closed.refresh_from_db()
    assert closed.status == Enquiry.Status.CLOSED


def test_withdrawing_an_outcome_with_an_invisible_reason_says_what_to_enter(world, practitioner_client):
    enquiry = world.cases["north"][2]
    outcome = DesiredOutcomeFactory(enquiry=enquiry, words="To feel safe at home")
    response = practitioner_client.post(
        reverse("outcomes:outcome_withdraw", args=[outcome.pk]),
        {"reason": "\u200b \u200b", "version": outcome.version},
    )
    assert response.status_code == 200
    assert "Enter why it is being withdrawn" in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.status == DesiredOutcome.Status.ACTIVE


def test_free_text_is_saved_without_control_characters(world, practitioner_client):
    action = PlanActionFactory(enquiry=world.cases["north"][2])
    due = action.due_on
    response = practitioner_client.post(
        reverse("enquiries:plan_action_edit", args=[action.pk]),
        {
            "what": "Arrange\x00 a carers\x1b assessment\r\nthis week",
            "who": action.who,
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
            "agreed_with_person": "yes",
            "status": action.status,
            "version": action.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action.refresh_from_db()
    assert action.what == "Arrange a carers assessment\r\nthis week"
