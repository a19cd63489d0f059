"""Drafts of long forms (msp_cases.drafts): what someone types is kept on the server for them alone, offered
back when they return to the form, deleted when they save or discard it or after DRAFT_KEEP_DAYS."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry, SafeguardingConcern
from msp_cases.audit.models import AccessEvent
from msp_cases.drafts.models import Draft
from msp_cases.drafts.tasks import delete_expired
from tests.enquiries.factories_concerns import concern_form_data, pending_concern
from tests.enquiries.factories_conversations import ConversationLogFactory, conversation_post

pytestmark = pytest.mark.django_db

WORDS = "She wants to stay in her own home and see her grandchildren every week"


@pytest.fixture
def cases(world):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    SafeguardingConcern.objects.update(received_at=ten_days_ago)
    Enquiry.objects.update(opened_at=ten_days_ago + datetime.timedelta(hours=1))
    return world


def _add_url(world, case="north"):
    return reverse("enquiries:conversation_add_enquiry", args=[world.cases[case][2].pk])


def _token(page: str) -> str:
    match = re.search(r'data-draft-key="([^"]+)"', page)
    assert match, "the form is not marked for drafts"
    return match.group(1)


def _fields(data: dict) -> list[list[str]]:
    listed = {name: value if isinstance(value, list) else [value] for name, value in data.items()}
    return [[name, value] for name, values in listed.items() for value in values]


def _save(client, token, data, **extra):
    body = json.dumps({"key": token, "fields": _fields(data)})
    return client.post(reverse("drafts:save"), body, content_type="application/json", **extra)


def _typed(**overrides):
    data = conversation_post(what_matters=WORDS, **overrides)
    data["csrfmiddlewaretoken"] = "not-kept"
    return data


def test_a_draft_is_offered_restored_and_deleted_when_the_conversation_is_saved(cases, client_for):
    client = client_for(cases.users["practitioner_north"])
    url = _add_url(cases)
    token = _token(client.get(url).content.decode())
    events = AccessEvent.objects.count()
    assert _save(client, token, _typed()).status_code == 204
    # Saving a draft is neither an access to the record nor part of it.
    assert AccessEvent.objects.count() == events
    draft = Draft.objects.get()
    assert "csrfmiddlewaretoken" not in draft.data and draft.data["what_matters"] == [WORDS]

    page = client.get(url).content.decode()
    assert "You have an unsaved draft from" in page
    assert timezone.localtime(draft.saved_at).strftime("%H:%M") in page
    assert WORDS not in page  # offered, not yet shown
    assert "data-draft-key" not in page  # the empty form does not overwrite the draft while it is offered

    page = client.get(url + "?draft=continue").content.decode()
    assert WORDS in page and "You have an unsaved draft" not in page
    assert "govuk-error-summary" not in page  # nothing was sent, so nothing is refused yet

    response = client.post(url, conversation_post(what_matters=WORDS), follow=True)
    assert b"Conversation recorded" in response.content
    assert ConversationLog.objects.get().what_matters == WORDS
    assert not Draft.objects.exists()
    assert "You have an unsaved draft" not in client.get(url).content.decode()


def test_discarding_a_draft_deletes_it(cases, client_for):
    client = client_for(cases.users["practitioner_north"])
    url = _add_url(cases)
    token = _token(client.get(url).content.decode())
    _save(client, token, _typed())
    response = client.post(reverse("drafts:discard"), {"key": token, "next": url}, follow=True)
    assert b"Draft discarded" in response.content
    assert not Draft.objects.exists()
    assert b"You have an unsaved draft" not in response.content


def test_a_draft_is_private_to_its_author(cases, client_for):
    author = client_for(cases.users["practitioner_north"])
    url = _add_url(cases)
    token = _token(author.get(url).content.decode())
    _save(author, token, _typed())
    # The author's team manager may edit the case too, but sees no draft and cannot touch the author's.
    manager = client_for(cases.users["manager_north"])
    page = manager.get(url).content.decode()
    assert "unsaved draft" not in page and WORDS not in manager.get(url + "?draft=continue").content.decode()
    assert _save(manager, token, {"what_matters": "overwritten"}).status_code == 400
    discard = manager.post(reverse("drafts:discard"), {"key": token, "next": url})
    assert discard.status_code == 400
    unit = client_for(cases.users["unit"])
    assert WORDS not in unit.get(url + "?draft=continue").content.decode()
    assert Draft.objects.get().data["what_matters"] == [WORDS]


@pytest.mark.parametrize(
    "token",
    [
        "conversation-add:enquiry:1",  # a key the server never signed
        "WyIxIiwiY29udmVyc2F0aW9uLWFkZDplbnF1aXJ5OjEiXQ:1tZ:forged",
        "",
    ],
)
def test_a_forged_key_is_refused(cases, client_for, token):
    client = client_for(cases.users["practitioner_north"])
    assert _save(client, token, _typed()).status_code == 400
    assert not Draft.objects.exists()


def test_a_key_for_a_case_the_user_may_not_edit_is_never_issued(cases, client_for):
    client = client_for(cases.users["practitioner_north"])
    # South's case is not theirs: the form page is a 404, so no token for its key is ever given.
    assert client.get(_add_url(cases, "south")).status_code == 404


def test_a_draft_too_large_or_malformed_is_refused(cases, client_for):
    client = client_for(cases.users["practitioner_north"])
    token = _token(client.get(_add_url(cases)).content.decode())
    assert _save(client, token, {"what_matters": "x" * 250_000}).status_code == 413
    bad = client.post(reverse("drafts:save"), "not json", content_type="application/json")
    assert bad.status_code == 400
    assert not Draft.objects.exists()


def test_saving_a_draft_does_not_extend_the_session(cases, client_for):
    client = client_for(cases.users["practitioner_north"])
    token = _token(client.get(_add_url(cases)).content.decode())
    response = _save(client, token, _typed())
    assert response.status_code == 204
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # the session is not renewed


def test_expired_drafts_are_deleted_by_the_nightly_task(cases, client_for, time_machine):
    client = client_for(cases.users["practitioner_north"])
    token = _token(client.get(_add_url(cases)).content.decode())
    _save(client, token, _typed())
    time_machine.move_to(timezone.now() + datetime.timedelta(days=3))
    other = client_for(cases.users["manager_north"])
    other_token = _token(other.get(_add_url(cases)).content.decode())
    assert _save(other, other_token, _typed()).status_code == 204
    time_machine.move_to(timezone.now() + datetime.timedelta(days=4, minutes=1))
    assert delete_expired() == 1
    assert list(Draft.objects.values_list("user__email", flat=True)) == [cases.users["manager_north"].email]


def test_a_stale_amendment_draft_never_silently_overwrites_a_later_amendment(cases, client_for):
    log = ConversationLogFactory(enquiry=cases.cases["north"][2])
    url = reverse("enquiries:conversation_amend", args=[log.pk])
    author = client_for(cases.users["practitioner_north"])
    page = author.get(url).content.decode()
    token = _token(page)
    based_on = re.search(r'name="based_on" value="(\d+)"', page).group(1)
    draft = {**_typed(), "based_on": based_on, "amendment_reason": "Wrong time"}
    assert _save(author, token, draft).status_code == 204
    # Meanwhile a colleague amends the entry.
    colleague = client_for(cases.users["manager_north"])
    colleague_data = {**conversation_post(location="At the day centre"), "based_on": based_on}
    colleague_data["amendment_reason"] = "Wrong place"
    assert colleague.post(url, colleague_data).status_code == 302

    restored = author.get(url + "?draft=continue").content.decode()
    assert WORDS in restored
    again = {**draft}
    again.pop("csrfmiddlewaretoken")
    response = author.post(url, again)
    assert response.status_code == 409  # the crossed save is refused and shown, as for any amendment
    assert "Someone else changed this record" in response.content.decode()
    assert Draft.objects.filter(user=cases.users["practitioner_north"]).exists()  # nothing lost


# ---- The safeguarding concern form: recording one (reached with ?person=) and changing one ----


def test_a_new_concern_draft_is_restored_and_discarded_on_its_own_page(cases, client_for):
    client = client_for(cases.users["practitioner_north"])
    person = cases.cases["north"][0]
    url = reverse("enquiries:concern_create") + f"?person={person.pk}"
    token = _token(client.get(url).content.decode())
    typed = concern_form_data(team=cases.north, summary=WORDS)
    assert _save(client, token, typed).status_code == 204
    page = client.get(url).content.decode()
    assert "You have an unsaved draft from" in page
    assert f"?person={person.pk}&amp;draft=continue" in page  # the offer keeps the page's own address
    assert WORDS in client.get(url + "&draft=continue").content.decode()
    response = client.post(reverse("drafts:discard"), {"key": token, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert not Draft.objects.exists()


def test_saving_a_concern_change_deletes_its_draft_and_a_stale_one_is_refused(cases, client_for):
    concern = pending_concern(person=cases.cases["north"][0], team=cases.north)
    url = reverse("enquiries:concern_edit", args=[concern.pk])
    author = client_for(cases.users["practitioner_north"])
    token = _token(author.get(url).content.decode())
    typed = concern_form_data(team=cases.north, summary=WORDS, version=str(concern.version))
    assert _save(author, token, typed).status_code == 204
    assert WORDS in author.get(url + "?draft=continue").content.decode()
    colleague = client_for(cases.users["manager_north"])
    colleague_data = concern_form_data(
        team=cases.north, summary="Colleague's words", version=str(concern.version)
    )
    assert colleague.post(url, colleague_data).status_code == 302

    stale = author.post(url, typed)
    assert stale.status_code == 409  # never silently over the colleague's change
    assert Draft.objects.exists()
    again = author.post(url, {**typed, "version": str(concern.version + 1)})
    assert again.status_code == 302
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        [["what_matters", "nul \x00 inside"]],
        [["what_matters", "lone \ud800 surrogate"]],
        {"what_matters": "a dict, not pairs"},
        [["what_matters"]],
        [["what_matters", 3]],
        "ab",
    ],
)
def test_hostile_fields_are_refused_not_a_server_error(cases, client_for, fields):
    client = client_for(cases.users["practitioner_north"])
    token = _token(client.get(_add_url(cases)).content.decode())
    body = json.dumps({"key": token, "fields": fields})
    response = client.post(reverse("drafts:save"), body, content_type="application/json")
    assert response.status_code == 400
    assert not Draft.objects.exists()
