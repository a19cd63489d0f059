"""A professional referrer is told what became of their referral: once the concern recorded from it is
decided, an email with a link (and nothing about the case), and a page behind the link with the reference
and the decision in plain words. Once only; never to a member of the public; the link expires."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral, ReferralEvent
from msp_cases.frontdoor.services.public import referral_submit
from msp_cases.frontdoor.tasks import notify_outcomes
from tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db

OUTCOME = reverse("frontdoor_public:outcome")
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
    for words in ("section 42", "Joan", "Bruising", "no further", "enquiry"):
        assert words not in email.body.lower().replace(referral.reference.lower(), "")
    referral.refresh_from_db()
    assert referral.outcome == decision and referral.outcome_notified_at is not None
    # Once: the next run finds nothing to send.
    assert notify_outcomes() == 0 and len(mail.outbox) == 1

    browser = Client()
    response = browser.get(_link(email))
    assert response["Location"] == OUTCOME  # the token leaves the address bar
    page = browser.get(OUTCOME).content.decode()
    assert shown in page and referral.reference in page
    assert "Joan" not in page and "Bruising" not in page
    assert ReferralEvent.objects.filter(referral=referral, action="outcome_viewed").count() == 1


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
