import datetime
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, PlanAction
from msp_cases.exports.models import Export
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (for test_exports_browser)
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory


def pdf_text(content: bytes) -> str:
    """The PDF's words with line breaks as spaces (a long line may wrap)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


def files_of(export: Export) -> list[Path]:
    """Every file in the exports storage written for this export (a second render would add one)."""
    return sorted(Path(settings.EXPORTS_ROOT).rglob(f"{export.pk}*"))


def download(client, export: Export):
    response = client.get(reverse("exports:download", args=[export.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.fixture
def request_export(django_capture_on_commit_callbacks):
    """POST an export request as a signed-in client and run what was queued after commit (eager tasks)."""

    def post(client, kind: str, enquiry, *, follow=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("exports:request"), {"kind": kind, "enquiry": enquiry.pk}, follow=follow
            )
        return response

    return post


@pytest.fixture
def filled_case(world):
    """The North case with the person's words, an outcome, a plan action and a decision."""
    enquiry = world.cases["north"][2]
    lead = enquiry.lead_practitioner
    ConversationLog.objects.create(
        person=enquiry.person,
        enquiry=enquiry,
        occurred_at=timezone.now() - datetime.timedelta(days=3),
        recorded_by=lead,
        with_person=True,
        method="face_to_face",
        what_matters="Seeing my grandson on Sundays & keeping my dog <Rex>",
        wants_to_happen="I want my nephew to stop taking my pension",
        decisions="Tell the bank about the nephew's card",
        decision_made_by="person",
        next_contact_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    DesiredOutcomeFactory(enquiry=enquiry, words="To keep control of my own money", created_by=lead)
    PlanAction.objects.create(
        enquiry=enquiry,
        what="Call the bank with her to stop the card",
        who="Priya Shah",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        agreed_with_person=True,
        created_by=lead,
    )
    return enquiry
