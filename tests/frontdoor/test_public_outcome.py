"""A professional referrer is told what became of their referral: once the concern recorded from it is
decided, an email with a link (and nothing about the case), and a page behind the link with the reference
and the decision in plain words, once the one-time code emailed to the referrer's work address has been typed.
Once only; never to a member of the public; the link expires; the link alone shows nothing."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral, ReferralEvent
from msp_cases.frontdoor.services.public import referral_submit
from msp_cases.frontdoor.tasks import notify_outcomes
from tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db

OUTCOME = reverse("frontdoor_public:outcome")
OUTCOME_CODE = reverse("frontdoor_public:outcome_code")
ANSWERS = {
    "adult_name": "Joan Smith",
    "what_happened": "Bruising on both arms.",
    "adult_knows": "yes",
    "safe_to_contact": "yes",
    "referrer_name": "Dr Priya Shah",
    "referrer_email": "p.shah@nhs.example",
    "referrer_organisation": "Elm Road Surgery",
    "referrer_role": "GP",
    "referrer_phone": "01632 960000",
}


def _referral(decision: str, referrer_type: str = "professional") -> Referral:
    referral = referral_submit(actor=Actor(user=None), answers={**ANSWERS, "referrer_type": referrer_type})
    concern = ConcernFactory(person__given_name="Joan", person__family_name="Smith", decision=decision)
    Referral.objects.filter(pk=referral.pk).update(concern=concern)
    return referral


def _link(email) -> str:
    return re.search(r"http://[^\s/]+(/report-a-concern/outcome/\?t=\S+)", email.body).group(1)


def _code(email) -> str:
    return re.search(r"\b(\d{6})\b", email.body).group(1)


def _unlock(browser: Client) -> str:
    """Ask for a code on the outcome page (the browser has opened the link), type it; the page's text."""
    assert browser.post(OUTCOME)["Location"] == OUTCOME_CODE
    email = mail.outbox[-1]
    assert email.to == ["p.shah@nhs.example"] and "see what we decided" in email.body
    response = browser.post(OUTCOME_CODE, {"code": _code(email)})
    assert response["Location"] == OUTCOME
    return browser.get(OUTCOME).content.decode()


@pytest.mark.parametrize(
    ("decision", "shown"),
    [
        ("section_42", "We are making a safeguarding enquiry (a section 42 enquiry"),
        ("other_enquiry", "a safeguarding enquiry that is not a section 42 enquiry"),
        ("no_further_action", "no further safeguarding action is needed"),
    ],
)
def test_the_referrer_is_emailed_a_link_to_the_decision_once(decision, shown):
    referral = _referral(decision)
    mail.outbox.clear()
    assert notify_outcomes() == 1
    (email,) = mail.outbox
    assert email.to == ["p.shah@nhs.example"] and referral.reference in email.subject
    assert "we will email you a security code when you open it" in email.body
    for words in ("section 42", "Joan", "Bruising", "no further", "enquiry"):
        assert words not in email.body.lower().replace(referral.reference.lower(), "")
    referral.refresh_from_db()
    assert referral.outcome == decision and referral.outcome_notified_at is not None
    # Once: the next run finds nothing to send.
    assert notify_outcomes() == 0 and len(mail.outbox) == 1

    browser = Client()
    response = browser.get(_link(email))
    assert response["Location"] == OUTCOME  # the token leaves the address bar
    # The link alone: a button to email a code, and nothing of the referral, not even its reference.
    first = browser.get(OUTCOME).content.decode()
    assert "Email me a security code" in first
    assert shown not in first and referral.reference not in first and "Joan" not in first
    assert not ReferralEvent.objects.filter(referral=referral, action="outcome_viewed").exists()
    page = _unlock(browser)
    assert shown in page and referral.reference in page
    assert "Joan" not in page and "Bruising" not in page
    assert ReferralEvent.objects.filter(referral=referral, action="outcome_viewed").count() == 1
    assert ReferralEvent.objects.filter(referral=referral, action="outcome_code_sent").count() == 1


def test_no_email_before_a_decision_nor_to_the_public():
    _referral("pending")
    _referral("section_42", referrer_type="public")
    mail.outbox.clear()
    assert notify_outcomes() == 0 and mail.outbox == []


def test_the_outcome_link_expires_and_cannot_be_made_up():
    _referral("section_42")
    mail.outbox.clear()
    notify_outcomes()
    link = _link(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        late = Client()
        late.get(link)
        assert late.get(OUTCOME).status_code == 404
    forged = Client()
    forged.get(link[:-3] + "abc")
    assert forged.get(OUTCOME).status_code == 404
    assert Client().get(OUTCOME).status_code == 404


def test_the_code_is_used_once_and_opens_only_its_own_referral():
    first, second = _referral("section_42"), _referral("no_further_action")
    mail.outbox.clear()
    notify_outcomes()
    links = {email.subject: _link(email) for email in mail.outbox}
    (link_first,) = [link for subject, link in links.items() if first.reference in subject]
    (link_second,) = [link for subject, link in links.items() if second.reference in subject]

    browser = Client()
    browser.get(link_first)
    browser.post(OUTCOME)
    code = _code(mail.outbox[-1])
    assert browser.post(OUTCOME_CODE, {"code": code}).status_code == 302
    assert "section 42" in browser.get(OUTCOME).content.decode()
    # The same code again, in another browser with the same link: used up.
    other = Client()
    other.get(link_first)
    refused = other.post(OUTCOME_CODE, {"code": code}).content.decode()
    assert "The security code has expired" in refused and "section 42" not in refused
    # The first browser, now opening the other referral's link, must type that referral's code.
    browser.get(link_second)
    page = browser.get(OUTCOME).content.decode()
    assert "Email me a security code" in page and second.reference not in page
    assert "no further safeguarding action" not in page
    # A link naming another referral's reference without its signature opens nothing.
    forged = Client()
    forged.get(f"{OUTCOME}?t={second.reference}")
    assert forged.get(OUTCOME).status_code == 404
    assert forged.post(OUTCOME).status_code == 404 and forged.get(OUTCOME_CODE).status_code == 404


def test_wrong_codes_are_counted_and_the_code_expires():
    referral = _referral("other_enquiry")
    mail.outbox.clear()
    notify_outcomes()
    browser = Client()
    browser.get(_link(mail.outbox[0]))
    # No code asked for yet: nothing to match.
    assert "The security code has expired" in browser.post(OUTCOME_CODE, {"code": "123456"}).content.decode()
    browser.post(OUTCOME)
    code = _code(mail.outbox[-1])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = browser.post(OUTCOME_CODE, {"code": wrong}).content.decode()
    assert "The security code is not right" in response and "govuk-error-summary" in response
    for _ in range(4):
        browser.post(OUTCOME_CODE, {"code": wrong})
    assert "too many times" in browser.post(OUTCOME_CODE, {"code": code}).content.decode()
    assert referral.outcome_code.code_attempts == 5
    # A new code starts again, and stops working after FRONT_DOOR_CODE_MINUTES.
    browser.post(OUTCOME)
    code = _code(mail.outbox[-1])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert "has expired" in browser.post(OUTCOME_CODE, {"code": code}).content.decode()
    assert "Email me a security code" in browser.get(OUTCOME).content.decode()


@override_settings(FRONT_DOOR_RATE_EMAIL="2/h")
def test_codes_for_an_outcome_are_limited_per_email_whatever_the_address():
    _referral("section_42")
    mail.outbox.clear()
    notify_outcomes()
    link = _link(mail.outbox[0])
    statuses = []
    for address in ("192.0.2.8", "192.0.2.9", "192.0.2.10"):
        browser = Client(REMOTE_ADDR=address)
        browser.get(link)
        statuses.append(browser.post(OUTCOME).status_code)
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 3  # the outcome email and two codes
