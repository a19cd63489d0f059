"""Your sessions: where and when each of your sessions signed in, and ending any of them. Deactivating an
account signs every one of its browsers out at once, not when their sessions would have timed out."""

import datetime
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from msp_cases.accounts.models import SignedInSession
from msp_cases.accounts.sessions.devices import device_summary
from msp_cases.accounts.sessions.services import check_session_engine
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in(user, *, user_agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def person():
    return UserFactory(email="sam.taylor@example.org", full_name="Sam Taylor")


@pytest.fixture
def laptop(person):
    return signed_in(person, user_agent=FIREFOX_WINDOWS, address="192.0.2.10")


@pytest.fixture
def phone(person):
    return signed_in(person, user_agent=SAFARI_IPHONE, address="198.51.100.7")


def test_each_session_says_where_and_when_it_signed_in_and_this_device_is_marked(laptop, phone):
    page = laptop.get(reverse("accounts:sessions")).content.decode()
    cards = page.split('class="govuk-summary-card"')[1:]
    assert len(cards) == 2
    this, other = cards
    assert "Firefox on Windows" in this and "This device" in this and "192.0.2.10" in this
    assert "Safari on iPhone" in other and "This device" not in other and "198.51.100.7" in other
    assert "Password" in other
    # The session keys, credentials both, are nowhere on the page.
    for key in Session.objects.values_list("session_key", flat=True):
        assert key not in page


def test_ending_another_session_signs_that_browser_out_on_its_next_request(laptop, phone):
    phones_session = SignedInSession.objects.get(device="Safari on iPhone")
    response = laptop.post(reverse("accounts:session_end", args=[phones_session.pk]), follow=True)
    assert "Safari on iPhone has been signed out" in response.content.decode()
    assert is_signed_out(phone.get(reverse("home")))
    assert laptop.get(reverse("accounts:sessions")).status_code == 200
    assert list(SignedInSession.objects.values_list("device", flat=True)) == ["Firefox on Windows"]


@pytest.mark.parametrize("engine", ["db", "cached_db"])
def test_ending_a_session_works_whichever_database_engine_keeps_it(person, settings, engine):
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    laptop = signed_in(person, user_agent=FIREFOX_WINDOWS, address="192.0.2.10")
    phone = signed_in(person, user_agent=SAFARI_IPHONE, address="198.51.100.7")
    assert phone.get(reverse("accounts:sessions")).status_code == 200  # read once, so cached_db caches it
    laptop.post(
        reverse("accounts:session_end", args=[SignedInSession.objects.get(device="Safari on iPhone").pk])
    )
    assert is_signed_out(phone.get(reverse("accounts:sessions")))


def test_an_engine_without_a_session_row_fails_the_system_check(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    assert [error.id for error in check_session_engine()] == ["accounts.E001"]


def test_ending_this_session_is_signing_out(laptop):
    mine = SignedInSession.objects.get()
    response = laptop.post(reverse("accounts:session_end", args=[mine.pk]))
    assert is_signed_out(response)
    assert is_signed_out(laptop.get(reverse("home")))
    assert not SignedInSession.objects.exists()


def test_sign_out_every_other_session(person, laptop, phone):
    third = signed_in(person, user_agent="curl/8.0", address="203.0.113.1")
    laptop.post(reverse("accounts:sessions_end_others"))
    assert is_signed_out(phone.get(reverse("home")))
    assert is_signed_out(third.get(reverse("home")))
    assert laptop.get(reverse("accounts:sessions")).status_code == 200


def test_signing_out_removes_the_session_from_the_list(laptop, phone):
    phone.post(reverse("logout"))
    page = laptop.get(reverse("accounts:sessions")).content.decode()
    assert "Safari on iPhone" not in page
    assert SignedInSession.objects.count() == 1


def test_nobody_sees_or_ends_another_persons_session(laptop):
    other = signed_in(UserFactory(), user_agent=SAFARI_IPHONE, address="198.51.100.8")
    theirs = SignedInSession.objects.get(device="Safari on iPhone")
    assert laptop.post(reverse("accounts:session_end", args=[theirs.pk])).status_code == 404
    assert "Safari on iPhone" not in laptop.get(reverse("accounts:sessions")).content.decode()
    assert other.get(reverse("accounts:sessions")).status_code == 200


def test_a_session_that_timed_out_is_not_listed(person, laptop):
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31), tick=False):
        phone = signed_in(person, user_agent=SAFARI_IPHONE, address="198.51.100.7")
        page = phone.get(reverse("accounts:sessions")).content.decode()
    assert "Safari on iPhone" in page
    assert "Firefox on Windows" not in page


def test_deactivating_an_account_signs_every_browser_out_at_once(person, laptop, phone):
    person.is_active = False
    person.save()
    assert not SignedInSession.objects.exists()
    assert not Session.objects.exists()
    assert is_signed_out(laptop.get(reverse("home")))
    assert is_signed_out(phone.get(reverse("home")))


def test_the_header_links_to_your_sessions(laptop):
    page = laptop.get(reverse("home"), follow=True).content.decode()
    assert re.search(r'<a href="/accounts/sessions/"[^>]*>Your sessions</a>', page)


def test_the_sign_in_method_is_shown(person, laptop):
    session = SignedInSession.objects.get().session
    data = session.get_decoded() | {"msp_auth_method": "sso"}
    Session.objects.save(session.session_key, data, session.expire_date)
    assert "Single sign-on" in laptop.get(reverse("accounts:sessions")).content.decode()


@pytest.mark.parametrize(
    ("user_agent", "summary"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            "Chrome on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("", "Unknown browser"),
    ],
)
def test_the_browser_is_named_from_its_user_agent(user_agent, summary):
    assert device_summary(user_agent) == summary
