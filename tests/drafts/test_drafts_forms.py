"""Every long form keeps a draft: My Safeguarding Experience Part 1 and Part 2, the organisation's
perspective, the enquiry's details, its closure details and the case-file audit. Each offers its author's
draft back and shows it when continued; saving the form deletes it. (The conversation and concern forms, and
privacy, size and expiry, are in test_drafts.py.)"""

import json
import re

import pytest
from django.urls import reverse

from msp_cases.drafts.models import Draft
from tests.feedback.factories_feedback import audit_answers
from tests.feedback.test_audits import closed, draw
from tests.feedback.test_feedback import part1_data

pytestmark = pytest.mark.django_db

WORDS = "Her daughter Sam should be at every meeting, and letters in large print"


def _token(page: str) -> str:
    match = re.search(r'data-draft-key="([^"]+)"', page)
    assert match, "the form is not marked for drafts"
    return match.group(1)


def _save(client, token, fields: dict) -> int:
    listed = {name: value if isinstance(value, list) else [value] for name, value in fields.items()}
    pairs = [[name, value] for name, values in listed.items() for value in values]
    body = json.dumps({"key": token, "fields": pairs})
    return client.post(reverse("drafts:save"), body, content_type="application/json").status_code


FORMS = {
    # page: (url name, who edits it, a text field)
    "Part 1": ("feedback:part1_edit", "practitioner_north", "who_involved"),
    "Part 2": ("feedback:part2_edit", "practitioner_north", "questions_since"),
    "organisation's perspective": ("feedback:organisation_perspective", "manager_north", "could_be_better"),
    "enquiry details": ("enquiries:enquiry_edit_details", "practitioner_north", "capacity_assessed_by"),
    "closure details": ("enquiries:enquiry_closure_details", "practitioner_north", "closure_summary"),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_long_form_offers_its_draft_and_shows_it_when_continued(world, client_for, form):
    url_name, who, field = FORMS[form]
    url = reverse(url_name, args=[world.cases["north"][2].pk])
    client = client_for(world.users[who])
    token = _token(client.get(url).content.decode())
    assert _save(client, token, {field: WORDS}) == 204
    page = client.get(url).content.decode()
    assert "You have an unsaved draft from" in page and WORDS not in page
    page = client.get(url + "?draft=continue").content.decode()
    assert WORDS in page and "govuk-error-summary" not in page
    # Nobody else sees it.
    other = client_for(world.users["manager_north" if who != "manager_north" else "practitioner_north"])
    assert "unsaved draft" not in other.get(url).content.decode()


def test_saving_part1_deletes_its_draft(world, client_for):
    url = reverse("feedback:part1_edit", args=[world.cases["north"][2].pk])
    client = client_for(world.users["practitioner_north"])
    token = _token(client.get(url).content.decode())
    assert _save(client, token, part1_data(who_involved=WORDS)) == 204
    assert client.post(url, part1_data(who_involved=WORDS)).status_code == 302
    assert not Draft.objects.exists()


def test_a_case_file_audit_keeps_a_draft_until_it_is_saved(world, unit_client):
    enquiry = closed(world.north, world.users["practitioner_north"])
    sample = draw(world.users["unit"])
    url = reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk])
    token = _token(unit_client.get(url).content.decode())
    typed = {"replaces": "", **audit_answers(comments=WORDS)}
    assert _save(unit_client, token, typed) == 204
    assert "You have an unsaved draft from" in unit_client.get(url).content.decode()
    assert WORDS in unit_client.get(url + "?draft=continue").content.decode()
    assert unit_client.post(url, typed).status_code == 302
    assert not Draft.objects.exists()
