"""Only a person's own action extends their session.

The session ends SESSION_TIMEOUT_MINUTES (30) after the last request the person made. A page's script
asking for an export's status every few seconds is not the person acting: it must not keep the session
alive, or a case stays open on an unattended screen for as long as the tab polls."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from msp_cases.exports.models import Export

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
STEP = datetime.timedelta(minutes=5)


@pytest.fixture
def signed_in(world):
    """A practitioner signed in through the sign-in page, with an export still being prepared."""
    user = world.users["practitioner_north"]
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    now = timezone.now()
    export = Export.objects.create(
        kind="case_summary",
        enquiry=world.cases["north"][2],
        requested_by=user,
        title="Case summary",
        filename="case-summary.pdf",
        created_at=now,
        enqueued_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    return client, export


def is_signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_polling_an_exports_status_does_not_keep_the_session_alive(signed_in):
    client, export = signed_in
    status_url = reverse("exports:status", args=[export.pk])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        # The page polls for 40 minutes; nobody touches the keyboard.
        for _ in range(8):
            clock.shift(STEP)
            response = client.get(status_url)
            if response.status_code != 200:
                break
            assert response.json()["status"] == "queued"
        clock.shift(datetime.timedelta(seconds=1))
        assert is_signed_out(client.get(reverse("enquiries:caseload")))


def test_the_status_answers_until_the_session_ends_without_renewing_it(signed_in):
    client, export = signed_in
    status_url = reverse("exports:status", args=[export.pk])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        clock.shift(datetime.timedelta(minutes=29))
        response = client.get(status_url)
        assert response.status_code == 200
        assert settings.SESSION_COOKIE_NAME not in response.cookies  # the cookie is not reissued either
        clock.shift(datetime.timedelta(minutes=2))
        assert is_signed_out(client.get(status_url))


def test_an_ordinary_page_view_renews_the_session(signed_in):
    client, export = signed_in
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(8):
            clock.shift(STEP)
            assert client.get(reverse("exports:detail", args=[export.pk])).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("enquiries:caseload")).status_code == 200


def test_stay_signed_in_renews_the_session(signed_in):
    client, _ = signed_in
    with time_machine.travel(timezone.now(), tick=False) as clock:
        clock.shift(datetime.timedelta(minutes=28))
        assert client.post(reverse("keepalive")).status_code == 204
        clock.shift(datetime.timedelta(minutes=28))
        assert client.get(reverse("enquiries:caseload")).status_code == 200
        clock.shift(datetime.timedelta(minutes=settings.SESSION_TIMEOUT_MINUTES, seconds=1))
        assert is_signed_out(client.get(reverse("enquiries:caseload")))
