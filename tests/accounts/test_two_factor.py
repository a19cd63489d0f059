"""Two-factor authentication after a local password (MSP_REQUIRE_2FA): set-up with a QR code drawn here,
recovery codes shown once, the code at each sign-in, what a wrong code costs, single sign-on let through,
a lost device reset by a unit lead (recorded), and the demo with it off."""

import logging
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from msp_cases.accounts import roles
from msp_cases.accounts.models import RoleChange
from msp_cases.accounts.two_factor.services import authenticator_setup_begin, authenticator_setup_confirm
from tests.factories import UserFactory
from tests.test_security import _manage

from .two_factor_steps import app_code, app_code_from_secret, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
VERIFY = "/two-factor/"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.MSP_REQUIRE_2FA = True


@pytest.fixture
def practitioner(db):
    return UserFactory(email="priya@example.org", role=roles.PRACTITIONER)


def with_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    device = authenticator_setup_begin(user=user)
    check, codes = authenticator_setup_confirm(user=user, code=app_code(device))
    assert check.accepted
    return TOTPDevice.objects.get(pk=device.pk), codes


def signed_in_with_code(client: Client, user) -> None:
    """Both steps done, without the forms (they have their own tests)."""
    device, _ = with_authenticator(user)
    client.force_login(user)
    session = client.session
    session.update({"msp_auth_method": "password", DEVICE_ID_SESSION_KEY: device.persistent_id})
    session.save()


def password_step(client: Client, user, next_url: str = ""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def text(response) -> str:
    return response.content.decode()


def test_the_password_alone_leads_to_set_up_the_first_time(client, practitioner):
    response = password_step(client, practitioner, "/caseload/")
    assert response.status_code == 302
    assert response["Location"] == "/two-factor/?next=%2Fcaseload%2F"
    assert client.session["msp_auth_method"] == "password"

    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/two-factor/set-up/?next=")

    page = client.get(response["Location"])
    html = text(page)
    assert "Set up your authenticator app" in html
    # The QR code is drawn here, as inline SVG: no image from a third-party service carries the secret.
    assert re.search(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert "<img" not in html.split('id="main-content"')[1]
    secret = re.search(r'<code class="app-secret-key">([A-Z2-7 ]+)</code>', html).group(1)
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    # Nothing of the case work while only the password has been given: no navigation.
    assert "govuk-service-navigation" not in html

    # The code from an app given the key by hand confirms it; recovery codes follow, shown once.
    code = app_code_from_secret(secret)
    response = client.post("/two-factor/set-up/", {"code": code, "next": "/caseload/"})
    assert response["Location"] == "/two-factor/recovery-codes/"
    codes_page = text(client.get("/two-factor/recovery-codes/"))
    shown = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", codes_page)
    assert len(shown) == 10
    assert {c.replace(" ", "") for c in shown} == set(
        StaticToken.objects.filter(device__user=practitioner).values_list("token", flat=True)
    )
    assert "You will not be shown these codes again" in codes_page

    # "I have saved these" must be ticked.
    refused = client.post("/two-factor/recovery-codes/", {})
    assert "Confirm that you have saved your recovery codes" in text(refused)
    response = client.post("/two-factor/recovery-codes/", {"saved": "on"})
    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200
    # Never shown again.
    assert client.get("/two-factor/recovery-codes/")["Location"] == "/account/two-factor/"
    assert TOTPDevice.objects.get(user=practitioner).confirmed


def test_a_set_up_authenticator_is_asked_for_at_every_sign_in(client, practitioner):
    device, _ = with_authenticator(practitioner)
    response = password_step(client, practitioner)
    assert response["Location"] == "/two-factor/?next=%2F"
    page = client.get(response["Location"])
    assert "Enter the 6-digit code from your authenticator app" in text(page)
    assert "Use a recovery code" in text(page)
    # Every page of case work sends them back here.
    assert client.get("/caseload/")["Location"] == "/two-factor/?next=%2Fcaseload%2F"

    response = client.post(VERIFY, {"code": app_code(device), "next": "/caseload/"})
    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200


def test_a_wrong_code_says_so_and_signs_nobody_in(client, practitioner):
    device, _ = with_authenticator(practitioner)
    password_step(client, practitioner)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "The code is not correct" in text(response)
    assert "There is a problem" in text(response)
    assert client.get("/caseload/").status_code == 302


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 numbers"),
        ("abcdef", "The code must be 6 numbers"),
        ("1" * 100_000, "Ensure this value has at most 20 characters"),
        ("12\x0034", "The code must be 6 numbers"),
    ],
)
def test_a_code_that_is_not_six_numbers_is_an_error_not_a_try(client, practitioner, typed, message):
    with_authenticator(practitioner)
    password_step(client, practitioner)
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    assert message in text(response)
    assert not AccessAttempt.objects.exists()


def test_wrong_codes_count_towards_the_sign_in_lockout_which_ends_the_session(client, practitioner, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # this test is about the lockout, not django-otp's delay
    device, _ = with_authenticator(practitioner)
    password_step(client, practitioner)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "The code is not correct" in text(client.post(VERIFY, {"code": wrong_code(device)}))
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 429
    assert "Your account is locked for now" in text(response)
    assert "_auth_user_id" not in client.session
    # Locked for the password step too, even with the right password.
    again = password_step(Client(), practitioner)
    assert again.status_code == 429


def test_wrong_codes_and_passwords_leave_no_email_in_the_log(client, practitioner, settings, caplog):
    """The lockout's log lines (django-axes) name the account by a digest: one account's failures can be told
    apart, but a log shipped elsewhere holds nobody's email address."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _ = with_authenticator(practitioner)
    password_step(client, practitioner)
    with caplog.at_level(logging.INFO):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(VERIFY, {"code": wrong_code(device)})
        Client().post(reverse("login"), {"username": practitioner.email, "password": "not-the-password"})
    failures = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("Locking out" in line for line in failures)
    assert len({re.search(r'account: "(\w+)"', line).group(1) for line in failures}) == 1
    assert not [line for line in caplog.messages if "priya" in line.lower()]


def test_a_wrong_code_makes_the_next_try_wait(client, practitioner, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    device, _ = with_authenticator(practitioner)
    password_step(client, practitioner)
    client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": app_code(device)})
    assert "Wait 30 seconds, then try again" in text(response) or "Wait 29 seconds" in text(response)
    assert client.get("/caseload/").status_code == 302


def test_codes_tried_per_account_are_limited_whatever_the_address(client, practitioner, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.MSP_2FA_RATE = "2/h"
    device, _ = with_authenticator(practitioner)
    password_step(client, practitioner)
    client.post(VERIFY, {"code": wrong_code(device)}, REMOTE_ADDR="192.0.2.1")
    password_step(client, practitioner)  # a fresh password sign-in does not give fresh tries
    client.post(VERIFY, {"code": wrong_code(device)}, REMOTE_ADDR="192.0.2.2")
    response = client.post(VERIFY, {"code": app_code(device)}, REMOTE_ADDR="192.0.2.3")
    assert "You have tried too many codes" in text(response)
    assert client.get("/caseload/").status_code == 302


def test_a_recovery_code_works_once(client, practitioner):
    _, codes = with_authenticator(practitioner)
    password_step(client, practitioner)
    page = client.get("/two-factor/recovery-code/")
    assert "Enter one of your recovery codes" in text(page)
    # Typed as shown (with its space, in capitals) it is accepted.
    typed = f"{codes[0][:4]} {codes[0][4:]}".upper()
    response = client.post("/two-factor/recovery-code/", {"code": typed, "next": "/caseload/"}, follow=True)
    assert response.redirect_chain[0][0] == "/caseload/"
    assert "You signed in with a recovery code. You have 9 left" in text(response)

    other = Client()
    password_step(other, practitioner)
    response = other.post("/two-factor/recovery-code/", {"code": codes[0]})
    assert "The recovery code is not correct, or it has been used" in text(response)
    assert other.get("/caseload/").status_code == 302


def test_a_single_sign_on_session_is_not_asked_for_a_code(client, practitioner):
    client.force_login(practitioner)
    session = client.session
    session["msp_auth_method"] = "sso"
    session.save()
    assert client.get("/caseload/").status_code == 200


def test_a_session_that_does_not_say_how_it_signed_in_is_asked(client, practitioner):
    # The admin's own sign-in form, say: only a session the identity provider signed in goes without a code.
    client.force_login(practitioner)
    assert client.get("/caseload/")["Location"] == "/two-factor/?next=%2Fcaseload%2F"


def test_signing_in_again_needs_a_new_code(client, practitioner):
    device, _ = with_authenticator(practitioner)
    password_step(client, practitioner)
    client.post(VERIFY, {"code": app_code(device)})
    assert client.get("/caseload/").status_code == 200
    client.post(reverse("logout"))
    password_step(client, practitioner)
    assert client.get("/caseload/").status_code == 302


def test_own_state_and_new_recovery_codes_after_the_password_again(client, practitioner):
    device, old_codes = with_authenticator(practitioner)
    password_step(client, practitioner)
    client.post(VERIFY, {"code": app_code(device)})
    page = text(client.get("/account/two-factor/"))
    assert "Set up on" in page and "10 of 10" in page

    refused = client.post("/account/two-factor/", {"password": "not-my-password"})
    assert "Your password is not right" in text(refused)
    response = client.post("/account/two-factor/", {"password": PASSWORD})
    assert response["Location"] == "/two-factor/recovery-codes/"
    new_codes = re.findall(r"<li><code>([a-z2-7 ]{9})</code></li>", text(client.get(response["Location"])))
    assert len(new_codes) == 10
    tokens = set(StaticToken.objects.filter(device__user=practitioner).values_list("token", flat=True))
    assert tokens == {c.replace(" ", "") for c in new_codes}
    assert not tokens & set(old_codes)


@pytest.fixture
def unit_lead(db):
    return UserFactory(email="grace@example.org", role=roles.SAFEGUARDING_UNIT, unit_lead=True)


def test_a_unit_lead_resets_a_lost_device_and_it_is_recorded(client, practitioner, unit_lead):
    with_authenticator(practitioner)
    signed_in_with_code(client, unit_lead)
    reason = "Lost phone; I called her on her desk number to check"
    response = client.post(
        "/two-factor/reset/", {"email": "PRIYA@example.org ", "reason": reason}, REMOTE_ADDR="192.0.2.9"
    )
    assert response["Location"] == "/two-factor/reset/"
    assert "has been reset for" in text(client.get(response["Location"]))
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert not StaticToken.objects.filter(device__user=practitioner).exists()
    record = RoleChange.objects.get(user=practitioner)
    assert (record.kind, record.changed_by, record.reason, record.ip_address, record.granted) == (
        RoleChange.Kind.TWO_FACTOR,
        unit_lead,
        reason,
        "192.0.2.9",
        False,
    )
    changes = text(client.get("/accounts/role-changes/"))
    assert "Reset for a lost device, authenticator app and recovery codes removed" in changes
    assert reason in changes

    # Their next password sign-in sets up a new authenticator.
    other = Client()
    password_step(other, practitioner)
    assert other.get(VERIFY)["Location"].startswith("/two-factor/set-up/")


def test_a_reset_signs_the_account_out_everywhere_so_only_the_password_leads_to_a_new_authenticator(
    client, practitioner, unit_lead
):
    """A session signed in before the reset (on a lost phone's browser, a shared computer) must not be the way
    to set up the new authenticator: after the reset it is signed out, and set-up starts from the password."""
    stolen = Client()
    signed_in_with_code(stolen, practitioner)
    assert stolen.get(reverse("accounts:sessions")).status_code == 200
    signed_in_with_code(client, unit_lead)
    client.post("/two-factor/reset/", {"email": practitioner.email, "reason": "Phone stolen on the bus"})
    assert not TOTPDevice.objects.filter(user=practitioner, confirmed=True).exists()

    response = stolen.get("/two-factor/set-up/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not TOTPDevice.objects.filter(user=practitioner).exists()


def test_an_administrator_resets_from_the_user_admin_link(client, practitioner):
    with_authenticator(practitioner)
    admin = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    signed_in_with_code(client, admin)
    change = text(client.get(f"/admin/accounts/user/{practitioner.pk}/change/"))
    assert "10 of 10 recovery codes left" in change
    link = f"/two-factor/reset/?user={practitioner.pk}"
    assert f'href="{link}"' in change
    page = text(client.get(link))
    assert 'value="priya@example.org"' in page


def test_no_one_reads_or_sets_an_authenticator_secret_or_recovery_code_in_the_admin(client, practitioner):
    """Not even a superuser: with the secret or a recovery code anyone could give the second step for someone
    else, unrecorded. A lost device is reset on the reset page, which is recorded."""
    device, codes = with_authenticator(practitioner)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    signed_in_with_code(client, superuser)
    recovery = practitioner.staticdevice_set.get()
    for url in (
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        "/admin/otp_totp/totpdevice/add/",
        f"/admin/otp_static/staticdevice/{recovery.pk}/change/",
    ):
        response = client.get(url, follow=True)
        assert device.key not in text(response), url
        assert not any(code in text(response) for code in codes), url
        assert response.status_code == 404, url


def test_nobody_else_may_reset_and_nobody_resets_their_own(client, practitioner, unit_lead):
    signed_in_with_code(client, practitioner)
    assert client.get("/two-factor/reset/").status_code == 404
    assert client.post("/two-factor/reset/", {"email": unit_lead.email, "reason": "x"}).status_code == 404

    signed_in_with_code(client, unit_lead)
    response = client.post("/two-factor/reset/", {"email": unit_lead.email, "reason": "Lost it"})
    assert "You cannot reset your own two-factor authentication" in text(response)
    response = client.post("/two-factor/reset/", {"email": "nobody@example.org", "reason": "Lost it"})
    assert "There is no account with this email address" in text(response)
    assert not RoleChange.objects.exists()


def test_with_it_off_the_password_is_enough_and_the_sign_in_page_says_so(client, practitioner, settings):
    settings.MSP_REQUIRE_2FA = False
    page = text(client.get(reverse("login")))
    assert "Two-factor authentication is off in this demo" in page
    response = password_step(client, practitioner, "/caseload/")
    assert response["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200
    assert client.get("/two-factor/set-up/").status_code == 404


def test_with_it_on_the_sign_in_page_says_a_code_follows(client):
    assert "asked for a code from the authenticator app" in text(client.get(reverse("login")))


def test_the_code_page_is_no_way_round_for_an_unsafe_next(client, practitioner):
    device, _ = with_authenticator(practitioner)
    password_step(client, practitioner)
    response = client.post(VERIFY, {"code": app_code(device), "next": "https://evil.example/"})
    assert response["Location"] == settings.LOGIN_REDIRECT_URL or response["Location"] == "/"


def test_production_with_it_turned_off_fails_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-of-enough-length-1234567890",
            "DJANGO_ALLOWED_HOSTS": "cases.example.org",
            "CLAMAV_URL": "tcp://clamav:3310",
            "MSP_REQUIRE_2FA": "false",
        },
    )
    assert result.returncode != 0
    assert "accounts.W001" in result.stderr + result.stdout
    assert "MSP_REQUIRE_2FA is off" in result.stderr + result.stdout
