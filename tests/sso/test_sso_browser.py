"""Single sign-on in Chromium against a real OpenID Connect provider (django-oauth-toolkit, started by the
`oidc_provider` fixture): the whole redirect dance — sign-in page, the provider's own sign-in, back with a
code exchanged for a signed ID token (PKCE, state and nonce checked) — landing on each role's first page;
signing out of the app and then of the provider; and each way a sign-in is refused, with its page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from msp_cases.accounts.models import User
from tests.browser.accessibility import assert_accessible

from .conftest import PROVIDER_NAME, UNKNOWN_EMAIL
from .oidc_provider import CALLBACK_PATH, ID_TOKEN_SECONDS, PROVIDER_PASSWORD
from .provider.clients import MISISSUED_CLIENT_ID

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("sso_settings")]

SSO_BUTTON = f"Sign in with {PROVIDER_NAME}"
PRACTITIONER = "practitioner.north@example.org"


def sso_sign_in(ui, email: str, *, signed_in_at_provider: bool = False) -> None:
    """From the app's sign-in page to the provider and back, as a person would."""
    ui.goto("/sign-in/")
    ui.page.get_by_role("button", name=SSO_BUTTON).click()
    if not signed_in_at_provider:
        expect(ui.page.get_by_role("heading", name="Example identity provider")).to_be_visible()
        ui.page.get_by_label("Username").fill(email)
        ui.page.get_by_label("Password").fill(PROVIDER_PASSWORD)
        ui.page.get_by_role("button", name="Sign in to the provider").click()
    ui.page.wait_for_load_state("load")


def expect_signed_out(ui) -> None:
    ui.goto("/")
    expect(ui.page).to_have_url(re.compile(r"/sign-in/"))


def expect_refused(ui, heading: str, explanation: str) -> None:
    expect(ui.page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(ui.page.get_by_text(explanation)).to_be_visible()
    expect(ui.page.get_by_role("button", name="Start again")).to_be_visible()
    assert_accessible(ui.page, label=heading)


def test_sign_in_with_single_sign_on_and_sign_out_of_both(ui, live_server):
    requests_seen: list[str] = []
    ui.page.on("request", lambda request: requests_seen.append(request.url))
    ui.goto("/sign-in/")
    expect(ui.page.get_by_role("button", name=SSO_BUTTON)).to_be_visible()
    assert_accessible(ui.page, label="sign-in page with single sign-on")
    ui.shot("sign-in page with single sign-on")

    sso_sign_in(ui, PRACTITIONER)
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Caseload")
    expect(ui.page.locator("header")).to_contain_text("Priya Shah")
    # The request to the provider carried a PKCE challenge (the provider requires one), and the state
    # came back to the callback.
    authorise = next(url for url in requests_seen if "/o/authorize/" in url)
    assert "code_challenge_method=S256" in authorise and "nonce=" in authorise
    assert any(CALLBACK_PATH in url and "state=" in url for url in requests_seen)
    session_user = User.objects.get(email=PRACTITIONER)
    assert session_user.last_login is not None  # Django's own login ran (user_logged_in)

    # Signing out ends the app's session, then offers the provider's sign-out.
    ui.page.locator("header").get_by_role("button", name="Sign out").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("You have signed out of MSP Cases")
    assert_accessible(ui.page, label="signed out of the app")
    ui.shot("signed out of the app")
    ui.page.get_by_role("button", name=f"Sign out of {PROVIDER_NAME} too").click()
    # The provider asks (no ID token is sent to it in the address), then sends the person back.
    ui.page.get_by_role("button", name="Logout").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(ui.page).to_have_url(live_server.url + "/sign-out/provider/done/")
    ui.shot("signed out of the provider too")
    expect_signed_out(ui)

    # The provider's session is over too: it asks who this is again. The front door lands on its queue.
    sso_sign_in(ui, "frontdoor@example.org")
    expect(ui.page).to_have_url(re.compile(r"/front-door/"))


def test_signing_out_of_the_app_only_leaves_the_provider_signed_in(ui, settings):
    # Two-factor is asked of password sign-ins only: the council's provider does its own.
    settings.MSP_REQUIRE_2FA = True
    sso_sign_in(ui, PRACTITIONER)
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Caseload")
    ui.page.locator("header").get_by_role("button", name="Sign out").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("You have signed out of MSP Cases")
    expect_signed_out(ui)
    # Still signed in at the provider: single sign-on goes straight back in, without its sign-in page.
    sso_sign_in(ui, PRACTITIONER, signed_in_at_provider=True)
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Caseload")


def test_an_email_without_an_account_is_refused(ui):
    sso_sign_in(ui, UNKNOWN_EMAIL)
    expect_refused(ui, "You do not have an account", f"signed you in as {UNKNOWN_EMAIL}")
    ui.shot("no account for the email")
    assert not User.objects.filter(email=UNKNOWN_EMAIL).exists()  # no account made from a claim
    expect_signed_out(ui)


def test_a_deactivated_account_is_refused(ui):
    User.objects.filter(email=PRACTITIONER).update(is_active=False)
    sso_sign_in(ui, PRACTITIONER)
    expect_refused(ui, "Your account has been deactivated", "Ask your system administrator")
    expect_signed_out(ui)


def test_an_id_token_for_another_audience_is_refused(ui, settings):
    # A client the provider has registered whose ID tokens name another service as their audience.
    settings.OIDC_RP_CLIENT_ID = MISISSUED_CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "misissued-secret"
    sso_sign_in(ui, PRACTITIONER)
    expect_refused(ui, "You have not been signed in", "was meant for another system")
    ui.shot("token for another audience")
    expect_signed_out(ui)


def test_an_expired_id_token_is_refused(ui):
    # The app's clock runs past the ID token's lifetime (and the allowed skew): the provider's real token,
    # signed and in date by the provider's clock, has expired by ours.
    with time_machine.travel(timezone.now() + timedelta(seconds=ID_TOKEN_SECONDS + 120), tick=True):
        sso_sign_in(ui, PRACTITIONER)
        expect_refused(ui, "This sign-in has expired", "was out of date when it reached MSP Cases")
        expect_signed_out(ui)


def test_a_replayed_callback_is_refused(ui, chromium_browser):
    callbacks: list[str] = []
    ui.page.on("request", lambda request: CALLBACK_PATH in request.url and callbacks.append(request.url))
    sso_sign_in(ui, PRACTITIONER)
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Caseload")
    ui.page.locator("header").get_by_role("button", name="Sign out").click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("You have signed out of MSP Cases")

    # The same browser, and another one, open the callback address again: its state was used once.
    ui.page.goto(callbacks[0])
    expect_refused(ui, "This sign-in has expired", "has already been used")
    ui.shot("replayed callback")
    expect_signed_out(ui)
    other = chromium_browser.new_context()
    try:
        page = other.new_page()
        page.goto(callbacks[0])
        expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in has expired")
    finally:
        other.close()
