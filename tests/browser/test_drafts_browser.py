"""A conversation typed when the inactivity timeout signs the person out is not lost (msp_cases.drafts).

The session is shortened to seconds, as in test_session_timeout.py, so the timeout really happens in the
server: the page's warning shows, the draft is sent, the page goes to the sign-in page and the server has
ended the session. Signed in again, the person is offered the draft, continues with it and saves it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from msp_cases.drafts.models import Draft

from .accessibility import assert_accessible
from .steps import choose, fill_date

pytestmark = pytest.mark.browser

SESSION_SECONDS = 30
WARNING_SECONDS = 15  # so the warning shows 15 seconds after the form loads: time enough to type
MATTERS = "I want to stay here with my cat, and I want Dean to give me back my bank card."
WANTS = "For Dean to move out by the end of the month."


def test_a_conversation_typed_when_the_session_times_out_is_offered_again_and_saved(ui, demo_cases, settings):
    page = ui.page
    settings.SESSION_COOKIE_AGE = SESSION_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS
    enquiry = demo_cases["DEMO-004"].enquiry  # Joe Wright, North, Priya Shah's open enquiry
    form_url = f"/enquiries/{enquiry}/conversations/new/"
    ui.sign_in("practitioner.north@example.org")
    ui.goto(form_url)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    fill_date(page, "Date of the conversation", yesterday)
    page.get_by_label("Time of the conversation").fill("14:15")
    choose(page, "Who was the conversation with?", "The person")
    choose(page, "How did the conversation happen?", "Face to face")
    page.get_by_label("What matters to the person, in their words").fill(MATTERS)
    page.get_by_label("What they want to happen").fill(WANTS)
    ui.shot("conversation typed")

    # The phone rings and nobody comes back to the screen: the warning, then the sign-in page.
    dialog = page.locator("#session-timeout-dialog")
    expect(dialog).to_have_attribute("open", "", timeout=(SESSION_SECONDS - WARNING_SECONDS + 5) * 1000)
    page.wait_for_url(re.compile(r"/sign-in/\?timeout=1"), timeout=(WARNING_SECONDS + 10) * 1000)
    expect(page.locator(".app-header__user-name")).to_have_count(0)
    ui.shot("signed out by the timeout")
    draft = Draft.objects.get()
    assert draft.data["what_matters"] == [MATTERS]

    # Back at the desk: an ordinary session length again, sign in, open the form.
    settings.SESSION_COOKIE_AGE = 30 * 60
    settings.SESSION_WARNING_SECONDS = 2 * 60
    ui.sign_in("practitioner.north@example.org")
    ui.goto(form_url)
    banner = page.locator(".govuk-notification-banner")
    saved_at = timezone.localtime(draft.saved_at).strftime("%H:%M")
    expect(banner).to_contain_text(f"You have an unsaved draft from {saved_at}")
    expect(page.get_by_label("What matters to the person, in their words")).to_have_value("")
    assert_accessible(page, label="draft offered")
    ui.shot("draft offered")
    page.set_viewport_size({"width": 375, "height": 800})
    ui.shot("draft offered on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    banner.get_by_role("link", name="Continue with the draft").click()
    expect(page.get_by_label("What matters to the person, in their words")).to_have_value(MATTERS)
    expect(page.get_by_label("What they want to happen")).to_have_value(WANTS)
    expect(page.get_by_label("Time of the conversation")).to_have_value("14:15")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert_accessible(page, label="draft continued")
    ui.shot("draft continued")
    # The rest of the form, finished now.
    page.get_by_label("Decisions made").fill("To take it one step at a time.")
    choose(page, "Who made the decisions?", "The person")
    fill_date(
        page, "Date of the next contact agreed with the person", timezone.localdate() + datetime.timedelta(7)
    )
    page.get_by_label("How the next contact will happen").fill("Visit at home")
    page.get_by_label("I involved the person").check()
    page.get_by_role("button", name="Save conversation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Conversation recorded")

    ui.goto(f"/enquiries/{enquiry}/")
    expect(page.locator("main")).to_contain_text(MATTERS)
    ui.shot("conversation on the timeline")
    assert not Draft.objects.exists()
