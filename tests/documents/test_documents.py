"""Documents on the record: adding them to a person, a concern, an enquiry, a conversation or a meeting;
every refusal (nothing stored); photos' metadata stripped; opening and downloading through the access rule,
recorded; the inline response's headers; "removed in error"; the lists' query counts."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from enquiries.models import ConversationLog, Meeting
from enquiries.models.choices import MeetingKind, MeetingParticipation
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import ServiceRefused
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents.models import Document
from msp_cases.documents.services import Upload, document_remove, document_upload
from tests.access_table import CASES, VISIBLE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Who may add and remove documents: practitioners and managers, on records they see; unit staff read only.
WRITERS = {"practitioner_north", "practitioner_south", "manager_north", "manager_south"}
RECORD_INDEX = {"people": 0, "concerns": 1, "enquiries": 2}


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return html_to_pdf("<h1>Letter from the GP</h1><p>Medication reviewed.</p>", base_url="/")


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:03:01 10:00:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 0.0)  # latitude 51° 30′ N
    gps[3], gps[4] = "W", (0.0, 7.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _stored_files() -> list[Path]:
    root = Path(settings.DOCUMENTS_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _add(record, user, content: bytes, name: str = "letter.pdf", **fields) -> Document:
    [document] = document_upload(
        actor=Actor.of(user),
        record=record,
        uploads=[Upload(name=name, file=SimpleUploadedFile(name, content))],
        title=fields.pop("title", "Letter from the GP"),
        kind=fields.pop("kind", Document.Kind.LETTER),
        **fields,
    )
    return document


def _writer_for(case: str, world):
    """Someone who may add a document to the case."""
    return world.users[
        {"restricted_north": "manager_north", "south": "practitioner_south"}.get(case, "practitioner_north")
    ]


def _post(client, url, files, **fields):
    data = {"title": "Letter from the GP", "kind": "letter", "provided_by": "Dr Patel", **fields}
    data["files"] = files
    return client.post(url, data)


# Access ----------


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("record_kind", sorted(RECORD_INDEX))
def test_a_document_opens_for_exactly_who_sees_its_record(
    world, client_for, pdf_bytes, role, case, record_kind
):
    record = world.cases[case][RECORD_INDEX[record_kind]]
    document = _add(record, _writer_for(case, world), pdf_bytes)
    client = client_for(world.users[role])
    visible = case in VISIBLE[role]
    for name in ("documents:detail", "documents:view", "documents:download"):
        response = client.get(reverse(name, args=[document.pk]))
        assert response.status_code == (200 if visible else 404), name
        if not visible:
            assert b"Letter from the GP" not in response.content
    # Adding one: only those who may change the record; anyone else is "Page not found".
    add_url = reverse(f"documents:add_{record_kind}", args=[record.pk])
    may_add = visible and role in WRITERS
    assert client.get(add_url).status_code == (200 if may_add else 404)
    before = Document.objects.count()
    response = _post(client, add_url, [SimpleUploadedFile("second.pdf", pdf_bytes)])
    assert response.status_code == (302 if may_add else 404)
    assert Document.objects.count() == before + (1 if may_add else 0)


def test_documents_on_a_conversation_and_a_meeting_follow_the_enquiry(world, client_for, pdf_bytes):
    _person, _concern, enquiry = world.cases["north"]
    writer = world.users["practitioner_north"]
    conversation = ConversationLog.objects.create(
        person=enquiry.person, enquiry=enquiry, occurred_at=timezone.now(), recorded_by=writer, method="visit"
    )
    meeting = Meeting.objects.create(
        enquiry=enquiry,
        kind=MeetingKind.values[0],
        held_on=timezone.localdate(),
        attendees="The person, their social worker",
        participation=MeetingParticipation.values[0],
        created_by=writer,
    )
    on_conversation = _add(conversation, writer, pdf_bytes, title="Notes from the visit")
    on_meeting = _add(meeting, writer, pdf_bytes, title="Strategy meeting minutes", kind="minutes")
    page = client_for(writer).get(enquiry.get_absolute_url())
    assert b"Notes from the visit" in page.content
    assert b"Strategy meeting minutes" in page.content
    assert reverse("documents:add_meetings", args=[meeting.pk]).encode() in page.content
    conversation_page = client_for(writer).get(
        reverse("enquiries:conversation_detail", args=[conversation.pk])
    )
    assert b"Notes from the visit" in conversation_page.content
    assert b"Strategy meeting minutes" not in conversation_page.content
    outsider = client_for(world.users["practitioner_south"])
    for document in (on_conversation, on_meeting):
        assert outsider.get(reverse("documents:detail", args=[document.pk])).status_code == 404


# Adding: what is kept ----------


def test_several_files_added_at_once_show_on_the_record_and_its_timeline(
    world, practitioner_client, pdf_bytes
):
    person, _concern, enquiry = world.cases["north"]
    url = reverse("documents:add_enquiries", args=[enquiry.pk])
    page = practitioner_client.get(url)
    assert b'type="file"' in page.content and b"multiple" in page.content
    assert b'enctype="multipart/form-data"' in page.content
    response = _post(
        practitioner_client,
        url,
        [SimpleUploadedFile("letter.pdf", pdf_bytes), SimpleUploadedFile("notes.txt", b"Phoned the GP.\n")],
        **{"document_date_0": "3", "document_date_1": "3", "document_date_2": "2026"},
    )
    assert response.status_code == 302
    documents = list(Document.objects.filter(enquiry=enquiry).order_by("original_name"))
    assert [d.original_name for d in documents] == ["letter.pdf", "notes.txt"]
    assert [d.content_type for d in documents] == ["application/pdf", "text/plain"]
    assert documents[0].title == "Letter from the GP: letter.pdf"
    assert documents[0].person == person and documents[0].provided_by == "Dr Patel"
    assert str(documents[0].document_date) == "2026-03-03"
    # The stored name is generated, never the user's.
    assert "letter" not in documents[0].file.name and documents[0].file.name.endswith(".pdf")
    # No scanner configured (as under `make run`): kept "not scanned", and the page says so.
    assert documents[0].scan_status == Document.ScanStatus.NOT_SCANNED
    page = practitioner_client.get(enquiry.get_absolute_url())
    assert page.content.count(b"Document added") == 2
    assert b"Letter from the GP: letter.pdf" in page.content
    detail = practitioner_client.get(reverse("documents:detail", args=[documents[0].pk]))
    assert b"not been scanned for viruses" in detail.content
    # Both written to the record of access.
    assert AccessEvent.objects.filter(action="create", person=person).count() == 2


def test_files_are_private_0600_in_0700_directories(world, pdf_bytes):
    document = _add(world.cases["north"][1], world.users["practitioner_north"], pdf_bytes)
    path = Path(document.file.path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"


def test_a_photo_is_kept_without_its_location_or_camera_details(world, practitioner_client):
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a location
    concern = world.cases["north"][1]
    response = _post(
        practitioner_client,
        reverse("documents:add_concerns", args=[concern.pk]),
        [SimpleUploadedFile("bruise.jpg", original)],
        kind="photo",
    )
    assert response.status_code == 302
    document = Document.objects.get(concern=concern)
    with document.file.open("rb") as handle:
        kept = handle.read()
    image = Image.open(io.BytesIO(kept))
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"PhoneMaker" not in kept
    assert image.size == (40, 30)


# Refusals: a GOV.UK error, nothing stored ------------------------------------------------------------------


def _refused(client, url, files, **fields):
    before_files, before_rows = len(_stored_files()), Document.objects.count()
    response = _post(client, url, files, **fields)
    assert response.status_code == 400
    assert b"govuk-error-summary" in response.content
    assert Document.objects.count() == before_rows
    assert len(_stored_files()) == before_files
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "“empty.pdf” is empty"),
        ("page.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "must be a PDF"),
        ("photo.txt", None, "its content is a JPEG image, not a .txt"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "must be a PDF"),
        ("letter.doc", b"%PDF-1.4\n%fake\n", "its content is a PDF, not a .doc"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(world, practitioner_client, name, content, message):
    content = _jpeg_with_gps() if content is None else content
    enquiry = world.cases["north"][2]
    page = _refused(
        practitioner_client,
        reverse("documents:add_enquiries", args=[enquiry.pk]),
        [SimpleUploadedFile(name, content)],
    )
    assert message in page


def test_one_bad_file_refuses_the_whole_upload(world, practitioner_client, pdf_bytes):
    enquiry = world.cases["north"][2]
    page = _refused(
        practitioner_client,
        reverse("documents:add_enquiries", args=[enquiry.pk]),
        [SimpleUploadedFile("good.pdf", pdf_bytes), SimpleUploadedFile("empty.txt", b"")],
    )
    assert "“empty.txt” is empty" in page


def test_a_file_over_the_limit_and_too_many_files_are_refused(
    world, practitioner_client, settings, pdf_bytes
):
    settings.DOCUMENT_MAX_BYTES = 1024
    settings.DOCUMENT_MAX_FILES = 2
    url = reverse("documents:add_enquiries", args=[world.cases["north"][2].pk])
    page = _refused(practitioner_client, url, [SimpleUploadedFile("big.txt", b"a" * 1025)])
    assert "“big.txt” must be smaller than 1 KB" in page
    page = _refused(practitioner_client, url, [SimpleUploadedFile(f"{i}.txt", b"note\n") for i in range(3)])
    assert "Select up to 2 files at a time" in page


def test_missing_file_and_details_are_all_shown_at_once(world, practitioner_client):
    url = reverse("documents:add_enquiries", args=[world.cases["north"][2].pk])
    page = _refused(practitioner_client, url, [], title="", kind="")
    for message in ("Select a file", "Enter a title for the document", "Select what the document is"):
        assert message in page


def test_a_name_with_a_path_is_refused_by_the_service(world, pdf_bytes):
    """Django's upload parser already drops a path from a name sent by a browser; a command or task
    calling the service directly is refused the same."""
    before = len(_stored_files())
    with pytest.raises(Exception, match="must not contain"):
        _add(
            world.cases["north"][2], world.users["practitioner_north"], pdf_bytes, name="../../etc/letter.pdf"
        )
    assert len(_stored_files()) == before and not Document.objects.exists()


def test_a_path_in_a_browsers_file_name_never_reaches_storage(world, practitioner_client, pdf_bytes):
    url = reverse("documents:add_enquiries", args=[world.cases["north"][2].pk])
    response = _post(practitioner_client, url, [SimpleUploadedFile("../../../etc/letter.pdf", pdf_bytes)])
    assert response.status_code == 302
    document = Document.objects.get()
    assert ".." not in document.file.name and "/" not in document.original_name
    assert Path(document.file.path).resolve().is_relative_to(Path(settings.DOCUMENTS_ROOT).resolve())


# Opening ----------


def test_a_pdf_opens_in_the_browser_sandboxed_and_is_recorded(world, practitioner_client, pdf_bytes):
    document = _add(
        world.cases["north"][2], world.users["practitioner_north"], pdf_bytes, name='GP "letter".pdf'
    )
    response = practitioner_client.get(reverse("documents:view", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert '"letter"' not in response["Content-Disposition"]  # the quotes are escaped, not closing the name
    assert b"".join(response.streaming_content) == pdf_bytes
    download = practitioner_client.get(reverse("documents:download", args=[document.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    b"".join(download.streaming_content)
    events = AccessEvent.objects.filter(object_id=document.pk, content_type__model="document")
    assert {e.action for e in events} >= {"view", "download"}


def test_a_text_file_downloads_only(world, practitioner_client):
    document = _add(
        world.cases["north"][2], world.users["practitioner_north"], b"Phoned the GP.\n", name="n.txt"
    )
    assert practitioner_client.get(reverse("documents:view", args=[document.pk])).status_code == 404
    response = practitioner_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    b"".join(response.streaming_content)


@pytest.mark.parametrize("status", ["awaiting_scan", "infected", "scan_failed"])
def test_a_file_not_scanned_clean_is_never_served(world, practitioner_client, pdf_bytes, status):
    document = _add(world.cases["north"][2], world.users["practitioner_north"], pdf_bytes)
    Document.objects.filter(pk=document.pk).update(scan_status=status)
    for name in ("documents:view", "documents:download"):
        assert practitioner_client.get(reverse(name, args=[document.pk])).status_code == 404
    page = practitioner_client.get(reverse("documents:detail", args=[document.pk]))
    assert Document.ScanStatus(status).label.encode() in page.content
    assert b"Download the file" not in page.content


# Removed in error ----------


def test_removed_in_error_leaves_the_case_pages_and_stays_for_unit_staff(
    world, practitioner_client, unit_client, pdf_bytes
):
    enquiry = world.cases["north"][2]
    document = _add(enquiry, world.users["practitioner_north"], pdf_bytes, title="Letter about someone else")
    remove_url = reverse("documents:added_in_error", args=[document.pk])
    page = practitioner_client.post(remove_url, {"reason": ""})
    assert page.status_code == 400 and b"Enter why the document is being removed" in page.content
    response = practitioner_client.post(remove_url, {"reason": "Added to the wrong person's record"})
    assert response.status_code == 302
    assert "removed" in practitioner_client.get(response.url).content.decode()  # the confirmation
    page = practitioner_client.get(enquiry.get_absolute_url())
    assert b"Letter about someone else" not in page.content
    assert practitioner_client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    # The unit keeps it: listed as removed, its page gives the reason, the file is still there.
    page = unit_client.get(enquiry.get_absolute_url())
    assert b"Removed in error (1)" in page.content
    detail = unit_client.get(reverse("documents:detail", args=[document.pk]))
    assert b"Added to the wrong person" in detail.content
    assert Path(Document.objects.get().file.path).exists()
    # Unit staff are read-only: they cannot remove or add.
    assert unit_client.get(remove_url).status_code == 404


def test_a_document_is_removed_once(world, pdf_bytes):
    document = _add(world.cases["north"][2], world.users["practitioner_north"], pdf_bytes)
    actor = Actor.of(world.users["practitioner_north"])
    document_remove(actor=actor, document=document, reason="Wrong record")
    # Once removed, it is out of the practitioner's sight: a second removal (a later request, which reads the
    # document again) is "not found"; the same object, which the access rule found in their scope before it
    # was removed, is refused by the removal itself.
    with pytest.raises(Http404):
        document_remove(actor=actor, document=Document.objects.get(pk=document.pk), reason="Again")
    with pytest.raises(ServiceRefused):
        document_remove(actor=actor, document=document, reason="Again")
    document.refresh_from_db()
    assert document.removed_reason == "Wrong record"


# Query counts ----------


@pytest.mark.parametrize("url_of", ["enquiry", "person", "concern"])
def test_the_documents_list_costs_the_same_for_one_or_many(world, practitioner_client, pdf_bytes, url_of):
    person, concern, enquiry = world.cases["north"]
    record = {"enquiry": enquiry, "person": person, "concern": concern}[url_of]
    writer = world.users["practitioner_north"]
    _add(record, writer, pdf_bytes, title="Document 0")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert practitioner_client.get(record.get_absolute_url()).status_code == 200
        return len(queries)

    count()  # caches filled on a first request (content types, permissions) are not the list's
    one = count()
    for i in range(1, 6):
        _add(
            record,
            UserFactory(role=roles.PRACTITIONER, teams=[world.north]),
            pdf_bytes,
            title=f"Document {i}",
        )
    page = practitioner_client.get(record.get_absolute_url())
    assert page.content.count(b"Document ") >= 6
    assert count() == one
