"""Two-factor authentication in Chromium, with MSP_REQUIRE_2FA on: setting up an authenticator app from the
QR page (its key typed as a person would who cannot scan), the recovery codes shown once, signing in with a
code, a wrong code, and a recovery code. Each page is checked with axe, and at 320 px wide for reflow."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from msp_cases.accounts.models import User
from msp_cases.accounts.two_factor.services import authenticator_setup_begin, authenticator_setup_confirm
from tests.accounts.two_factor_steps import app_code, app_code_from_secret, wrong_code

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

EMAIL = "practitioner.north@example.org"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.MSP_REQUIRE_2FA = True


def _look(ui, name: str) -> None:
    """Pictures of the page at a desktop and a phone width, and the page fits 320 px without scrolling."""
    page = ui.page
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        ui.shot(f"{name} {width}")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{name} scrolls sideways at 320px"
    assert_accessible(page, label=f"{name} at 320px")
    page.set_viewport_size({"width": 1280, "height": 900})


def _with_authenticator(email: str) -> tuple[TOTPDevice, list[str]]:
    user = User.objects.get(email=email)
    device = authenticator_setup_begin(user=user)
    check, codes = authenticator_setup_confirm(user=user, code=app_code(device))
    assert check.accepted
    return TOTPDevice.objects.get(pk=device.pk), codes


def test_setting_up_the_authenticator_app_and_saving_the_recovery_codes(ui):
    page = ui.page
    ui.goto("/sign-in/")
    expect(page.get_by_text("After your password you will be asked for a code")).to_be_visible()
    ui.sign_in(EMAIL)

    expect(page).to_have_url(re.compile(r"/two-factor/set-up/"))
    expect(page.locator("h1")).to_have_text("Set up your authenticator app")
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr).to_be_visible()
    expect(qr.locator("svg")).to_have_count(1)
    # No navigation to case work while only the password has been given.
    expect(page.locator(".govuk-service-navigation")).to_have_count(0)
    _look(ui, "set-up")

    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator(".app-secret-key").inner_text()
    code = page.get_by_label("Enter the 6-digit code your app shows")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    code.fill(app_code_from_secret(secret))
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Save your recovery codes")
    codes = page.locator(".app-recovery-codes li")
    expect(codes).to_have_count(10)
    _look(ui, "recovery-codes")

    # "I have saved these" must be ticked: the error summary says so and takes you to the box.
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Confirm that you have saved your recovery codes")
    summary.get_by_role("link").click()
    expect(page.get_by_label("I have saved these recovery codes somewhere safe")).to_be_focused()
    page.get_by_label("I have saved these recovery codes somewhere safe").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Caseload")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Two-factor authentication is set up")

    # Not shown again.
    ui.goto("/two-factor/recovery-codes/")
    expect(page.locator("h1")).to_have_text("Two-factor authentication")
    expect(page.locator(".govuk-summary-list")).to_contain_text("10 of 10")
    _look(ui, "account")


def test_signing_in_with_a_code_from_the_app(ui):
    device, _ = _with_authenticator(EMAIL)
    page = ui.page
    ui.sign_in(EMAIL)
    expect(page).to_have_url(re.compile(r"/two-factor/\?next="))
    field = page.get_by_label("Enter the 6-digit code from your authenticator app")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(page.locator("h1")).to_have_text("Enter the 6-digit code from your authenticator app")
    _look(ui, "code")

    # Typing a case page's address meanwhile only leads back here.
    ui.goto("/caseload/")
    expect(page).to_have_url(re.compile(r"/two-factor/\?next=%2Fcaseload%2F"))
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(app_code(device))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Caseload")
    expect(page).to_have_url(re.compile(r"/caseload/$"))


def test_a_wrong_code_is_an_error_and_a_recovery_code_signs_in(ui):
    device, codes = _with_authenticator(EMAIL)
    page = ui.page
    ui.sign_in(EMAIL)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(wrong_code(device))
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The code is not correct")
    expect(page).to_have_title(re.compile(r"^Error: "))
    _look(ui, "wrong-code")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Enter the 6-digit code from your authenticator app")).to_be_focused()

    page.get_by_role("link", name="Use a recovery code").click()
    expect(page.locator("h1")).to_have_text("Enter one of your recovery codes")
    _look(ui, "recovery-code")
    page.get_by_label("Enter one of your recovery codes").fill(f"{codes[3][:4]} {codes[3][4:]}")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Caseload")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have 9 left")


def test_a_unit_lead_resets_a_lost_device(ui):
    _with_authenticator(EMAIL)
    _with_authenticator("unit@example.org")
    page = ui.page
    ui.use_session_of("unit@example.org")
    ui.goto("/two-factor/reset/")
    # use_session_of signs in without the form: give the code the second step asks for.
    device = TOTPDevice.objects.get(user__email="unit@example.org")
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(app_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Reset a colleague's two-factor authentication")
    _look(ui, "reset")
    page.get_by_label("Email address of the person who has lost their device").fill(EMAIL)
    page.get_by_label("Why are you resetting it?").fill("Phone lost; called her desk number to check")
    page.get_by_role("button", name="Reset two-factor authentication").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been reset for Priya Shah")
    _look(ui, "reset-done")
    assert not TOTPDevice.objects.filter(user__email=EMAIL).exists()
