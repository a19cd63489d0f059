"""The session-timeout warning (static/src/app.js), with the session shortened to seconds.

The session lasts 12 seconds from the last request and the warning shows 10 seconds before the end, i.e.
2 seconds after a page loads. Waits are Playwright's own, each bounded."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SESSION_SECONDS = 12
WARNING_SECONDS = 10


@pytest.fixture
def short_session(settings):
    # Before any page loads: the server's session age and the page's timings both come from these.
    settings.SESSION_COOKIE_AGE = SESSION_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS


def test_warning_appears_and_stay_signed_in_renews_the_session(ui, short_session):
    page = ui.page
    dialog = page.locator("#session-timeout-dialog")
    ui.sign_in("practitioner.north@example.org")
    # The server-side session would end this long after the sign-in, unless renewed.
    first_expiry = time.monotonic() + SESSION_SECONDS
    expect(dialog).not_to_have_attribute("open", "")

    expect(dialog).to_have_attribute("open", "", timeout=(SESSION_SECONDS - WARNING_SECONDS + 3) * 1000)
    expect(dialog.get_by_role("heading", level=2)).to_have_text("You’re about to be signed out")
    expect(dialog.locator(".app-timeout-dialog__countdown")).to_have_text(re.compile(r"^\d+ seconds?$"))
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    ui.shot("warning shown")

    # Keep choosing "Stay signed in" each time the warning comes back, until the session as first issued
    # would have ended; then a page load must still find us signed in.
    renewals = 0
    while True:
        stay.click()
        expect(dialog).not_to_have_attribute("open", "")
        renewals += 1
        if renewals == 1:
            ui.shot("warning dismissed")
        if time.monotonic() > first_expiry + 1:
            break
        expect(dialog).to_have_attribute("open", "", timeout=(SESSION_SECONDS - WARNING_SECONDS + 3) * 1000)
    assert renewals >= 2

    page.reload()
    expect(page).to_have_url(re.compile(r"/caseload/"))
    expect(page.locator(".app-header__user-name")).to_have_text("Priya Shah")
    ui.shot("still signed in after the first session would have ended")


def test_left_alone_the_page_goes_to_the_sign_in_page(ui, short_session):
    page = ui.page
    ui.sign_in("practitioner.north@example.org")
    expect(page.locator("#session-timeout-dialog")).to_have_attribute(
        "open", "", timeout=(SESSION_SECONDS - WARNING_SECONDS + 3) * 1000
    )
    ui.shot("warning shown")

    page.wait_for_url(re.compile(r"/sign-in/\?timeout=1"), timeout=(SESSION_SECONDS + 5) * 1000)
    # The sign-in page shows rather than sending us back in: the server ended the session too.
    expect(page.locator("h1")).to_have_text("Sign in to MSP Cases")
    expect(page.locator(".govuk-inset-text")).to_contain_text("You were signed out because")
    expect(page.locator(".app-header__user-name")).to_have_count(0)
    ui.shot("signed out")
