"""The multi-file upload's path: each file sent as it is chosen is checked and held (nothing stored when it
is refused), seen by nobody but the user who chose it on that record's form, made a document only when the
form is sent, deletable from the list, and cleared when the form never comes. The JSON the MOJ component
reads puts names into the page as HTML, so they are escaped."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents import held as held_files
from msp_cases.documents.models import Document, HeldFile

from .test_documents import _jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return html_to_pdf("<h1>Letter from the GP</h1>", base_url="/")


def _files_on_disk() -> set[str]:
    root = Path(settings.DOCUMENTS_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _hold(client, enquiry, name: str, content: bytes):
    return client.post(
        reverse("documents:held_add_enquiries", args=[enquiry.pk]),
        {"documents": SimpleUploadedFile(name, content)},
    )


def _form(**fields):
    return {"title": "From Dr Patel", "kind": "letter", "provided_by": "", **fields}


def test_files_chosen_one_by_one_become_documents_when_the_form_is_sent(
    world, practitioner_client, pdf_bytes, django_capture_on_commit_callbacks
):
    enquiry = world.cases["north"][2]
    first = _hold(practitioner_client, enquiry, "gp-letter.pdf", pdf_bytes)
    second = _hold(practitioner_client, enquiry, "bruise.jpg", _jpeg_with_gps())
    assert first.status_code == second.status_code == 200
    assert first.json()["success"]["messageText"] == "gp-letter.pdf added"
    tokens = [first.json()["file"]["filename"], second.json()["file"]["filename"]]
    # Held, attached to nothing: no document yet, and the photo already without its location.
    assert not Document.objects.filter(enquiry=enquiry).exists()
    photo = HeldFile.objects.get(token=tokens[1])
    with photo.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif().get_ifd(0x8825)

    held_names = set(HeldFile.objects.values_list("file", flat=True))
    url = reverse("documents:add_enquiries", args=[enquiry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = practitioner_client.post(url, {**_form(), "held": tokens})
    assert response.status_code == 302
    documents = Document.objects.filter(enquiry=enquiry).order_by("original_name")
    assert [d.original_name for d in documents] == ["bruise.jpg", "gp-letter.pdf"]
    assert [d.content_type for d in documents] == ["image/jpeg", "application/pdf"]
    assert documents[1].title == "From Dr Patel: gp-letter.pdf"
    # The held copies are let go, their files too.
    assert not HeldFile.objects.exists()
    assert not held_names & _files_on_disk()


def test_a_refused_file_is_answered_with_why_and_nothing_is_stored(world, practitioner_client):
    enquiry = world.cases["north"][2]
    before = _files_on_disk()
    response = _hold(practitioner_client, enquiry, "letter.pdf", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("“letter.pdf” must be a PDF")
    empty = _hold(practitioner_client, enquiry, "empty.pdf", b"")
    assert empty.json()["error"]["message"] == "“empty.pdf” is empty"
    assert not HeldFile.objects.exists()
    assert _files_on_disk() == before


def test_names_are_escaped_in_the_json_the_component_puts_into_the_page(world, practitioner_client):
    enquiry = world.cases["north"][2]
    ok = _hold(practitioner_client, enquiry, "<img src=x onerror=alert(1)>.txt", b"Phoned the GP.\n")
    assert ok.status_code == 200
    body = ok.json()
    assert "<img" not in body["success"]["messageHtml"] and "&lt;img" in body["success"]["messageHtml"]
    assert "<img" not in body["file"]["originalname"]
    refused = _hold(practitioner_client, enquiry, "<b>x</b>.pdf", b"plain words")
    assert "<b>" not in refused.json()["error"]["message"]


def test_held_files_are_limited_in_number(world, practitioner_client, settings):
    settings.DOCUMENT_MAX_FILES = 2
    enquiry = world.cases["north"][2]
    for name in ("a.txt", "b.txt"):
        assert _hold(practitioner_client, enquiry, name, b"words\n").status_code == 200
    third = _hold(practitioner_client, enquiry, "c.txt", b"words\n")
    assert third.status_code == 400
    assert third.json()["error"]["message"] == "You can add up to 2 files. Delete one to add “c.txt”"
    assert HeldFile.objects.count() == 2


def test_only_the_user_who_chose_a_file_on_that_record_can_use_or_delete_it(
    world, client_for, practitioner_client, pdf_bytes, django_capture_on_commit_callbacks
):
    north_enquiry = world.cases["north"][2]
    token = _hold(practitioner_client, north_enquiry, "letter.pdf", pdf_bytes).json()["file"]["filename"]
    # The north manager may add documents to the same enquiry, but not with the practitioner's file.
    manager = client_for(world.users["manager_north"])
    url = reverse("documents:add_enquiries", args=[north_enquiry.pk])
    response = manager.post(url, {**_form(), "held": [token]})
    assert response.status_code == 400 and b"Select a file" in response.content
    discard = reverse("documents:held_discard_enquiries", args=[north_enquiry.pk])
    manager.post(discard, json.dumps({"delete": token}), content_type="application/json")
    assert HeldFile.objects.filter(token=token).exists()
    # Nor on another record the practitioner may change.
    other = world.cases["north"][1]
    response = practitioner_client.post(
        reverse("documents:add_concerns", args=[other.pk]), {**_form(), "held": [token]}
    )
    assert response.status_code == 400
    assert not Document.objects.exists()
    # Someone who may not see the enquiry: "Page not found", for holding and for deleting.
    south = client_for(world.users["practitioner_south"])
    assert _hold(south, north_enquiry, "x.txt", b"words\n").status_code == 404
    assert south.post(discard, "{}", content_type="application/json").status_code == 404
    # Unit staff read only: they cannot hold files either.
    assert _hold(client_for(world.users["unit"]), north_enquiry, "x.txt", b"w\n").status_code == 404
    # The practitioner deletes it from the list: gone, file and all.
    name = HeldFile.objects.get(token=token).file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = practitioner_client.post(
            discard, json.dumps({"delete": token}), content_type="application/json"
        )
    assert response.status_code == 200
    assert not HeldFile.objects.exists() and name not in _files_on_disk()


def test_the_form_shown_again_after_an_error_lists_the_files_already_added(world, practitioner_client):
    enquiry = world.cases["north"][2]
    token = _hold(practitioner_client, enquiry, "notes.txt", b"Phoned the GP.\n").json()["file"]["filename"]
    url = reverse("documents:add_enquiries", args=[enquiry.pk])
    response = practitioner_client.post(url, {**_form(title=""), "held": [token]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a title for the document" in page and "Select a file" not in page
    assert f'name="held" value="{token}"' in page and "notes.txt" in page
    assert "Choose the files again" not in page
    response = practitioner_client.post(url, {**_form(), "held": [token]})
    assert response.status_code == 302
    assert Document.objects.get(enquiry=enquiry).original_name == "notes.txt"


def test_files_held_for_a_form_never_sent_are_deleted_after_a_day(
    world, practitioner_client, django_capture_on_commit_callbacks
):
    enquiry = world.cases["north"][2]
    _hold(practitioner_client, enquiry, "old.txt", b"words\n")
    _hold(practitioner_client, enquiry, "new.txt", b"words\n")
    old = HeldFile.objects.get(original_name="old.txt")
    HeldFile.objects.filter(pk=old.pk).update(held_at=timezone.now() - datetime.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert held_files.held_clear_expired() == 1
    assert list(HeldFile.objects.values_list("original_name", flat=True)) == ["new.txt"]
    assert old.file.name not in _files_on_disk()
