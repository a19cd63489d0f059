"""Every edit page of a versioned record answers a crossed save the same way (msp_cases.core.pages): 409,
this user's input kept, only what the other person changed listed, and a field this user left alone takes
the other person's value, so saving again does not quietly undo their change."""

import datetime
import html
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from msp_cases.accounts import roles
from msp_cases.core.pages import add_service_errors
from tests.factories import UserFactory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def conflict_notice(page: str) -> str:
    return page.split("Someone else changed this record")[1].split("</form>")[0].split("<form")[0]


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no {name} textarea"
    return match.group(1).strip()


@pytest.fixture
def in_progress(world):
    enquiry = world.cases["north"][2]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.IN_PROGRESS)
    enquiry.refresh_from_db()
    return enquiry


def test_a_field_left_alone_takes_the_other_persons_change_on_an_outcome(world, in_progress, client_for):
    outcome = DesiredOutcomeFactory(
        enquiry=in_progress, words="I want to stay at home", expressed_on=YESTERDAY
    )
    url = reverse("outcomes:outcome_achievement", args=[outcome.pk])
    loaded = outcome.version
    first = client_for(world.users["practitioner_north"]).post(
        url, {"version": loaded, "achievement": "fully", "person_comment": "I feel safe at home now"}
    )
    assert first.status_code == 302
    # The manager loaded the same version, chose an answer and left the person's comment empty, as loaded.
    second = client_for(world.users["manager_north"]).post(
        url, {"version": loaded, "achievement": "partially", "person_comment": ""}
    )
    assert second.status_code == 409
    page = text(second)
    assert "I feel safe at home now" in conflict_notice(page)
    # The comment they never touched now holds the practitioner's words, so saving again keeps them.
    assert textarea(page, "person_comment") == "I feel safe at home now"
    # Their own choice stays as they made it.
    assert re.search(r'value="partially"[^>]*checked', page)
    outcome.refresh_from_db()
    assert outcome.achievement == "fully"


def test_a_crossed_reallocation_lists_only_what_the_other_person_changed(world, in_progress, client_for):
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.north], full_name="Jo Cover")
    manager = client_for(world.users["manager_north"])
    loaded = in_progress.version
    # Someone else saves the closure summary in between: the lead practitioner does not change.
    saved = client_for(world.users["practitioner_north"]).post(
        reverse("enquiries:enquiry_closure_details", args=[in_progress.pk]),
        {"version": loaded, "closure_summary": "We met and agreed a plan with you."},
    )
    assert saved.status_code == 302
    response = manager.post(
        reverse("enquiries:enquiry_allocate", args=[in_progress.pk]),
        {"lead_practitioner": colleague.pk, "reason": "Cover while on leave", "version": loaded},
    )
    assert response.status_code == 409
    page = text(response)
    notice = conflict_notice(page)
    # The lead did not change under them, so the notice does not claim it did.
    assert "Who should lead the enquiry?" not in notice
    # The page carries the newer version, so saving again is a deliberate choice that succeeds.
    assert f'name="version" value="{loaded + 1}"' in page


class _DateAndTimeForm(forms.Form):
    """A form that asks one model field (received_at) as two questions, and says where its messages go."""

    received_date = forms.CharField(required=False)
    received_time = forms.CharField(required=False)

    def add_service_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error("received_time" if name == "received_at" else None, message)


def test_a_services_messages_go_where_the_form_asks_the_question():
    form = _DateAndTimeForm({})
    assert form.is_valid()
    add_service_errors(
        form, ValidationError({"received_at": "Enter a time in the past", "__all__": "Too late"})
    )
    assert form.errors == {"received_time": ["Enter a time in the past"], "__all__": ["Too late"]}

    plain = forms.Form({})
    assert plain.is_valid()
    add_service_errors(plain, ValidationError({"received_at": "Enter a time in the past"}))
    assert plain.non_field_errors() == ["Enter a time in the past"]  # no such question: above the form
