"""Single sign-on through the real provider without a browser: the provider's sign-in is driven with
`requests`, and its redirect back to the app is handed to Django's test client (the provider has
http://testserver's callback registered). Faster than Chromium, for the rules a browser adds nothing to."""

import logging
import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.test import Client

from msp_cases.accounts.models import User
from tests.factories import UserFactory

from .conftest import UNKNOWN_EMAIL
from .oidc_provider import CALLBACK_PATH, PROVIDER_PASSWORD

# Committed data (the provider calls back into the live server); serialized, as every transactional test here,
# so the flush after each test does not take the roles the data migrations made (nor renumber content types).
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("sso_settings"),
]

EMAIL = "practitioner.north@example.org"  # one of the provider's people


def provider_callback(client: Client, email: str, *, next_url: str = "") -> str:
    """Start single sign-on in `client`, sign in at the provider as `email`, and return the path and query
    the provider sends the browser back to."""
    start = client.get("/sign-in/sso/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    browser = requests.Session()
    login_page = browser.get(start["Location"], timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    back = browser.post(
        login_page.url,
        data={"csrfmiddlewaretoken": csrf, "username": email, "password": PROVIDER_PASSWORD},
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=10,
    )
    while CALLBACK_PATH not in back.headers["Location"]:  # through the provider's own redirects
        back = browser.get(urljoin(back.url, back.headers["Location"]), allow_redirects=False, timeout=10)
    location = urlsplit(back.headers["Location"])
    assert location.netloc == "testserver"
    return f"{location.path}?{location.query}"


def test_signs_in_to_the_page_asked_for_and_records_how(client):
    user = UserFactory(email=EMAIL)
    response = client.get(provider_callback(client, EMAIL, next_url="/reports/"))
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["msp_auth_method"] == "sso"  # two-factor asks this of password sessions only


def test_the_email_may_come_from_another_claim(client, settings):
    # As with Entra ID's upn: the first claim listed that the token carries is used.
    settings.OIDC_EMAIL_CLAIMS = ["upn", "preferred_username"]
    user = UserFactory(email=EMAIL.upper())  # found whatever the capitals
    assert client.get(provider_callback(client, EMAIL)).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_deactivating_the_account_ends_a_single_sign_on_session(client):
    user = UserFactory(email=EMAIL)
    client.get(provider_callback(client, EMAIL))
    assert client.get("/sign-in/").status_code == 302  # signed in: the sign-in page sends them on
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/sign-in/").status_code == 200


def test_a_callback_is_used_once(client):
    UserFactory(email=EMAIL)
    callback = provider_callback(client, EMAIL)
    assert client.get(callback).status_code == 302
    client.post("/sign-out/")
    replay = client.get(callback)
    assert replay.status_code == 403 and "This sign-in has expired" in replay.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_refusal_logs_its_reason_but_not_who_and_is_not_a_lockout(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get(provider_callback(client, UNKNOWN_EMAIL))
    assert response.status_code == 403 and UNKNOWN_EMAIL in response.content.decode()
    assert "Single sign-on refused: unknown-account" in caplog.text
    assert UNKNOWN_EMAIL not in caplog.text and "new.starter" not in caplog.text
    assert not AccessAttempt.objects.exists()  # no password was typed: nothing counts towards a lockout
