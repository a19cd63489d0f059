"""A partner's system sends concerns to the front door (POST /api/v1/referrals/): checked by the online form's
own questions, kept waiting for screening as a typed referral is, once per Idempotency-Key however often or
however concurrently it is sent, and only the client that sent one reads what became of it."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from enquiries.models import SafeguardingConcern
from msp_cases.api.models import ApiReferral
from msp_cases.frontdoor.models import Referral, ReferralEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"

PROFESSIONAL = {
    "immediate_danger": "no",
    "referrer_type": "professional",
    "adult_name": "Margaret Hughes",
    "adult_date_of_birth": "1941-03-12",
    "what_happened": "Bruising on both arms; she says her son pushes her.",
    "adult_knows": "yes",
    "safe_to_contact": "yes",
    "referrer_name": "PC Jo Bell",
    "referrer_organisation": "Northshire Police",
    "referrer_role": "Police constable",
    "referrer_email": "jo.bell@police.example",
    "referrer_phone": "0300 000 0000",
}


def send(partner, body, key: str | None = "key-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return partner.http.post(URL, data, content_type="application/json", **headers)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


@pytest.fixture
def sender(partner):
    return partner(["referrals:write"], [])


def test_a_partners_referral_waits_for_screening_as_a_typed_one_does(world, sender, mailoutbox):
    response = send(sender, PROFESSIONAL)
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get()
    assert body == {
        "id": referral.pk,
        "reference": referral.reference,
        "state": "received",
        "submitted_at": body["submitted_at"],
        "concern": None,
        "outcome": None,
    }
    assert response["Location"] == f"/api/v1/referrals/{referral.pk}/"
    assert referral.state == Referral.State.WAITING
    assert (
        referral.adult_name == "Margaret Hughes" and referral.adult_date_of_birth.isoformat() == "1941-03-12"
    )
    assert referral.referrer_organisation == "Northshire Police" and not referral.immediate_danger
    # Which client sent it, recorded with it and in the referral's own record.
    assert referral.api_referral.client == sender.client
    event = referral.events.get()
    assert event.user == sender.client.user and event.action == ReferralEvent.Action.SUBMITTED
    assert event.detail.startswith("Partners' API (") and event.ip_address == "127.0.0.1"
    # The referrer is told the reference, as a typed referral's referrer is (after commit, by a task).
    assert [m.to for m in mailoutbox] in ([], [["jo.bell@police.example"]])


def test_the_same_key_and_body_again_is_the_same_referral_never_a_second(world, sender):
    first = send(sender, PROFESSIONAL)
    # The same JSON, spaced and ordered otherwise.
    again = send(sender, json.dumps(dict(reversed(list(PROFESSIONAL.items()))), indent=2))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == ApiReferral.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(world, sender):
    send(sender, PROFESSIONAL)
    body = problem(send(sender, {**PROFESSIONAL, "what_happened": "Something else"}), 422)
    assert "Idempotency-Key" in body["detail"]
    assert Referral.objects.count() == 1


def test_a_key_is_the_clients_own(world, partner):
    """Two partners may choose the same key: each gets its own referral."""
    first, second = partner(["referrals:write"], []), partner(["referrals:write"], [])
    assert send(first, PROFESSIONAL).status_code == send(second, PROFESSIONAL).status_code == 201
    assert Referral.objects.count() == 2


@pytest.mark.parametrize(
    ("key", "words"),
    [(None, "Send an Idempotency-Key"), ("", "Send an Idempotency-Key"), ("k" * 256, "255 characters")],
)
def test_a_referral_without_a_usable_key_is_refused_and_nothing_is_kept(world, sender, key, words):
    body = problem(send(sender, PROFESSIONAL, key=key), 400)
    assert words in body["errors"]["Idempotency-Key"][0]
    assert not Referral.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_racing_with_one_key_make_one_referral(world, partner):
    """The unique (client, key) decides, not a check-then-insert: both answer 201 with the same referral."""
    sender = partner(["referrals:write"], [])
    barrier, answers = threading.Barrier(2), []

    def post():
        try:
            barrier.wait()
            answers.append(send(sender, PROFESSIONAL, key="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Referral.objects.count() == ApiReferral.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_key_another_request_holds_uncommitted_waits_for_it_and_answers_with_its_referral(world, partner):
    """The moment a check-then-insert would get wrong: another request with the same key has inserted but
    not yet committed, so this one sees nothing and makes its own referral. The unique (client, key) makes
    it wait, then refuses its insert; its referral is rolled back and it answers with the other's."""
    from django.db import transaction

    from msp_cases.api.referrals import request_hash
    from msp_cases.core.actor import Actor
    from msp_cases.frontdoor.services.public import referral_submit

    sender = partner(["referrals:write"], [])
    inserted, release, held = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                referral = referral_submit(actor=Actor.of(sender.client.user), answers=dict(PROFESSIONAL))
                ApiReferral.objects.create(
                    client=sender.client,
                    idempotency_key="held",
                    request_hash=request_hash(PROFESSIONAL),
                    referral=referral,
                )
                held["id"] = referral.pk
                inserted.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=first)
    holder.start()
    assert inserted.wait(timeout=10)
    threading.Timer(3, release.set).start()  # commits while this request waits on the unique index
    response = send(sender, PROFESSIONAL, key="held")
    holder.join()
    assert response.status_code == 201, response.content
    assert response.json()["id"] == held["id"] and response["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == ApiReferral.objects.count() == 1
    # This request's own referral was made, then rolled back: the next one skips its number.
    later = send(sender, PROFESSIONAL, key="later").json()["id"]
    assert later == held["id"] + 2


def test_the_online_forms_own_rules_and_words(world, sender):
    """What the form would refuse is refused, every problem at once, in the form's words."""
    body = problem(
        send(
            sender,
            {
                "immediate_danger": "maybe",
                "referrer_type": "professional",
                "adult_date_of_birth": "2999-01-01",
                "adult_knows": "yes",
                "safe_to_contact": "yes",
                "referrer_email": "not an address",
            },
        ),
        400,
    )
    errors = body["errors"]
    assert set(errors) >= {
        "immediate_danger",
        "adult_name",
        "adult_date_of_birth",
        "what_happened",
        "referrer_email",
        "referrer_name",
        "referrer_organisation",
    }
    assert errors["what_happened"] == ["Enter what happened"]
    assert errors["adult_name"] == ["Enter the adult’s name, or tell us how we can find them"]
    assert errors["adult_date_of_birth"] == ["Their date of birth must be today or in the past"]
    assert errors["referrer_email"] == ["Enter an email address in the correct format, like name@example.com"]
    assert not Referral.objects.exists() and not ApiReferral.objects.exists()


def test_a_member_of_the_public_may_stay_anonymous_but_a_professionals_questions_are_not_theirs(
    world, sender
):
    public = {
        "immediate_danger": "yes",
        "referrer_type": "public",
        "adult_description": "The man who lives at number 12",
        "what_happened": "Shouting every night.",
        "adult_knows": "unknown",
        "safe_to_contact": "no",
    }
    body = problem(send(sender, {**public, "referrer_organisation": "Acme"}, key="a"), 400)
    assert list(body["errors"]) == ["referrer_organisation"]
    response = send(sender, public, key="b")
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert referral.referrer_anonymous and referral.immediate_danger


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PROFESSIONAL, "what_happened": "x" * 5001}, "what_happened"),
        ({**PROFESSIONAL, "adult_name": "x" * 100_000}, "adult_name"),
        ({**PROFESSIONAL, "what_happened": 42}, "what_happened"),
        ({**PROFESSIONAL, "what_happened": ["a", "b"]}, "what_happened"),
        ({**PROFESSIONAL, "adult_knows": {"yes": True}}, "adult_knows"),
        ({**PROFESSIONAL, "immediate_danger": True}, "immediate_danger"),
        ({**PROFESSIONAL, "adult_date_of_birth": "12/03/1941"}, "adult_date_of_birth"),
        ({**PROFESSIONAL, "adult_date_of_birth": "1941-02-30"}, "adult_date_of_birth"),
        ({**PROFESSIONAL, "what_happened": "\x00"}, "what_happened"),
        ({**PROFESSIONAL, "colour": "blue"}, "colour"),
        ({**PROFESSIONAL, "x" * 10_000: "y"}, "x" * 100),
    ],
)
def test_hostile_values_are_a_400_problem_never_a_500(world, sender, body, field):
    assert field in problem(send(sender, body), 400)["errors"]
    assert not Referral.objects.exists()


def test_a_body_past_the_upload_limit_is_a_413_problem(world, sender, settings):
    problem(
        send(sender, {**PROFESSIONAL, "what_happened": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}), 413
    )
    assert not Referral.objects.exists()


@pytest.mark.parametrize("raw", ["[1, 2]", '"a string"', "null", "42", "{not json", '{"a": NaN}', ""])
def test_json_that_is_not_an_object_is_a_400_problem(world, sender, raw):
    problem(send(sender, raw), 400)
    assert not Referral.objects.exists()


def test_control_characters_in_answers_are_dropped_as_the_form_drops_them(world, sender):
    response = send(sender, {**PROFESSIONAL, "what_happened": "Bruising\x07 on\x1b her arms"})
    assert response.status_code == 201, response.content
    assert Referral.objects.get().what_happened == "Bruising on her arms"


def test_when_the_front_door_is_full_the_partner_is_told_to_try_later(world, sender, settings):
    settings.FRONT_DOOR_MAX_WAITING = 0
    response = send(sender, PROFESSIONAL)
    body = problem(response, 503)
    assert int(response["Retry-After"]) > 0
    assert settings.FRONT_DOOR_PHONE in body["detail"]
    assert not Referral.objects.exists() and not ApiReferral.objects.exists()
    # The same key once there is room again: sent, as the first time would have been.
    settings.FRONT_DOOR_MAX_WAITING = 10
    assert send(sender, PROFESSIONAL).status_code == 201


def test_nothing_the_referrer_wrote_is_logged(world, sender, caplog, capsys):
    caplog.set_level("DEBUG")
    send(sender, {**PROFESSIONAL, "what_happened": "Distinctive-words-here"}, key="Distinctive-key")
    send(sender, {**PROFESSIONAL, "what_happened": "x" * 5001}, key="other")
    logged = caplog.text + capsys.readouterr().out
    assert "POST /api/v1/referrals/" in logged  # the requests are logged, not what they held
    assert "Distinctive" not in logged and "Margaret" not in logged


@pytest.mark.parametrize(
    ("scopes", "status"),
    [(["referrals:write"], 201), (["people:read", "cases:read", "cases:write", "reports:read"], 403)],
)
def test_sending_needs_referrals_write(world, partner, scopes, status):
    assert send(partner(scopes, []), PROFESSIONAL).status_code == status


def test_sending_needs_a_token(world):
    problem(Client().post(URL, PROFESSIONAL, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"), 401)
    assert not Referral.objects.exists()


# What became of it.


def _sent(sender) -> Referral:
    response = send(sender, PROFESSIONAL, key=str(uuid.uuid4()))
    return Referral.objects.get(pk=response.json()["id"])


def test_a_partner_reads_what_became_of_its_referral(world, sender):
    referral = _sent(sender)
    url = f"/api/v1/referrals/{referral.pk}/"
    assert sender.get(url).json()["state"] == "received"

    concern = world.cases["north"][1]  # decided: an enquiry was opened from it
    Referral.objects.filter(pk=referral.pk).update(state=Referral.State.PASSED_ON, concern=concern)
    SafeguardingConcern.objects.filter(pk=concern.pk).update(decision=SafeguardingConcern.Decision.PENDING)
    body = sender.get(url).json()
    assert (body["state"], body["concern"], body["outcome"]) == ("screened", concern.pk, None)

    SafeguardingConcern.objects.filter(pk=concern.pk).update(decision=SafeguardingConcern.Decision.SECTION_42)
    body = sender.get(url).json()
    assert (body["state"], body["concern"], body["outcome"]) == ("screened", concern.pk, "section_42")

    Referral.objects.filter(pk=referral.pk).update(state=Referral.State.NO_FURTHER_ACTION, concern=None)
    body = sender.get(url).json()
    assert (body["state"], body["concern"], body["outcome"]) == ("closed", None, "not_a_safeguarding_concern")
    # Each reading is in the referral's own record, by the client's account.
    reads = ReferralEvent.objects.filter(referral=referral, action=ReferralEvent.Action.VIEWED)
    assert reads.count() == 4 and {e.user for e in reads} == {sender.client.user}


def test_another_clients_referral_or_a_typed_one_is_404(world, partner):
    mine, theirs = partner(["referrals:write"], []), partner(["referrals:write"], [])
    referral = _sent(theirs)
    problem(mine.get(f"/api/v1/referrals/{referral.pk}/"), 404)
    ApiReferral.objects.all().delete()  # as a referral typed into the online form has none
    problem(theirs.get(f"/api/v1/referrals/{referral.pk}/"), 404)
    assert not ReferralEvent.objects.filter(action=ReferralEvent.Action.VIEWED).exists()


def test_reading_a_referral_needs_referrals_write(world, partner):
    sender = partner(["referrals:write", "cases:read"], [])
    referral = _sent(sender)
    reader = partner(["people:read", "cases:read"], ["North Locality"])
    problem(reader.get(f"/api/v1/referrals/{referral.pk}/"), 403)
