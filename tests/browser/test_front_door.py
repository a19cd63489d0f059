"""The front door in Chromium, as a front-door worker uses it (the demo's frontdoor@example.org and its three
referrals): the queue and the screening page at a desktop width and at 320 pixels (no sideways scrolling, axe
clean at both), then a referral matched to the person already known and sent to a team."""

import re

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def _check_both_widths(ui, label: str) -> None:
    page = ui.page
    for name, size in (("desktop", DESKTOP), ("320px", NARROW)):
        page.set_viewport_size(size)
        ui.shot(f"{label} at {name}")
        assert page.evaluate(PAGE_WIDTH) <= size["width"], f"{label} scrolls sideways at {name}"
        assert_accessible(page, label=f"{label} at {name}")
    page.set_viewport_size(DESKTOP)


def test_a_front_door_worker_screens_a_referral_and_sends_it_to_a_team(ui):
    ui.use_session_of("frontdoor@example.org")
    page = ui.page
    ui.goto("/")
    expect(page.locator("h1")).to_have_text("Referrals waiting to be screened")
    queue = page.get_by_role("table")
    expect(queue.get_by_role("row")).to_have_count(4)  # a header and the demo's three referrals
    # The oldest (four days) is first and overdue.
    first = queue.get_by_role("row").nth(1)
    expect(first).to_contain_text("Margaret Hughes")
    expect(first).to_contain_text("Overdue")
    _check_both_widths(ui, "queue")

    first.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Screen this referral")
    expect(page.get_by_text("she was crying on the doorstep")).to_be_visible()
    matches = page.get_by_role("table", name=re.compile("possible match"))
    expect(matches).to_contain_text("Margaret Hughes")
    expect(matches).to_contain_text("North Locality")  # the concern North received yesterday
    _check_both_widths(ui, "screening")

    page.get_by_role("radio", name=re.compile("^Margaret Hughes")).check()
    page.get_by_role("radio", name="Send it to a team to decide").check()
    page.get_by_label("Team to send it to").select_option(label="North Locality")
    ui.shot("decision filled in")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Referrals waiting to be screened")
    expect(page.get_by_text(re.compile("sent to North Locality"))).to_be_visible()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)
    ui.shot("queue after routing")


def test_a_missing_answer_is_shown_in_the_error_summary(ui):
    ui.use_session_of("frontdoor@example.org")
    page = ui.page
    ui.goto("/front-door/")
    page.get_by_role("table").get_by_role("row").nth(1).get_by_role("link").click()
    page.get_by_role("radio", name="Send it to a team to decide").check()
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select who the referral is about")
    expect(summary).to_contain_text("Select the team to send the concern to")
    # At the top of the page, above the referral, though the form is at the bottom.
    assert summary.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    expect(page.locator(".govuk-error-summary")).to_have_count(1)
    ui.shot("errors")
    assert_accessible(page, label="screening with errors")
