"""An enquiry's conversation log through the API: read as the pages' access rule allows (the client's teams,
404 for the rest), a page at a time in a fixed number of queries; a conversation appended by the page's own
service with the page's own rules, its refusals as problem details field by field; never changed or deleted;
every read and every write recorded."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry
from enquiries.services.conversations import conversation_record
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from tests.api.test_reads import VISIBLE

pytestmark = pytest.mark.django_db

WORDS = "I want to stay in my flat and see my granddaughter on Sundays"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def _record(enquiry, user, **fields) -> ConversationLog:
    values = {
        "occurred_at": timezone.now(),
        "with_person": True,
        "method": "phone",
        "what_matters": WORDS,
        **fields,
    }
    return conversation_record(actor=Actor.of(user), enquiry=enquiry, fields=values)


def _new(**fields) -> dict:
    return {
        "occurred_at": timezone.now().isoformat(),
        "with_person": True,
        "method": "face_to_face",
        "what_matters": WORDS,
        **fields,
    }


def _post(partner, enquiry, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return partner.http.post(
        f"/api/v1/enquiries/{enquiry.pk}/conversations/",
        data,
        content_type=extra.pop("content_type", "application/json"),
        **extra,
    )


@pytest.mark.parametrize("team", sorted(VISIBLE))
@pytest.mark.parametrize("case", ["north", "south", "south_allocated_to_north", "restricted_north"])
def test_a_client_reads_the_conversations_its_teams_may_read(world, partner, team, case):
    _, _, enquiry = world.cases[case]
    _record(enquiry, enquiry.lead_practitioner)
    client = partner(["cases:read"], [team] if team else [])
    response = client.get(f"/api/v1/enquiries/{enquiry.pk}/conversations/")
    if case in VISIBLE[team]:
        assert response.status_code == 200
        assert [entry["what_matters"] for entry in response.json()["results"]] == [WORDS]
    else:
        _problem(response, 404)
        assert WORDS not in response.content.decode()


def test_a_client_named_on_a_restricted_record_reads_its_conversations(world, partner):
    person, _, enquiry = world.cases["restricted_north"]
    _record(enquiry, world.users["manager_north"])
    client = partner(["cases:read"], ["North Locality"])
    assert client.get(f"/api/v1/enquiries/{enquiry.pk}/conversations/").status_code == 404
    person.restricted_to.add(client.client.user)
    assert client.get(f"/api/v1/enquiries/{enquiry.pk}/conversations/").status_code == 200


def test_the_log_holds_the_concerns_entries_and_amendments_in_the_order_recorded(world, partner):
    """As the enquiry's timeline: the concern's conversations before the enquiry opened, and each correction
    as an entry of its own naming the original."""
    from enquiries.services.conversations import conversation_amend

    _, concern, enquiry = world.cases["north"]
    practitioner = world.users["practitioner_north"]
    Enquiry.objects.filter(pk=enquiry.pk).update(concern=concern)
    on_concern = conversation_record(
        actor=Actor.of(practitioner),
        concern=concern,
        fields={"occurred_at": timezone.now(), "with_family": True, "method": "phone"},
    )
    original = _record(enquiry, practitioner)
    amendment = conversation_amend(
        actor=Actor.of(practitioner),
        original=original,
        fields={
            **{f: getattr(original, f) for f in ("occurred_at", "with_person", "method")},
            "what_matters": "X",
        },
        reason="Misheard the day",
        based_on_pk=original.pk,
    )
    body = partner(["cases:read"]).get(f"/api/v1/enquiries/{enquiry.pk}/conversations/").json()
    assert [(e["id"], e["amends"]) for e in body["results"]] == [
        (on_concern.pk, None),
        (original.pk, None),
        (amendment.pk, original.pk),
    ]
    assert body["results"][2]["amendment_reason"] == "Misheard the day"
    assert body["results"][1]["recorded_by"] == practitioner.full_name


def test_the_log_pages_by_cursor_in_a_fixed_number_of_queries(world, partner):
    _, _, enquiry = world.cases["north"]
    start = timezone.now() - datetime.timedelta(minutes=200)
    for n in range(60):
        ConversationLog.objects.create(
            person=enquiry.person,
            enquiry=enquiry,
            occurred_at=start + datetime.timedelta(minutes=n),
            recorded_by=world.users["practitioner_north" if n % 2 else "manager_north"],
            method="phone",
            with_person=True,
            what_matters=f"Entry {n}",
        )
    client = partner(["cases:read"])
    seen, counts = [], []
    url = f"/api/v1/enquiries/{enquiry.pk}/conversations/"
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.http.get(url)
        counts.append(len(queries))
        body = response.json()
        seen += [entry["what_matters"] for entry in body["results"]]
        url = body["next"]
    assert seen == [f"Entry {n}" for n in range(60)]
    assert len(counts) == 2 and counts[0] == counts[1], counts  # 50 entries cost what 10 do
    assert counts[0] <= 14


def test_a_made_up_cursor_is_a_404_problem(world, partner):
    _, _, enquiry = world.cases["north"]
    _problem(partner(["cases:read"]).get(f"/api/v1/enquiries/{enquiry.pk}/conversations/", cursor="x"), 404)


def test_a_conversation_is_recorded_by_the_pages_service_and_shows_on_the_enquiry_page(
    world, partner, client_for
):
    _, _, enquiry = world.cases["north"]
    client = partner(["cases:read", "cases:write"])
    next_contact = timezone.localdate() + datetime.timedelta(days=7)
    response = _post(
        client, enquiry, _new(next_contact_on=next_contact.isoformat(), next_contact_how="Visit")
    )
    assert response.status_code == 201, response.content
    created = response.json()
    log = ConversationLog.objects.get(pk=created["id"])
    assert log.enquiry == enquiry and log.recorded_by == client.client.user
    assert created["recorded_by"] == client.client.user.full_name
    # The entry's own address, readable with the same token.
    assert client.http.get(response["Location"]).json()["what_matters"] == WORDS
    # The page's service did what it does for the page: the next contact agreed is the enquiry's.
    enquiry.refresh_from_db()
    assert enquiry.next_contact_on == next_contact
    page = client_for(world.users["practitioner_north"]).get(enquiry.get_absolute_url())
    assert WORDS in page.content.decode()


def test_a_write_is_recorded_as_a_creation_and_a_read_as_a_view(world, partner):
    _, _, enquiry = world.cases["north"]
    client = partner(["cases:read", "cases:write"])
    log_id = _post(client, enquiry, _new()).json()["id"]
    client.get(f"/api/v1/enquiries/{enquiry.pk}/conversations/")
    client.get(f"/api/v1/conversations/{log_id}/")
    events = AccessEvent.objects.filter(user=client.client.user).order_by("pk")
    assert [(e.action, e.object_id, e.person_id, e.detail) for e in events] == [
        (AccessEvent.Action.CREATE, log_id, enquiry.person_id, "Conversation recorded"),
        (AccessEvent.Action.VIEW, enquiry.pk, enquiry.person_id, "Conversations read through the API"),
        (AccessEvent.Action.VIEW, log_id, enquiry.person_id, "Conversation read through the API"),
    ]


def test_the_pages_rules_refuse_a_conversation_field_by_field_with_the_pages_words(world, partner):
    _, _, enquiry = world.cases["north"]
    client = partner(["cases:read", "cases:write"])
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    body = _problem(
        _post(
            client,
            enquiry,
            _new(
                occurred_at=tomorrow.isoformat(),
                with_person=False,
                decision_made_by="against_wishes",
                decisions="Move to a care home",
            ),
        ),
        400,
    )
    errors = body["errors"]
    assert errors["occurred_at"] == ["The date of the conversation must be today or in the past"]
    assert errors["with_person"] == ["Select who the conversation was with"]
    assert errors["against_wishes_reason"] == ["Enter why the decision went against the person's wishes"]
    assert not ConversationLog.objects.filter(enquiry=enquiry).exists()


def test_what_matters_is_needed_when_the_person_was_there(world, partner):
    _, _, enquiry = world.cases["north"]
    body = _problem(_post(partner(["cases:write"]), enquiry, _new(what_matters="  ")), 400)
    assert body["errors"] == {"what_matters": ["Write down what matters to the person, in their words"]}


@pytest.mark.parametrize(
    ("scopes", "case", "status"),
    [
        (["cases:read"], "north", 403),  # reading is not writing
        (["cases:write"], "south", 404),  # another team's
        (["cases:write"], "restricted_north", 404),  # not named on the record
        (["cases:write"], "north", 201),
    ],
)
def test_only_a_client_with_cases_write_appends_and_only_to_what_it_may_see(
    world, partner, scopes, case, status
):
    _, _, enquiry = world.cases[case]
    response = _post(partner(scopes), enquiry, _new())
    if status == 201:
        assert response.status_code == 201
    else:
        _problem(response, status)
        assert not ConversationLog.objects.filter(enquiry=enquiry).exists()


def test_a_closed_enquiry_takes_no_conversation(world, partner):
    _, _, enquiry = world.cases["north"]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.CLOSED, closed_at=timezone.now())
    body = _problem(_post(partner(["cases:write"]), enquiry, _new()), 409)
    assert "closed" in body["detail"]
    assert not ConversationLog.objects.filter(enquiry=enquiry).exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("where", ["log", "entry"])
def test_the_log_is_append_only(world, partner, method, where):
    _, _, enquiry = world.cases["north"]
    log = _record(enquiry, world.users["practitioner_north"])
    client = partner(["cases:read", "cases:write"])
    url = (
        f"/api/v1/enquiries/{enquiry.pk}/conversations/"
        if where == "log"
        else f"/api/v1/conversations/{log.pk}/"
    )
    response = getattr(client.http, method)(
        url, json.dumps(_new(what_matters="Rewritten")), "application/json"
    )
    _problem(response, 405)
    assert "DELETE" not in response["Allow"] and "PUT" not in response["Allow"]
    log.refresh_from_db()
    assert log.what_matters == WORDS
    assert ConversationLog.objects.filter(enquiry=enquiry).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        _new(what_matters="x" * 10_001),
        _new(what_matters="a\x00b"),
        _new(location="y" * 201),
        _new(with_person="maybe"),
        _new(occurred_at="yesterday"),
        _new(occurred_at="2026-02-30T10:00:00Z"),
        _new(method="carrier pigeon"),
        _new(next_contact_on="31/12/2026"),
        _new(recorded_by=1, enquiry=2),
        {},
        [],
        "[1, 2",
        "null",
        '"a string"',
    ],
    ids=lambda body: str(body)[:30],
)
def test_hostile_input_is_a_400_problem_never_a_500(world, partner, body):
    _, _, enquiry = world.cases["north"]
    response = _post(partner(["cases:write"]), enquiry, body)
    _problem(response, 400)
    assert not ConversationLog.objects.filter(enquiry=enquiry).exists()


def test_a_body_that_is_not_json_is_refused(world, partner):
    _, _, enquiry = world.cases["north"]
    response = _post(partner(["cases:write"]), enquiry, "what_matters=x", content_type="text/plain")
    _problem(response, 415)


def test_a_retry_with_the_same_idempotency_key_records_the_conversation_once(world, partner):
    _, _, enquiry = world.cases["north"]
    client = partner(["cases:read", "cases:write"])
    body = _new()
    first = _post(client, enquiry, body, HTTP_IDEMPOTENCY_KEY="visit-2026-12-06-a")
    assert first.status_code == 201, first.content
    # The answer was lost on the way back: the partner sends the same request again with the same key.
    again = _post(client, enquiry, body, HTTP_IDEMPOTENCY_KEY="visit-2026-12-06-a")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert ConversationLog.objects.filter(enquiry=enquiry, what_matters=WORDS).count() == 1

    # The same key for something else is refused; a new key records a new conversation.
    other = _problem(
        _post(client, enquiry, _new(what_matters="Other words"), HTTP_IDEMPOTENCY_KEY="visit-2026-12-06-a"),
        422,
    )
    assert "different conversation" in other["detail"]
    assert _post(client, enquiry, body, HTTP_IDEMPOTENCY_KEY="visit-2026-12-06-b").status_code == 201
    assert ConversationLog.objects.filter(enquiry=enquiry, what_matters=WORDS).count() == 2


def test_an_idempotency_key_that_is_not_printable_is_refused(world, partner):
    _, _, enquiry = world.cases["north"]
    body = _problem(_post(partner(["cases:write"]), enquiry, _new(), HTTP_IDEMPOTENCY_KEY="a key"), 400)
    assert "Idempotency-Key" in body["errors"]
    assert not ConversationLog.objects.filter(enquiry=enquiry, what_matters=WORDS).exists()
