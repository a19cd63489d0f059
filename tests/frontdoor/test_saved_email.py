"""A professional who saved their report with their work email finds it already filled in on "Your details",
whether they carry on in the same browser or come back by the emailed link and code; what they type there
wins."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from .test_public_journey import PUBLIC_ANSWERS, START, q
from .test_public_protection import CODE, RETURN, _code_in, _link_in

pytestmark = pytest.mark.django_db

SAVE = reverse("frontdoor_public:save")
EMAIL = "p.shah@nhs.example"


def _email_box(client: Client) -> str:
    """The value in the work email box of "Your details", as the browser would show it."""
    html = client.get(q("your-work-details")).content.decode()
    tag = re.search(r"<input[^>]*\bname=\"referrer_email\"[^>]*>", html).group(0)
    value = re.search(r"\bvalue=\"([^\"]*)\"", tag)
    return value.group(1) if value else ""


def _start_as_a_professional_and_save(client: Client) -> None:
    client.post(START)
    client.post(q("danger"), {"immediate_danger": "no"})
    client.post(q("reporter"), {"referrer_type": "professional"})
    client.post(SAVE, {"email": EMAIL})


def _answer_the_rest(client: Client) -> None:
    for slug, data in PUBLIC_ANSWERS[2:-1]:
        assert client.post(q(slug), data).status_code == 302, slug


def test_the_saved_email_is_filled_in_when_they_carry_on():
    gp = Client()
    _start_as_a_professional_and_save(gp)
    _answer_the_rest(gp)
    assert _email_box(gp) == EMAIL


def test_the_saved_email_is_filled_in_when_they_come_back_by_the_link():
    _start_as_a_professional_and_save(Client())
    later = Client()
    later.get(_link_in(mail.outbox[0]))
    later.post(RETURN)
    assert later.post(CODE, {"code": _code_in(mail.outbox[1])}).status_code == 302
    _answer_the_rest(later)
    assert _email_box(later) == EMAIL


def test_what_they_type_on_your_details_wins_over_the_saved_email():
    gp = Client()
    _start_as_a_professional_and_save(gp)
    _answer_the_rest(gp)
    gp.post(
        q("your-work-details"),
        {
            "referrer_name": "Dr Priya Shah",
            "referrer_organisation": "Elm Road Surgery",
            "referrer_role": "GP",
            "referrer_email": "priya.shah@nhs.example",
            "referrer_phone": "01632 960000",
            "police_crime_number": "",
        },
    )
    assert _email_box(gp) == "priya.shah@nhs.example"


def test_nothing_is_filled_in_for_a_professional_who_did_not_save():
    gp = Client()
    gp.post(START)
    gp.post(q("danger"), {"immediate_danger": "no"})
    gp.post(q("reporter"), {"referrer_type": "professional"})
    _answer_the_rest(gp)
    assert _email_box(gp) == ""
