"""Photos and documents sent with the public form: up to 3 files of 10 MB, checked from their content
(nothing stored when refused), removable until sending, gone from the public side once sent, listed (not
opened) on the screening page, filed as the concern's documents when screening records one (scanned first:
never servable before), deleted when the referral is closed as not a safeguarding concern, and every POST
counted by the form's rate limit."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from msp_cases.core.actor import Actor
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents.models import Document, HeldFile
from msp_cases.frontdoor.models import Referral
from msp_cases.frontdoor.services import screening

from ..documents.test_documents import _jpeg_with_gps
from .test_public_journey import CHECK, answer_all
from .test_screening import _url, hughes  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

FILES = reverse("frontdoor_public:documents")


def _files_on_disk() -> set[str]:
    root = Path(settings.DOCUMENTS_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _add(client: Client, *files):
    return client.post(FILES, {"add": "1", "files": list(files)})


@pytest.fixture
def journey() -> Client:
    client = Client()
    answer_all(client)
    return client


def test_files_added_show_on_check_answers_and_go_with_the_report(
    journey, django_capture_on_commit_callbacks
):
    assert "None added" in journey.get(CHECK).content.decode()
    pdf = html_to_pdf("<h1>Bank statement</h1>", base_url="/")
    response = _add(
        journey, SimpleUploadedFile("statement.pdf", pdf), SimpleUploadedFile("bruise.jpg", _jpeg_with_gps())
    )
    assert response.status_code == 302 and response["Location"] == FILES
    page = journey.get(FILES).content.decode()
    assert "statement.pdf" in page and "bruise.jpg" in page and "Remove" in page
    # Already without its location, as every photo kept is.
    photo = HeldFile.objects.get(original_name="bruise.jpg")
    with photo.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif().get_ifd(0x8825)
    check = journey.get(CHECK).content.decode()
    assert "statement.pdf" in check and "bruise.jpg" in check
    with django_capture_on_commit_callbacks(execute=True):
        assert journey.post(CHECK, {"website": ""}).status_code == 302
    referral = Referral.objects.get()
    assert HeldFile.objects.filter(holder=f"kept:referral:{referral.pk}").count() == 2
    # The public side can no longer reach them: the journey has ended.
    assert journey.get(FILES)["Location"] == reverse("frontdoor_public:session_ended")
    assert journey.post(FILES, {"remove": str(photo.token)}).status_code == 302
    assert HeldFile.objects.filter(pk=photo.pk).exists()


def test_a_refused_file_refuses_the_choice_and_nothing_is_stored(journey):
    before = _files_on_disk()
    response = _add(
        journey,
        SimpleUploadedFile("notes.txt", b"He took the card.\n"),
        SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "“photo.jpg” must be a PDF, JPG" in page
    assert not HeldFile.objects.exists() and _files_on_disk() == before
    assert "Select a file" in _add(journey).content.decode()


def test_at_most_three_files_of_ten_megabytes(journey):
    big = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    assert "“big.txt” must be smaller than 10 MB" in _add(journey, big).content.decode()
    files = [SimpleUploadedFile(f"{n}.txt", b"words\n") for n in range(4)]
    assert "You can send up to 3 files. Select 3 or fewer" in _add(journey, *files).content.decode()
    files = [SimpleUploadedFile(f"{n}.txt", b"words\n") for n in range(3)]
    assert _add(journey, *files).status_code == 302
    page = journey.get(FILES).content.decode()
    assert "You have added as many files as you can send" in page and 'type="file"' not in page
    response = _add(journey, SimpleUploadedFile("4.txt", b"words\n"))
    assert "Remove one to add another" in response.content.decode()
    assert HeldFile.objects.count() == 3


def test_a_file_can_be_removed_before_sending_but_not_from_another_journey(journey):
    _add(journey, SimpleUploadedFile("wrong.txt", b"The wrong file\n"))
    token = str(HeldFile.objects.get().token)
    stranger = Client()
    answer_all(stranger)
    stranger.post(FILES, {"remove": token})
    assert HeldFile.objects.exists()
    assert "wrong.txt" not in stranger.get(FILES).content.decode()
    journey.post(FILES, {"remove": token})
    assert not HeldFile.objects.exists()


def test_every_post_counts_against_the_forms_rate_limit(journey, settings):
    settings.FRONT_DOOR_RATE_PAGES = "1/h"
    assert _add(journey, SimpleUploadedFile("a.txt", b"words\n")).status_code == 302
    assert _add(journey, SimpleUploadedFile("b.txt", b"words\n")).status_code == 429
    assert HeldFile.objects.count() == 1


def _sent_with_files(django_capture_on_commit_callbacks) -> Referral:
    client = Client()
    answer_all(client)
    _add(client, SimpleUploadedFile("statement.txt", b"Withdrawals every Friday.\n"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHECK, {"website": ""})
    return Referral.objects.get()


def test_screening_lists_the_files_and_files_them_on_the_concern_it_records(
    world,
    front_door,
    front_door_client,
    hughes,  # noqa: F811
    django_capture_on_commit_callbacks,
    client_for,
    settings,
):
    settings.CLAMAV_URL = "tcp://127.0.0.1:9"  # a scanner configured: documents wait for its verdict
    referral = _sent_with_files(django_capture_on_commit_callbacks)
    page = front_door_client.get(_url(referral)).content.decode()
    assert "Photos and documents they sent" in page and "statement.txt" in page
    assert "/documents/" not in page  # listed, never opened from the queue
    referral = screening.referral_route(
        actor=Actor.of(front_door),
        referral=referral,
        expected_version=referral.version,
        team=world.south,
        person=hughes,
    )
    (document,) = Document.objects.filter(concern=referral.concern)
    assert document.original_name == "statement.txt" and document.kind == Document.Kind.OTHER
    assert document.title == f"Sent with online report {referral.reference}"
    assert document.provided_by == "The person who reported the concern online"
    assert document.scan_status == Document.ScanStatus.AWAITING_SCAN and not document.is_servable
    assert not HeldFile.objects.exists()
    # South sees it on the concern; the file opens only once clamd has found it clean.
    south = client_for(world.users["practitioner_south"])
    assert "statement.txt" in south.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert south.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_closing_as_not_a_safeguarding_concern_deletes_the_files(
    front_door_client, django_capture_on_commit_callbacks
):
    referral = _sent_with_files(django_capture_on_commit_callbacks)
    name = HeldFile.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = front_door_client.post(
            _url(referral),
            {
                "version": referral.version,
                "outcome": "not_safeguarding",
                "closure_reason": "A housing repair",
            },
        )
    assert response.status_code == 302
    assert not HeldFile.objects.exists() and name not in _files_on_disk()
    assert not Document.objects.exists()
