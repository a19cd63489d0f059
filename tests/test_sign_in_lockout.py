"""Sign-in lockout: what is locked after repeated wrong passwords, and from where.

The lockout key is the pair (email as sign-in reads it, client address). The email is normalised exactly as
sign-in normalises it, so a different spelling of the same address gets no new guesses. The address is the
client's, taken through the configured number of trusted proxies, so a stranger elsewhere cannot lock the
real person out, and a client cannot choose its own address with a forged X-Forwarded-For."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from msp_cases.accounts import roles
from msp_cases.accounts.lockout import sign_in_email
from msp_cases.core.request import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
PROXY = "10.0.0.2"  # the one reverse proxy in front of the app: every request arrives from it
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


@pytest.fixture
def practitioner(db):
    return UserFactory(email="practitioner.south@example.org", role=roles.PRACTITIONER)


def sign_in(client, email, password, **meta):
    meta.setdefault("REMOTE_ADDR", "192.0.2.10")
    return client.post(reverse("login"), {"username": email, "password": password}, **meta)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_locked(response, client):
    assert response.status_code == 429
    assert "Your account is locked for now" in response.content.decode()
    assert not signed_in(client)


def fail_until_locked(client, email, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, email, "wrong-password", **meta)
        assert not signed_in(client)
    return response


def test_one_normalisation_of_a_typed_email():
    assert sign_in_email("  Practitioner.South@Example.ORG ") == "practitioner.south@example.org"
    assert sign_in_email("") == ""


@pytest.mark.parametrize(
    "variant",
    ["Practitioner.South@example.org", "PRACTITIONER.SOUTH@EXAMPLE.ORG", " practitioner.south@Example.org "],
)
def test_another_spelling_of_a_locked_email_is_locked_too(client, practitioner, variant):
    fail_until_locked(client, "practitioner.south@example.org")
    assert_locked(sign_in(client, variant, PASSWORD), client)


def test_failures_under_different_spellings_add_up_to_one_lockout(client, practitioner):
    spellings = [
        "practitioner.south@example.org",
        "Practitioner.South@example.org",
        "PRACTITIONER.SOUTH@example.org",
    ]
    for email in spellings[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, email, "wrong-password")
    assert_locked(sign_in(client, "practitioner.south@example.org", PASSWORD), client)


def test_the_right_password_in_another_case_still_signs_in_before_any_lockout(client, practitioner):
    sign_in(client, "practitioner.south@example.org", "wrong-password")
    response = sign_in(client, "Practitioner.South@Example.org", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_admin_sign_in_shares_the_lockout_key(client):
    """The admin site has its own sign-in form; the lockout key is normalised all the same."""
    UserFactory(email="admin.person@example.org", role=roles.ADMINISTRATOR, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "admin.person@example.org", "password": "wrong-password"},
            REMOTE_ADDR="192.0.2.10",
        )
    response = client.post(
        reverse("admin:login"),
        {"username": "Admin.Person@EXAMPLE.org", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert_locked(response, client)


# ---- Behind a proxy ------------------------------------------------------------------------------------


def test_behind_a_proxy_a_stranger_locks_only_their_own_address(client, practitioner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw to whatever the client sent.
    response = fail_until_locked(
        client, "practitioner.south@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert_locked(
        sign_in(
            client,
            "practitioner.south@example.org",
            PASSWORD,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        ),
        client,
    )

    victim = Client()
    response = sign_in(
        victim, "practitioner.south@example.org", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VICTIM
    )
    assert response.status_code == 302
    assert signed_in(victim)


def test_behind_a_proxy_a_forged_first_hop_does_not_dodge_the_lockout(client, practitioner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker writes a different X-Forwarded-For each time; the proxy appends the real address.
        forwarded = f"192.0.2.{n + 1}, {ATTACKER}"
        sign_in(
            client,
            "practitioner.south@example.org",
            "wrong",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    response = sign_in(
        client,
        "practitioner.south@example.org",
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}",
    )
    assert_locked(response, client)


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client, practitioner, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            client,
            "practitioner.south@example.org",
            "wrong",
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}",
        )
    response = sign_in(
        client,
        "practitioner.south@example.org",
        PASSWORD,
        REMOTE_ADDR=ATTACKER,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert_locked(response, client)


def test_a_lockout_and_the_record_of_access_see_the_same_address(client, practitioner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in(
        client, "Practitioner.South@example.org", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("practitioner.south@example.org", ATTACKER)
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ATTACKER}")
    assert client_ip(request) == ATTACKER


@pytest.mark.parametrize("forwarded", ["not-an-address", "198.51.100.7:4711", ""])
def test_a_malformed_forwarded_address_falls_back_to_the_connecting_address(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == PROXY
