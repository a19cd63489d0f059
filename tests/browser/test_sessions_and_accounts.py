"""Your sessions in two browsers: signed in on both, the first sees both and ends the other, which is signed
out on its next request. And the account review as a unit lead sees it, checked with axe at desktop and phone
widths."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .conftest import ACTION_TIMEOUT_MS

pytestmark = pytest.mark.browser

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
# Pictures for a person to look at, as well as the run's own (ui.shot).
LOOK_AT = os.environ.get("MSP_SHOTS_DIR")


def look(page, name: str) -> None:
    if LOOK_AT:
        Path(LOOK_AT).mkdir(parents=True, exist_ok=True)
        for width, height in ((1280, 900), (375, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=f"{LOOK_AT}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_end_a_session_in_another_browser(ui, chromium_browser):
    other_context = chromium_browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", user_agent=FIREFOX_WINDOWS
    )
    other_context.set_default_timeout(ACTION_TIMEOUT_MS)
    other = other_context.new_page()
    try:
        ui.sign_in("practitioner.north@example.org")
        other.goto(ui.url("/sign-in/"))
        other.get_by_label("Email address").fill("practitioner.north@example.org")
        other.get_by_label("Password").fill(settings.DEMO_PASSWORD)
        with other.expect_navigation():
            other.get_by_role("button", name="Sign in").click()
        expect(other).not_to_have_url(re.compile(r"/sign-in/"))

        page = ui.page
        page.locator("header").get_by_role("link", name="Your sessions").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
        cards = page.locator(".govuk-summary-card")
        expect(cards).to_have_count(2)
        expect(cards.nth(0)).to_contain_text("This device")
        expect(cards.nth(1)).to_contain_text("Firefox on Windows")
        expect(cards.nth(1)).not_to_contain_text("This device")
        assert_accessible(page, label="Your sessions")
        ui.shot("two sessions")
        look(page, "your-sessions")

        cards.nth(1).get_by_role("button", name=re.compile(r"^Sign out Firefox on Windows")).click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            "Firefox on Windows has been signed out"
        )
        expect(cards).to_have_count(1)
        ui.shot("the other session ended")

        other.reload()
        expect(other).to_have_url(re.compile(r"/sign-in/"))
        # This browser is still signed in.
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    finally:
        other_context.close()


def test_a_unit_lead_reviews_the_accounts_and_deactivates_one(ui):
    ui.sign_in("unit@example.org")
    page = ui.page
    page.get_by_role("link", name="Accounts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    expect(page.get_by_role("row", name=re.compile("Tom Okafor"))).to_contain_text("South Locality")
    assert_accessible(page, label="Accounts")
    look(page, "accounts")

    page.get_by_role("link", name="Tom Okafor").click()
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are making this change")
    assert_accessible(page, label="Deactivate with no reason")
    look(page, "account-error")
    page.get_by_label("Why?").fill("Left the council on 30 November")
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Tom Okafor’s account has been deactivated"
    )
    expect(page.get_by_role("table")).to_contain_text("Left the council on 30 November")
    assert_accessible(page, label="Account deactivated")
    look(page, "account")
