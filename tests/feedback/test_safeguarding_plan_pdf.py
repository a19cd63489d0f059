"""The "My safeguarding plan" letter: who may ask for it (an export, prepared by a task), that requests and
downloads are recorded, and that it says what the person told us, in their words, what was agreed and who to
contact."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, PlanAction
from enquiries.models.choices import PlanActionStatus
from feedback.pdf import safeguarding_plan_context
from msp_cases.audit.models import AccessEvent
from msp_cases.exports.models import Export
from outcomes.models import DesiredOutcome
from tests.access_table import CASES, VISIBLE
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _url(enquiry) -> str:
    return reverse("feedback:safeguarding_plan_pdf", args=[enquiry.pk])


@pytest.fixture
def letter(django_capture_on_commit_callbacks):
    """Ask for the letter as `client` (the task runs eagerly after commit) and download it."""

    def get(client, enquiry) -> bytes:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_url(enquiry))
        assert response.status_code == 302
        export = Export.objects.filter(enquiry=enquiry).latest("created_at")
        assert response.url == reverse("exports:detail", args=[export.pk])
        download = client.get(reverse("exports:download", args=[export.pk]))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        return b"".join(download.streaming_content)

    return get


def _pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def _conversation(enquiry, *, days_ago: int, **fields) -> ConversationLog:
    return ConversationLog.objects.create(
        person=enquiry.person,
        enquiry=enquiry,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
        recorded_by=enquiry.lead_practitioner,
        with_person=True,
        method="face_to_face",
        **fields,
    )


def _outcome(enquiry, words: str, **fields) -> DesiredOutcome:
    return DesiredOutcomeFactory(enquiry=enquiry, words=words, expressed_on=TODAY, **fields)


def _action(enquiry, what: str, **fields) -> PlanAction:
    return PlanAction.objects.create(
        enquiry=enquiry,
        what=what,
        who=fields.pop("who", "Priya"),
        due_on=fields.pop("due_on", TODAY + datetime.timedelta(days=7)),
        created_by=enquiry.lead_practitioner,
        **fields,
    )


def _fill(enquiry) -> None:
    _conversation(enquiry, days_ago=10, what_matters="Older words that were said first")
    _conversation(
        enquiry,
        days_ago=2,
        what_matters="My cat Biscuit & my garden <b>matter most</b>",
        next_contact_on=TODAY + datetime.timedelta(days=3),
        next_contact_how="Phone call in the morning",
    )
    _outcome(enquiry, "Less important wish", priority=2)
    _outcome(enquiry, "To stay living in my own home", priority=1)
    _outcome(
        enquiry, "A wish I took back", status=DesiredOutcome.Status.WITHDRAWN, withdrawn_reason="Changed"
    )
    _action(enquiry, "Ask the bank to stop the direct debit", who="Priya Shah")
    _action(enquiry, "An action no longer needed", status=PlanActionStatus.CANCELLED)


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_letter_follows_read_access(world, client_for, letter, role, case):
    client = client_for(world.users[role])
    enquiry = world.cases[case][2]
    if case in VISIBLE[role]:
        assert b"%PDF" in letter(client, enquiry)[:10]
    else:
        response = client.post(_url(enquiry))
        assert response.status_code == 404
        assert world.cases[case][0].family_name.encode() not in response.content
        assert not Export.objects.exists()


def test_unit_staff_may_ask_for_it_and_out_of_scope_practitioner_may_not(world, client_for, letter):
    enquiry = world.cases["north"][2]
    assert letter(client_for(world.users["unit"]), enquiry)
    assert client_for(world.users["practitioner_south"]).post(_url(enquiry)).status_code == 404


def test_the_old_address_never_renders_in_the_request(world, client_for):
    """A bookmark of the old download address goes to the case's panel, where the button is."""
    enquiry = world.cases["north"][2]
    response = client_for(world.users["practitioner_north"]).get(_url(enquiry))
    assert response.status_code == 302
    assert response.url == enquiry.get_absolute_url() + "#experience"
    assert not Export.objects.exists()
    assert client_for(world.users["practitioner_south"]).get(_url(enquiry)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(world, client):
    response = client.get(_url(world.cases["north"][2]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_request_and_download_are_recorded_without_case_content(world, client_for, letter):
    enquiry = world.cases["north"][2]
    _fill(enquiry)
    letter(client_for(world.users["practitioner_north"]), enquiry)
    events = AccessEvent.objects.filter(person=enquiry.person)
    assert events.get(action=AccessEvent.Action.EXPORT).detail == "My safeguarding plan requested"
    assert events.get(action=AccessEvent.Action.DOWNLOAD).detail == "My safeguarding plan downloaded"


def test_letter_says_what_matters_outcomes_actions_and_who_to_contact(world, client_for, letter):
    enquiry = world.cases["north"][2]
    _fill(enquiry)
    text = _pdf_text(letter(client_for(world.users["practitioner_north"]), enquiry))
    assert "My safeguarding plan" in text
    # The latest words, verbatim (HTML kept as typed, not interpreted).
    assert "My cat Biscuit & my garden <b>matter most</b>" in text
    assert "Older words that were said first" not in text
    # Active outcomes in their words, most important first; a withdrawn one is left out.
    assert text.index("To stay living in my own home") < text.index("Less important wish")
    assert "A wish I took back" not in text
    # What was agreed: what, who, by when; and the next contact.
    assert "Ask the bank to stop the direct debit" in text
    assert "Who: Priya Shah" in text
    assert (TODAY + datetime.timedelta(days=7)).strftime("%-d %B %Y") in text
    assert "An action no longer needed" not in text
    assert (TODAY + datetime.timedelta(days=3)).strftime("%-d %B %Y") in text
    assert "Phone call in the morning" in text
    # Who to contact.
    assert enquiry.lead_practitioner.full_name in text
    assert enquiry.team.name in text
    assert "If you feel unsafe now, call 999." in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of" in text
    assert f"Generated by {enquiry.lead_practitioner.full_name} on" in text


def test_an_empty_case_still_gives_a_readable_letter(world, client_for, letter):
    enquiry = world.cases["north"][2]
    text = _pdf_text(letter(client_for(world.users["practitioner_north"]), enquiry))
    assert "We have not agreed any actions yet." in text
    assert "If you feel unsafe now, call 999." in text


def test_letter_costs_a_fixed_number_of_queries(world):
    enquiry = world.cases["north"][2]
    user = world.users["practitioner_north"]
    _fill(enquiry)
    safeguarding_plan_context(user=user, enquiry=enquiry)  # warm up (the user's permissions are cached)
    with CaptureQueriesContext(connection) as captured:
        safeguarding_plan_context(user=user, enquiry=enquiry)
    small = len(captured)
    _fill(enquiry)
    for n in range(5):
        _action(enquiry, f"Extra action {n}")
        _outcome(enquiry, f"Extra wish {n}")
    with CaptureQueriesContext(connection) as captured:
        safeguarding_plan_context(user=user, enquiry=enquiry)
    assert 0 < small == len(captured)


def test_enquiry_page_offers_the_letter(world, client_for):
    enquiry = world.cases["north"][2]
    html = client_for(world.users["unit"]).get(enquiry.get_absolute_url()).content.decode()
    assert "Get My safeguarding plan (PDF)" in html
    assert 'value="safeguarding_plan"' in html
