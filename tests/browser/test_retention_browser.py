"""Retention in Chromium, at a desktop width and at 320 pixels, with axe on every page: the unit lead opens
the records due from the navigation, places a legal hold (every problem first) and sees disposal refused
while it stands, lifts it and proposes disposal; a second unit lead approves, and the person's page is a
tombstone."""

import datetime

import pytest
from playwright.sync_api import expect

from msp_cases.accounts import roles
from msp_cases.accounts.models import Team
from msp_cases.retention.schedule import schedule_refresh
from tests.factories import UserFactory
from tests.retention.conftest import closed_case

from .test_documents_browser import _check_both_widths

pytestmark = pytest.mark.browser


def test_a_hold_then_a_disposal_approved_by_a_second_unit_lead(ui, demo_cases):
    person = closed_case(
        team=Team.objects.get(name="North Locality"),
        closed_on=datetime.date(2018, 5, 1),
        given_name="Winifred",
        family_name="Retainedrecord",
    )
    UserFactory(email="second.lead@example.org", role=roles.SAFEGUARDING_UNIT, unit_lead=True)
    schedule_refresh()
    page = ui.page
    problems: list[str] = []

    ui.use_session_of("unit@example.org")
    ui.goto("/")
    page.get_by_role("link", name="Retention").first.click()
    expect(page.locator("h1")).to_have_text("Closed cases due for retention review")
    _check_both_widths(ui, "records due", problems)
    page.get_by_role("link", name="Winifred Retainedrecord").click()
    expect(page.locator("h1")).to_have_text("Retention of the record")
    _check_both_widths(ui, "retention of a record", problems)

    page.get_by_role("button", name="Place a legal hold").click()
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the record must be kept")
    _check_both_widths(ui, "place a hold with errors", problems)
    page.get_by_label("Why must the record be kept?").fill("Notice from the public inquiry")
    page.get_by_label("Reference").fill("INQ-2026-7")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator("#propose-refusal")).to_contain_text("A legal hold is on this record")
    expect(page.get_by_role("button", name="Propose disposal")).to_have_count(0)
    _check_both_widths(ui, "record on hold", problems)

    page.get_by_role("link", name="Lift").click()
    page.get_by_label("Why is the hold lifted?").fill("The inquiry released the record")
    page.get_by_role("button", name="Lift the hold").click()
    page.get_by_role("button", name="Propose disposal").click()
    page.get_by_label("Why can the record be disposed of?").fill("No open work, retention period passed")
    _check_both_widths(ui, "propose disposal", problems)
    page.get_by_role("button", name="Propose disposal").click()
    expect(page.locator("#approve-refusal")).to_contain_text("Another unit lead must approve it")

    page.context.clear_cookies()
    ui.use_session_of("second.lead@example.org")
    ui.goto(f"/retention/people/{person.pk}/")
    page.get_by_role("button", name="Review and approve").click()
    _check_both_widths(ui, "approve disposal", problems)
    page.get_by_label("I have reviewed the record and the reason, and approve its disposal").check()
    page.get_by_role("button", name="Approve disposal").click()
    expect(page.locator("[data-testid=tombstone]")).to_contain_text("Record disposed of on")
    _check_both_widths(ui, "record disposed of", problems)

    ui.goto(f"/people/{person.pk}/")
    expect(page.locator("#retention")).to_contain_text("under the retention schedule")
    expect(page.locator("body")).not_to_contain_text("Retainedrecord")
    _check_both_widths(ui, "person page tombstone", problems)
    assert problems == []
