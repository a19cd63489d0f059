"""The "My safeguarding plan" letter: who may download it, that downloads are recorded, and that it says
what the person told us, in their words, what was agreed and who to contact."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, PlanAction
from enquiries.models.choices import PlanActionStatus
from msp_cases.audit.models import AccessEvent
from outcomes.models import DesiredOutcome
from tests.test_access import CASES, VISIBLE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _url(enquiry) -> str:
    return reverse("feedback:safeguarding_plan_pdf", args=[enquiry.pk])


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
    return DesiredOutcome.objects.create(
        enquiry=enquiry,
        words=words,
        expressed_by="person",
        expressed_on=TODAY,
        created_by=enquiry.lead_practitioner,
        **fields,
    )


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
def test_letter_follows_read_access(world, client_for, role, case):
    response = client_for(world.users[role]).get(_url(world.cases[case][2]))
    if case in VISIBLE[role]:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    else:
        assert response.status_code == 404
        assert world.cases[case][0].family_name.encode() not in response.content


def test_unit_staff_may_download_and_out_of_scope_practitioner_may_not(world, client_for):
    enquiry = world.cases["north"][2]
    assert client_for(world.users["unit"]).get(_url(enquiry)).status_code == 200
    assert client_for(world.users["practitioner_south"]).get(_url(enquiry)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(world, client):
    response = client.get(_url(world.cases["north"][2]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_download_is_recorded_without_case_content(world, client_for):
    enquiry = world.cases["north"][2]
    _fill(enquiry)
    client_for(world.users["practitioner_north"]).get(_url(enquiry))
    event = AccessEvent.objects.get(action=AccessEvent.Action.DOWNLOAD, person=enquiry.person)
    assert event.detail == "My safeguarding plan PDF"


def test_letter_says_what_matters_outcomes_actions_and_who_to_contact(world, client_for):
    enquiry = world.cases["north"][2]
    _fill(enquiry)
    response = client_for(world.users["practitioner_north"]).get(_url(enquiry))
    text = _pdf_text(response.content)
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


def test_an_empty_case_still_gives_a_readable_letter(world, client_for):
    enquiry = world.cases["north"][2]
    text = _pdf_text(client_for(world.users["practitioner_north"]).get(_url(enquiry)).content)
    assert "We have not agreed any actions yet." in text
    assert "If you feel unsafe now, call 999." in text


def test_letter_costs_a_fixed_number_of_queries(world, client_for):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    _fill(enquiry)
    client.get(_url(enquiry))  # warm up (session, permissions)
    with CaptureQueriesContext(connection) as small:
        client.get(_url(enquiry))
    _fill(enquiry)
    for n in range(5):
        _action(enquiry, f"Extra action {n}")
        _outcome(enquiry, f"Extra wish {n}")
    with CaptureQueriesContext(connection) as large:
        client.get(_url(enquiry))
    assert len(large) == len(small)


def test_enquiry_page_links_to_the_letter(world, client_for):
    enquiry = world.cases["north"][2]
    html = client_for(world.users["unit"]).get(enquiry.get_absolute_url()).content.decode()
    assert "Download My safeguarding plan (PDF)" in html
    assert _url(enquiry) in html
