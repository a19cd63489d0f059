"""The sign-in page with single sign-on on, and local passwords switched off for all but the break-glass
accounts. These need no provider: the page never asks it anything until someone chooses single sign-on."""

import pytest
from django.test import Client
from django.urls import reverse

from msp_cases.accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
BREAK_GLASS = "it.oncall@example.org"
SSO_BUTTON = "Sign in with your Example Council account"
WRONG = "Enter a correct email address and password"


@pytest.fixture
def sso_on(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "msp-cases"
    # Nothing listens here: a page that asked the provider would show "not available".
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/o/.well-known/openid-configuration"
    settings.OIDC_PROVIDER_NAME = "your Example Council account"
    return settings


@pytest.fixture
def passwords_off(sso_on):
    sso_on.MSP_LOCAL_PASSWORDS = False
    sso_on.MSP_BREAK_GLASS_ACCOUNTS = [BREAK_GLASS]
    return sso_on


def sign_in(client: Client, path: str, email: str, password: str = PASSWORD, **meta):
    return client.post(path, {"username": email, "password": password}, **meta)


def test_without_single_sign_on_the_page_has_the_password_form_only(client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in page
    assert 'name="password"' in page
    assert client.get("/sign-in/sso/").status_code == 404
    assert client.get("/sign-in/sso/callback/?code=x&state=y").status_code == 404


def test_single_sign_on_is_offered_above_the_password_form(client, sso_on):
    page = client.get(reverse("login") + "?next=/reports/").content.decode()
    assert page.index(SSO_BUTTON) < page.index('name="password"')
    assert 'href="/sign-in/sso/?next=/reports/"' in page  # back to the page asked for


def test_with_passwords_off_the_page_offers_single_sign_on_only(client, passwords_off):
    page = client.get(reverse("login")).content.decode()
    assert SSO_BUTTON in page
    assert 'name="password"' not in page
    # Nothing on the page names, or links to, the break-glass sign-in.
    assert BREAK_GLASS not in page and "/sign-in/password/" not in page


def test_with_passwords_off_only_a_break_glass_account_signs_in_with_a_password(passwords_off):
    UserFactory(email=BREAK_GLASS, role=roles.ADMINISTRATOR, is_staff=True)
    UserFactory(email="practitioner@example.org", role=roles.PRACTITIONER)
    form = Client().get("/sign-in/password/").content.decode()
    assert 'name="password"' in form and SSO_BUTTON not in form

    # A practitioner with the right password is told exactly what a wrong password is told.
    right = sign_in(Client(), "/sign-in/password/", "practitioner@example.org")
    wrong = sign_in(Client(), "/sign-in/password/", "practitioner@example.org", "not-the-password")
    assert right.status_code == wrong.status_code == 200
    assert WRONG in right.content.decode() and WRONG in wrong.content.decode()
    # The main sign-in page refuses the password as well (the form is only hidden there). From another
    # address: each refusal counts towards the lockout, as a wrong password does.
    elsewhere = sign_in(Client(), "/sign-in/", "practitioner@example.org", REMOTE_ADDR="198.51.100.7")
    assert WRONG in elsewhere.content.decode()

    breaker = Client()
    assert sign_in(breaker, "/sign-in/password/", BREAK_GLASS.upper()).status_code == 302
    assert breaker.get("/", follow=True).status_code == 200
    assert breaker.session["_auth_user_id"]


def test_switching_passwords_off_ends_open_password_sessions(settings, sso_on):
    UserFactory(email="practitioner@example.org", role=roles.PRACTITIONER)
    client = Client()
    assert sign_in(client, "/sign-in/", "practitioner@example.org").status_code == 302
    assert client.get(reverse("enquiries:caseload")).status_code == 200
    settings.MSP_LOCAL_PASSWORDS = False
    response = client.get(reverse("enquiries:caseload"))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_passwords_stay_on_while_single_sign_on_is_off(settings):
    settings.MSP_LOCAL_PASSWORDS = False  # without single sign-on, nobody could sign in: ignored
    UserFactory(email="practitioner@example.org", role=roles.PRACTITIONER)
    assert sign_in(Client(), "/sign-in/", "practitioner@example.org").status_code == 302


def test_a_callback_this_browser_did_not_start_is_refused(client, sso_on):
    response = client.get("/sign-in/sso/callback/?code=forged&state=forged")
    assert response.status_code == 403
    page = response.content.decode()
    assert "This sign-in has expired" in page and "Nobody has been signed in" in page
    assert "_auth_user_id" not in client.session


def test_a_provider_that_cannot_be_reached_gets_a_page_not_an_error(client, sso_on):
    response = client.get("/sign-in/sso/")
    assert response.status_code == 503
    assert "Signing in with your Example Council account is not working" in response.content.decode()
