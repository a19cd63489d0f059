"""Questions revealed under the answer that needs them (msp_cases/core/reveals.py), in GOV.UK Frontend 6's
markup: the radio points at what it reveals with data-aria-controls (our radios module makes it aria-controls,
never aria-expanded, which ARIA does not allow on a radio), the block is hidden only by a class that GOV.UK's
CSS applies when JavaScript runs, so without it every question shows, and the block of the answer given is
shown when the page comes back with errors. The server still asks only for the chosen branch."""

import re

import pytest
from django.urls import reverse

from enquiries.models import SafeguardingConcern
from feedback.models import AUDIT_CHECKLIST, AuditSample, AuditSampleItem, ExperienceFeedbackPart2
from tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db

HIDDEN = "govuk-radios__conditional--hidden"


def _block(html: str, block_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<div[^>]*id="{re.escape(block_id)}"[^>]*>', html)
    assert match, f"no element with id {block_id}"
    return match.group(0)


def _controls(html: str, block_id: str) -> list[str]:
    """The values of the radios that reveal this block."""
    return re.findall(rf'value="([^"]*)"[^>]*data-aria-controls="{re.escape(block_id)}"', html)


def _no_expanded(html: str) -> None:
    assert "aria-expanded" not in html
    assert 'data-module="govuk-radios"' not in html  # GOV.UK's own module would add aria-expanded
    assert 'data-module="app-radios"' in html


# The decision on a concern ---------------------------------------------------------------------------------


def _decide_url(concern):
    return reverse("enquiries:concern_decide", args=[concern.pk])


def test_the_decision_reveals_what_each_answer_needs(world, client_for):
    concern = ConcernFactory(team=world.north, person=world.cases["north"][0])  # unclassified
    html = client_for(world.users["practitioner_north"]).get(_decide_url(concern)).content.decode()
    _no_expanded(html)
    # The enquiry's classification and lead under both enquiry answers; what was offered under no further
    # action. Hidden until chosen, and none chosen yet.
    assert _controls(html, "conditional-decision-1") == ["section_42", "other_enquiry"]
    assert _controls(html, "conditional-decision-2") == ["no_further_action"]
    assert HIDDEN in _block(html, "conditional-decision-1") and HIDDEN in _block(
        html, "conditional-decision-2"
    )
    enquiry_block = html.split('id="conditional-decision-1"')[1].split('id="conditional-decision-2"')[0]
    for inside in ("Classify the concern", 'name="risk_location"', 'name="lead_practitioner"'):
        assert inside in enquiry_block
    assert 'name="no_further_action_response"' in html.split('id="conditional-decision-2"')[1]


def test_no_further_action_asks_only_for_what_was_offered_and_shows_it_again(world, client_for):
    concern = ConcernFactory(team=world.north, person=world.cases["north"][0])
    response = client_for(world.users["practitioner_north"]).post(
        _decide_url(concern),
        {
            "version": concern.version,
            "criteria_care_needs": "True",
            "criteria_abuse_or_neglect": "False",
            "criteria_unable_to_protect": "False",
            "decision": "no_further_action",
            "decision_rationale": "No abuse or neglect alleged on reflection.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the advice, signposting or other services offered" in html
    summary = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert summary.count("<li>") == 1  # not the classification the enquiry answers would need
    assert HIDDEN not in _block(html, "conditional-decision-2")  # the answer given: its block shown
    assert HIDDEN in _block(html, "conditional-decision-1")
    concern.refresh_from_db()
    assert concern.decision == SafeguardingConcern.Decision.PENDING


# My Safeguarding Experience Part 2 ------------------------------------------------------------------------


def _part2_url(enquiry):
    return reverse("feedback:part2_edit", args=[enquiry.pk])


def test_part2_shows_each_branch_under_its_answer(world, client_for):
    html = (
        client_for(world.users["practitioner_north"])
        .get(_part2_url(world.cases["north"][2]))
        .content.decode()
    )
    _no_expanded(html)
    assert _controls(html, "conditional-approached-2") == ["False"]
    not_approached = html.split('id="conditional-approached-2"')[1].split('id="part2-answers"')[0]
    assert 'name="not_approached_reason"' in not_approached and 'name="best_interests_who"' in not_approached
    # Their answers: a section of its own, shown when they were approached or someone in their best
    # interests answered instead.
    assert _controls(html, "part2-answers") == ["True", "True"]
    assert f'class="app-revealed-section {HIDDEN}"' in html
    assert 'name="listened"' in html.split('id="part2-answers"')[1]
    # "Other" reveals its details, nested.
    assert _controls(html, "conditional-not_approached_reason-1") == ["other"]


def test_part2_not_approached_saves_without_the_answers(world, client_for):
    enquiry = world.cases["north"][2]
    response = client_for(world.users["practitioner_north"]).post(
        _part2_url(enquiry),
        {
            "version": "",
            "approached": "False",
            "not_approached_reason": "danger",
            "best_interests_answered": "False",
        },
    )
    assert response.status_code == 302
    assert ExperienceFeedbackPart2.objects.get(enquiry=enquiry).not_approached_reason == "danger"


def test_part2_answers_are_shown_again_when_someone_answered_for_them(world, client_for):
    response = client_for(world.users["practitioner_north"]).post(
        _part2_url(world.cases["north"][2]),
        {
            "version": "",
            "approached": "False",
            "not_approached_reason": "danger",
            "best_interests_answered": "True",
            "best_interests_who": "Her sister",
        },
    )
    html = response.content.decode()
    assert "Select an answer to ‘Did you feel listened to?’" in html
    assert 'class="app-revealed-section"' in html  # the answers, shown
    assert HIDDEN not in _block(html, "conditional-approached-2")


# Case-file audits -------------------------------------------------------------------------------------------


def test_each_audit_note_is_revealed_by_partly_and_by_no(world, client_for):
    enquiry = world.cases["north"][2]
    sample = AuditSample.objects.create(
        drawn_by=world.users["unit"],
        drawn_at=enquiry.opened_at,
        period_start=enquiry.opened_at.date(),
        period_end=enquiry.opened_at.date(),
        size=1,
        seed=1,
        eligible_count=1,
    )
    AuditSampleItem.objects.create(sample=sample, enquiry=enquiry, position=1)
    html = (
        client_for(world.users["unit"])
        .get(reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk]))
        .content.decode()
    )
    _no_expanded(html)
    for name, _question in AUDIT_CHECKLIST:
        block = f"conditional-{name}-1"
        assert _controls(html, block) == ["partly", "no"]
        assert HIDDEN in _block(html, block)
        assert f'name="{name}_note"' in html.split(f'id="{block}"')[1][:2000]
