"""Drafts on the decision on a concern, the safeguarding plan's actions, the person's desired outcomes and how
far they were achieved, and the words of a letter: each form keeps what its author types on the server,
offers it back when they return, shows it when they continue, deletes it when they save or discard it, and
nobody else sees it or can touch it. (The mechanism itself, expiry and size: test_drafts.py.)"""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from msp_cases.audit.models import AccessEvent
from msp_cases.documents.models import Document
from msp_cases.drafts.models import Draft
from msp_cases.letters.models import LetterTemplate
from tests.enquiries.factories_concerns import concern_form_data, decision_form_data, pending_concern
from tests.enquiries.factories_enquiry import PlanActionFactory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

WORDS = "Her daughter Sam should be told first and every letter sent in large print"
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _date(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@dataclass
class Page:
    url: str
    typed: dict  # the whole form as its author typed it, valid, with WORDS in one of its answers
    saved: Callable[[], bool]  # the form's save reached the record


def _north(world) -> Enquiry:
    enquiry = world.cases["north"][2]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.IN_PROGRESS)
    enquiry.refresh_from_db()
    return enquiry


def _decision(world) -> Page:
    concern = pending_concern(
        person=world.cases["north"][0], team=world.north, allocated_to=world.users["practitioner_north"]
    )
    return Page(
        url=reverse("enquiries:concern_decide", args=[concern.pk]),
        typed=decision_form_data(concern=concern, decision_rationale=WORDS),
        saved=lambda: type(concern).objects.filter(pk=concern.pk, decision_rationale=WORDS).exists(),
    )


def _plan_action_add(world) -> Page:
    enquiry = _north(world)
    typed = {
        "what": WORDS,
        "who": "Priya",
        **_date("due_on", timezone.localdate() + datetime.timedelta(days=7)),
        "agreed_with_person": "yes",
        "status": "not_started",
    }
    return Page(
        url=reverse("enquiries:plan_action_add", args=[enquiry.pk]),
        typed=typed,
        saved=lambda: enquiry.plan_actions.filter(what=WORDS).exists(),
    )


def _plan_action_edit(world) -> Page:
    action = PlanActionFactory(enquiry=_north(world))
    typed = {
        "what": WORDS,
        "who": action.who,
        **_date("due_on", action.due_on),  # the same date: moving it asks why
        "agreed_with_person": "yes",
        "status": "in_progress",
        "version": str(action.version),
    }
    return Page(
        url=reverse("enquiries:plan_action_edit", args=[action.pk]),
        typed=typed,
        saved=lambda: type(action).objects.filter(pk=action.pk, what=WORDS).exists(),
    )


def _outcome_add(world) -> Page:
    enquiry = _north(world)
    return Page(
        url=reverse("outcomes:outcome_add", args=[enquiry.pk]),
        typed={"words": WORDS, "expressed_by": "person", **_date("expressed_on", YESTERDAY)},
        saved=lambda: enquiry.desired_outcomes.filter(words=WORDS).exists(),
    )


def _outcome(world):
    return DesiredOutcomeFactory(
        enquiry=_north(world), words="I want to see my grandson", expressed_on=YESTERDAY
    )


def _outcome_revise(world) -> Page:
    outcome = _outcome(world)
    typed = {"words": WORDS, "expressed_by": "person", **_date("expressed_on", YESTERDAY)}
    return Page(
        url=reverse("outcomes:outcome_revise", args=[outcome.pk]),
        typed={**typed, "reason": "Said again at the review", "version": str(outcome.version)},
        saved=lambda: type(outcome).objects.filter(pk=outcome.pk, words=WORDS).exists(),
    )


def _outcome_achievement(world) -> Page:
    outcome = _outcome(world)
    return Page(
        url=reverse("outcomes:outcome_achievement", args=[outcome.pk]),
        typed={"achievement": "partially", "person_comment": WORDS, "version": str(outcome.version)},
        saved=lambda: type(outcome).objects.filter(pk=outcome.pk, person_comment=WORDS).exists(),
    )


def _letter(world) -> Page:
    enquiry = _north(world)
    template = LetterTemplate.objects.get(title="Closure letter", format="plain")
    typed = {
        "recipient_name": "Mrs Given-north",
        "recipient_address": "1 Station Road\nNorthtown",
        "heading": "We have finished",
        "text": f"Dear Mrs Given-north,\n\n{WORDS}\n\nFrom Priya",
    }
    return Page(
        url=reverse("letters:write", args=[enquiry.pk, template.pk]),
        typed=typed,
        saved=lambda: Document.objects.filter(enquiry=enquiry, kind=Document.Kind.LETTER).exists(),
    )


FORMS = {
    "concern decision": _decision,
    "new plan action": _plan_action_add,
    "changed plan action": _plan_action_edit,
    "new desired outcome": _outcome_add,
    "changed desired outcome": _outcome_revise,
    "outcome achieved": _outcome_achievement,
    "letter": _letter,
}


def _token(page: str) -> str:
    match = re.search(r'data-draft-key="([^"]+)"', page)
    assert match, "the form is not marked for drafts"
    return match.group(1)


def _save(client, token: str, typed: dict) -> int:
    pairs = [[name, value] for name, value in typed.items()]
    body = json.dumps({"key": token, "fields": pairs})
    return client.post(reverse("drafts:save"), body, content_type="application/json").status_code


@pytest.fixture(params=sorted(FORMS))
def page(request, world) -> Page:
    return FORMS[request.param](world)


@pytest.fixture
def author(world, client_for):
    return client_for(world.users["practitioner_north"])


def test_the_draft_is_kept_offered_shown_when_continued_and_deleted_on_saving(page, author):
    token = _token(author.get(page.url).content.decode())
    events = AccessEvent.objects.count()
    assert _save(author, token, page.typed) == 204
    # Keeping a draft neither reads the record nor becomes part of it.
    assert AccessEvent.objects.count() == events and not page.saved()

    offered = author.get(page.url).content.decode()
    assert "You have an unsaved draft from" in offered
    assert WORDS not in offered  # offered, not shown until the author chooses it
    assert "data-draft-key" not in offered  # typing into the empty form does not overwrite the draft

    restored = author.get(page.url + "?draft=continue").content.decode()
    assert WORDS in restored and "You have an unsaved draft" not in restored
    assert "govuk-error-summary" not in restored  # nothing was sent, so nothing is refused yet

    response = author.post(page.url, page.typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert page.saved()
    assert not Draft.objects.exists()
    assert "You have an unsaved draft" not in author.get(page.url).content.decode()


def test_a_discarded_draft_is_gone(page, author):
    token = _token(author.get(page.url).content.decode())
    assert _save(author, token, page.typed) == 204
    response = author.post(reverse("drafts:discard"), {"key": token, "next": page.url}, follow=True)
    assert b"Draft discarded" in response.content
    assert b"You have an unsaved draft" not in response.content and WORDS not in response.content.decode()
    assert not Draft.objects.exists() and not page.saved()


def test_the_draft_is_private_to_its_author(page, author, world, client_for):
    token = _token(author.get(page.url).content.decode())
    assert _save(author, token, page.typed) == 204
    # Their team manager may change the same case, yet sees no draft and cannot overwrite or discard it.
    manager = client_for(world.users["manager_north"])
    assert "unsaved draft" not in manager.get(page.url).content.decode()
    assert WORDS not in manager.get(page.url + "?draft=continue").content.decode()
    assert _save(manager, token, {"what": "overwritten"}) == 400
    assert manager.post(reverse("drafts:discard"), {"key": token, "next": page.url}).status_code == 400
    # Nor does the safeguarding unit.
    unit = client_for(world.users["unit"])
    assert WORDS not in unit.get(page.url + "?draft=continue").content.decode()
    draft = Draft.objects.get()
    assert draft.user == world.users["practitioner_north"] and WORDS in json.dumps(draft.data)


def test_a_decision_typed_before_the_concern_changed_is_refused_not_recorded(world, author, client_for):
    page = _decision(world)
    token = _token(author.get(page.url).content.decode())
    assert _save(author, token, page.typed) == 204
    # Meanwhile the manager corrects the concern's details.
    concern_pk = int(page.url.rstrip("/").split("/")[-2])
    edit = reverse("enquiries:concern_edit", args=[concern_pk])
    manager = client_for(world.users["manager_north"])
    edit_page = manager.get(edit).content.decode()
    version = re.search(r'name="version" value="(\d+)"', edit_page).group(1)
    assert version == page.typed["version"]

    changed = concern_form_data(team=world.north, summary="Corrected by the manager", version=version)
    assert manager.post(edit, changed).status_code == 302

    assert WORDS in author.get(page.url + "?draft=continue").content.decode()
    stale = author.post(page.url, page.typed)
    assert stale.status_code == 409  # a decision is final: never made on details its author had not seen
    assert "Someone else changed this record" in stale.content.decode() and not page.saved()
    assert Draft.objects.exists()  # nothing typed is lost
