"""Signing in through the real form: every demo account, a wrong password, and the keyboard alone."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from msp_cases.accounts import roles
from msp_cases.accounts.demo import DEMO_USERS

pytestmark = pytest.mark.browser

# Where each role lands, and the heading that tells them they are in the right place.
LANDING_HEADING = {
    roles.PRACTITIONER: "Caseload",
    roles.MANAGER: "Caseload",
    roles.SAFEGUARDING_UNIT: "All cases",
    roles.ADMINISTRATOR: "Site administration",
    roles.FRONT_DOOR: "Referrals waiting to be screened",
}
# Front-door staff start at the referrals waiting for them; everyone else at their caseload.
LANDING_PATH = {roles.FRONT_DOOR: r"/front-door/$"}


@pytest.mark.parametrize("demo", DEMO_USERS, ids=lambda d: d.email.split("@")[0])
def test_every_demo_user_signs_in_and_lands_on_their_home_page(ui, demo):
    ui.goto("/sign-in/")
    ui.shot("sign-in page")
    ui.sign_in(demo.email)
    ui.shot("landed")

    page = ui.page
    expect(page.locator("h1")).to_have_text(LANDING_HEADING[demo.role])
    if demo.role == roles.ADMINISTRATOR:
        expect(page).to_have_url(re.compile(r"/admin/$"))
        expect(page.locator("#site-name")).to_contain_text("MSP Cases administration")
    else:
        expect(page).to_have_url(re.compile(LANDING_PATH.get(demo.role, r"/caseload/")))
        expect(page.locator(".app-header__user-name")).to_have_text(demo.full_name)


def test_a_wrong_password_shows_the_error_summary(ui):
    ui.sign_in("practitioner.north@example.org", "not-the-password", expect_success=False)
    ui.shot("wrong password")

    page = ui.page
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".app-header__user-name")).to_have_count(0)

    # The summary's link takes you to the first field, as the GOV.UK pattern does.
    summary.get_by_role("link", name="Enter a correct email address and password").click()
    expect(page.get_by_label("Email address")).to_be_focused()


def _focused(page) -> dict:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {tag: el.tagName, id: el.id, text: (el.textContent || '').trim()}; }"
    )


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_the_main_content(ui):
    page = ui.page
    ui.goto("/sign-in/")
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Skip to main content", (
        f"the first Tab stop on the sign-in page is {_focused(page)}, not the skip link"
    )
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    ui.shot("skip link focused")

    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    ui.shot("main content focused")


def test_the_sign_in_form_can_be_completed_with_the_keyboard_alone(ui):
    page = ui.page
    ui.goto("/sign-in/")
    email = page.get_by_label("Email address")
    # Tab through the page to the first field, within a bounded number of stops.
    for _ in range(10):
        if email.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(email).to_be_focused()

    page.keyboard.type("practitioner.north@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(settings.DEMO_PASSWORD)
    ui.shot("form filled by keyboard")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/caseload/"))
    expect(page.locator("h1")).to_have_text("Caseload")
    ui.shot("signed in")
