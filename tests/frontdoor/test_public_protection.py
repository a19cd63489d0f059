"""What keeps the public form safe to leave open to anyone: a professional's save-and-return by an emailed
link and a one-time code, rate limits per address and per email, a honeypot, a cap on referrals waiting (with
one alert an hour to the front door), and drafts deleted after 30 days."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from msp_cases.accounts import roles
from msp_cases.frontdoor.models import CapacityAlert, Referral, ReferralDraft
from msp_cases.frontdoor.services.public import capacity_alert_raise
from msp_cases.frontdoor.tasks import delete_expired_drafts
from msp_cases.notifications.models import Notification
from tests.factories import UserFactory

from .test_public_journey import CHECK, PUBLIC_ANSWERS, START, answer_all, q

pytestmark = pytest.mark.django_db

RETURN = reverse("frontdoor_public:return")
CODE = reverse("frontdoor_public:return_code")

WORK_DETAILS = {
    "referrer_name": "Dr Priya Shah",
    "referrer_organisation": "Elm Road Surgery",
    "referrer_role": "GP",
    "referrer_email": "p.shah@nhs.example",
    "referrer_phone": "01632 960000",
    "police_crime_number": "",
}


def _link_in(email) -> str:
    return re.search(r"http://[^\s/]+(/report-a-concern/return/\?t=[^\s]+)", email.body).group(1)


def _code_in(email) -> str:
    return re.search(r"\b(\d{6})\b", email.body).group(1)


def test_a_professional_saves_comes_back_with_a_code_and_sends():
    gp = Client()
    gp.post(START)
    gp.post(q("danger"), {"immediate_danger": "no"})
    gp.post(q("reporter"), {"referrer_type": "professional"})
    page = gp.get(q("adult")).content.decode()
    assert "Save and come back later" in page
    # Save from a question page: what is on the page is kept too.
    response = gp.post(q("adult"), {"adult_name": "Joan Smith", "adult_description": "", "save": "1"})
    assert response["Location"] == reverse("frontdoor_public:save")
    response = gp.post(response["Location"], {"email": "p.shah@nhs.example"})
    assert response["Location"] == reverse("frontdoor_public:saved")
    (link_email,) = mail.outbox
    assert link_email.to == ["p.shah@nhs.example"]
    assert "Joan" not in link_email.body and "Joan" not in link_email.subject
    link = _link_in(link_email)
    draft = ReferralDraft.objects.get()
    assert draft.answers["adult"]["adult_name"] == "Joan Smith"
    assert link.split("=")[1] not in draft.token_hash  # only a hash of the link's token is kept

    # Another day, another browser: the link alone opens nothing.
    later = Client()
    response = later.get(link)
    # The token leaves the address bar (and so history and logs) at once.
    assert response["Location"] == RETURN
    page = later.get(RETURN)
    assert page.status_code == 200 and "Joan" not in page.content.decode()
    response = later.post(RETURN)
    assert response["Location"] == CODE
    code = _code_in(mail.outbox[1])
    assert "Joan" not in mail.outbox[1].body
    wrong = later.post(CODE, {"code": "000000" if code != "000000" else "111111"})
    assert "The security code is not right" in wrong.content.decode()
    response = later.post(CODE, {"code": code})
    assert response["Location"] == q("address")  # the first question not yet answered
    # The code was used once: it cannot open the draft again, even with the link.
    again = Client()
    again.get(link)
    assert "has expired" in again.post(CODE, {"code": code}).content.decode()
    # A browser that never opened the link has nothing to enter a code for.
    assert Client().post(CODE, {"code": code}).status_code == 404

    for slug, data in PUBLIC_ANSWERS[3:-1]:
        later.post(q(slug), data)
    assert later.post(q("your-work-details"), WORK_DETAILS)["Location"] == CHECK
    assert "Joan Smith" in later.get(CHECK).content.decode()
    later.post(CHECK, {"website": ""})
    referral = Referral.objects.get()
    assert referral.referrer_type == "professional" and referral.referrer_organisation == "Elm Road Surgery"
    assert referral.adult_name == "Joan Smith"
    assert not ReferralDraft.objects.exists()  # sent, so the draft is gone
    assert later.get(RETURN).status_code == 404


def test_a_code_expires_and_wrong_codes_are_limited():
    client = Client()
    client.post(START)
    client.post(q("danger"), {"immediate_danger": "no"})
    client.post(q("reporter"), {"referrer_type": "professional"})
    client.post(reverse("frontdoor_public:save"), {"email": "p.shah@nhs.example"})
    client.get(_link_in(mail.outbox[0]))
    client.post(RETURN)
    code = _code_in(mail.outbox[1])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert "The security code has expired" in client.post(CODE, {"code": code}).content.decode()
    client.post(RETURN)
    code = _code_in(mail.outbox[2])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(CODE, {"code": wrong})
    # Five wrong tries: even the right code is refused until a new one is sent.
    response = client.post(CODE, {"code": code})
    assert "too many times" in response.content.decode()
    assert ReferralDraft.objects.get().code_attempts == 5


def test_only_a_professional_can_save():
    client = Client()
    client.post(START)
    client.post(q("reporter"), {"referrer_type": "public"})
    assert "Save and come back later" not in client.get(q("adult")).content.decode()
    assert client.get(reverse("frontdoor_public:save")).status_code == 404


def test_a_return_link_that_is_guessed_or_expired_opens_nothing():
    guesser = Client()
    guesser.get(RETURN + "?t=not-a-real-token")
    assert guesser.get(RETURN).status_code == 404
    client = Client()
    client.post(START)
    client.post(q("reporter"), {"referrer_type": "professional"})
    client.post(reverse("frontdoor_public:save"), {"email": "p.shah@nhs.example"})
    link = _link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        late = Client()
        late.get(link)
        assert late.get(RETURN).status_code == 404


def test_drafts_are_deleted_30_days_after_they_were_last_saved():
    client = Client()
    client.post(START)
    client.post(q("reporter"), {"referrer_type": "professional"})
    client.post(reverse("frontdoor_public:save"), {"email": "p.shah@nhs.example"})
    assert ReferralDraft.objects.count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert delete_expired_drafts() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, minutes=1)):
        assert delete_expired_drafts() == 1
    assert not ReferralDraft.objects.exists()


def test_the_draft_deletion_runs_every_night():
    task = PeriodicTask.objects.get(task="frontdoor.delete_expired_drafts")
    assert (task.crontab.hour, task.crontab.minute) == ("2", "45")
    assert task.enabled


def test_the_honeypot_keeps_nothing_and_says_so():
    client = Client()
    answer_all(client)
    response = client.post(CHECK, {"website": "http://spam.example"})
    assert response.status_code == 400
    assert "Your report has not been sent" in response.content.decode()
    assert Referral.objects.count() == 0


@override_settings(FRONT_DOOR_RATE_SUBMIT="2/h")
def test_past_the_limit_for_an_address_the_page_says_so_and_nothing_is_written():
    for _ in range(2):
        client = Client()
        answer_all(client)
        assert client.post(CHECK, {"website": ""}).status_code == 302
    client = Client()
    answer_all(client)
    response = client.post(CHECK, {"website": ""})
    assert response.status_code == 429
    assert "Nothing you just sent has been saved" in response.content.decode()
    assert Referral.objects.count() == 2
    # Another address is not held up by this one.
    other = Client(REMOTE_ADDR="192.0.2.7")
    answer_all(other)
    assert other.post(CHECK, {"website": ""}).status_code == 302
    assert Referral.objects.count() == 3


@override_settings(FRONT_DOOR_RATE_PAGES="5/h")
def test_a_script_answering_pages_fast_is_stopped():
    client = Client()
    client.post(START)
    statuses = [client.post(q("danger"), {"immediate_danger": "no"}).status_code for _ in range(6)]
    assert statuses[:4] == [302] * 4 and statuses[-1] == 429


@override_settings(FRONT_DOOR_RATE_EMAIL="2/h")
def test_codes_to_one_email_are_limited_whatever_the_address():
    client = Client()
    client.post(START)
    client.post(q("reporter"), {"referrer_type": "professional"})
    client.post(reverse("frontdoor_public:save"), {"email": "p.shah@nhs.example"})
    link = _link_in(mail.outbox[0])
    statuses = []
    for address in ("192.0.2.8", "192.0.2.9"):
        browser = Client(REMOTE_ADDR=address)
        browser.get(link)
        statuses.append(browser.post(RETURN).status_code)
    assert statuses == [302, 429]
    assert len(mail.outbox) == 2


@override_settings(FRONT_DOOR_MAX_WAITING=2)
def test_past_the_cap_on_waiting_referrals_the_form_says_to_phone_and_the_front_door_is_told_once(
    django_capture_on_commit_callbacks,
):
    screener = UserFactory(role=roles.SAFEGUARDING_UNIT, email="door@example.org")
    screener.user_permissions.add(Permission.objects.get(codename="screen_referral"))
    UserFactory(role=roles.SAFEGUARDING_UNIT)  # not at the front door: not told
    late = Client()
    answer_all(late)  # this journey started before the cap was reached
    for _ in range(2):
        client = Client()
        answer_all(client)
        client.post(CHECK, {"website": ""})
    with django_capture_on_commit_callbacks(execute=True):
        response = late.post(CHECK, {"website": ""})
    assert response.status_code == 503
    assert "Please phone us" in response.content.decode()
    assert Referral.objects.count() == 2
    start = Client().get(START).content.decode()
    assert "We cannot take reports online right now" in start and "Start now" not in start
    alerts = Notification.objects.filter(kind=Notification.Kind.FRONT_DOOR_ALERT)
    assert [n.user for n in alerts] == [screener]
    assert CapacityAlert.objects.count() == 1
    # Within the hour, more turned-away reports do not alert again; the next hour may.
    assert capacity_alert_raise(waiting=3) is False
    assert capacity_alert_raise(waiting=3, now=timezone.now() + datetime.timedelta(hours=1)) is True
    assert Notification.objects.filter(kind=Notification.Kind.FRONT_DOOR_ALERT).count() == 2


@override_settings(FRONT_DOOR_RATE_SUBMIT="1/h", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_limit_is_per_client_and_a_forged_header_does_not_dodge_it():
    def send(forwarded: str) -> int:
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        answer_all(client)
        return client.post(CHECK, {"website": ""}).status_code

    assert send("198.51.100.1") == 302
    # The same client writing a different address at the left of the header: still the same client.
    assert send("203.0.113.99, 198.51.100.1") == 429
    # Another client behind the same proxy is not held up.
    assert send("198.51.100.2") == 302
    assert Referral.objects.count() == 2


def test_unsent_answers_are_deleted_with_their_session_overnight():
    client = Client()
    client.post(START)
    client.post(q("what-happened"), {"what_happened": "His son takes his pension."})
    assert Session.objects.count() == 1
    delete_expired_drafts()
    assert Session.objects.count() == 1  # still in use
    with time_machine.travel(
        timezone.now() + datetime.timedelta(minutes=settings.SESSION_TIMEOUT_MINUTES + 1)
    ):
        delete_expired_drafts()
    assert Session.objects.count() == 0
