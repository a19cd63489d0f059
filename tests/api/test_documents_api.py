"""Documents on an enquiry or a concern through the API: their metadata listed as the pages' access rule
allows, and their content served only as the pages serve it — scanned clean by a real ClamAV daemon
(tests/documents/clamd.py), never while it waits for its scan, never with a virus found — each download
recorded as the pages record one."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.documents import tasks
from msp_cases.documents.models import Document
from msp_cases.documents.services import Upload, document_remove, document_upload
from tests.api.test_reads import VISIBLE
from tests.documents import clamd

# The documents' tests' own real ClamAV daemons (tests/documents/clamd.py), as fixtures here too.
clamd_daemon = clamd.clamd_daemon
private_clamd = clamd.private_clamd
EICAR = clamd.EICAR

pytestmark = pytest.mark.django_db

LETTER = b"Letter from the GP: medication reviewed on 3 March.\n"
Status = Document.ScanStatus


@pytest.fixture
def add(world, django_capture_on_commit_callbacks):
    """Add a text file to a case's concern or enquiry as its lead practitioner does on the page, and run
    what the upload queued after commit (the virus scan, eagerly)."""

    def upload(case: str = "north", *, to: str = "enquiry", content: bytes = LETTER, name="letter.txt"):
        _, concern, enquiry = world.cases[case]
        record = enquiry if to == "enquiry" else concern
        with django_capture_on_commit_callbacks(execute=True):
            [document] = document_upload(
                actor=Actor.of(enquiry.lead_practitioner),
                record=record,
                uploads=[Upload(name=name, file=SimpleUploadedFile(name, content))],
                title="Letter from the GP",
                kind=Document.Kind.LETTER,
            )
        document.refresh_from_db()
        return document

    return upload


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def _content(client, document):
    response = client.get(f"/api/v1/documents/{document.pk}/content/")
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response, body


@pytest.mark.parametrize("team", sorted(VISIBLE))
@pytest.mark.parametrize("case", ["north", "south", "south_allocated_to_north", "restricted_north"])
@pytest.mark.parametrize("to", ["enquiry", "concern"])
def test_a_client_lists_and_reads_the_documents_its_teams_may_read(
    world, partner, add, settings, team, case, to
):
    settings.CLAMAV_URL = ""  # no scanner: "not scanned", which the pages serve too
    document = add(case, to=to)
    _, concern, enquiry = world.cases[case]
    record = f"enquiries/{enquiry.pk}" if to == "enquiry" else f"concerns/{concern.pk}"
    client = partner(["cases:read"], [team] if team else [])
    listed = client.get(f"/api/v1/{record}/documents/")
    response, body = _content(client, document)
    if case in VISIBLE[team]:
        assert [d["id"] for d in listed.json()["results"]] == [document.pk]
        assert response.status_code == 200 and body == LETTER
    else:
        _problem(listed, 404)
        _problem(response, 404)
        assert b"Letter from the GP" not in listed.content + body


def test_the_metadata_says_name_type_size_scan_state_and_when(world, partner, add, settings):
    settings.CLAMAV_URL = ""
    document = add()
    _, _, enquiry = world.cases["north"]
    [listed] = partner(["cases:read"]).get(f"/api/v1/enquiries/{enquiry.pk}/documents/").json()["results"]
    assert listed["name"] == "letter.txt" and listed["type"] == "text/plain"
    assert listed["size"] == len(LETTER) and listed["kind"] == "letter"
    assert listed["scan_status"] == "not_scanned" and listed["servable"] is True
    assert listed["uploaded_at"] and listed["content"] == f"/api/v1/documents/{document.pk}/content/"


def test_a_document_removed_in_error_is_neither_listed_nor_served(world, partner, add, settings):
    settings.CLAMAV_URL = ""
    document = add()
    document_remove(
        actor=Actor.of(world.users["practitioner_north"]), document=document, reason="Wrong person"
    )
    client = partner(["cases:read"])
    _, _, enquiry = world.cases["north"]
    assert client.get(f"/api/v1/enquiries/{enquiry.pk}/documents/").json()["results"] == []
    _problem(_content(client, document)[0], 404)


def test_a_file_scanned_clean_is_served_and_recorded_as_a_download(
    world, partner, add, settings, clamd_daemon
):
    settings.CLAMAV_URL = clamd_daemon.unix_url
    document = add()
    assert document.scan_status == Status.CLEAN
    client = partner(["cases:read"])
    response, body = _content(client, document)
    assert response.status_code == 200 and body == LETTER
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == 'attachment; filename="letter.txt"'
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    [event] = AccessEvent.objects.filter(user=client.client.user)
    assert (event.action, event.object_id, event.person_id) == (
        AccessEvent.Action.DOWNLOAD,
        document.pk,
        world.cases["north"][0].pk,
    )


def test_a_file_with_a_virus_is_never_served(world, partner, add, settings, clamd_daemon):
    settings.CLAMAV_URL = clamd_daemon.unix_url
    document = add(content=EICAR, name="notes.txt")
    assert document.scan_status == Status.INFECTED
    client = partner(["cases:read"])
    response, body = _content(client, document)
    problem = _problem(response, 409)
    assert problem["scan_status"] == "infected" and "virus was found" in problem["detail"]
    assert EICAR not in body
    # Listed, so a partner's system knows it is there, and that it cannot be read.
    _, _, enquiry = world.cases["north"]
    [listed] = client.get(f"/api/v1/enquiries/{enquiry.pk}/documents/").json()["results"]
    assert listed["scan_status"] == "infected" and listed["servable"] is False
    assert not AccessEvent.objects.filter(
        user=client.client.user, action=AccessEvent.Action.DOWNLOAD
    ).exists()


def test_a_file_waiting_for_its_scan_is_refused_until_it_is_scanned_clean(
    world, partner, add, settings, private_clamd
):
    settings.CLAMAV_URL = private_clamd.unix_url
    private_clamd.stop()  # the scanner away: the upload is kept, waiting
    document = add()
    assert document.scan_status == Status.AWAITING_SCAN
    client = partner(["cases:read"])
    response, body = _content(client, document)
    problem = _problem(response, 409)
    assert problem["scan_status"] == "awaiting_scan" and "waiting for a virus scan" in problem["detail"]
    assert int(response["Retry-After"]) > 0 and LETTER not in body
    private_clamd.start()
    # The periodic rescan, as beat runs it a few minutes later.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        tasks.rescan_waiting()
    response, body = _content(client, document)
    assert response.status_code == 200 and body == LETTER


def test_the_content_is_sent_whatever_the_client_accepts(world, partner, add, settings):
    settings.CLAMAV_URL = ""
    document = add()
    client = partner(["cases:read"])
    response = client.http.get(
        f"/api/v1/documents/{document.pk}/content/", HTTP_ACCEPT="application/octet-stream"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("scopes", [["people:read"], ["cases:write", "reports:read", "referrals:write"]])
def test_documents_need_cases_read(world, partner, add, settings, scopes):
    settings.CLAMAV_URL = ""
    document = add()
    client = partner(scopes)
    _problem(client.get(f"/api/v1/enquiries/{world.cases['north'][2].pk}/documents/"), 403)
    _problem(_content(client, document)[0], 403)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_document_cannot_be_changed_through_the_api(world, partner, add, settings, method):
    settings.CLAMAV_URL = ""
    document = add()
    client = partner(["cases:read", "cases:write"])
    url = f"/api/v1/documents/{document.pk}/content/"
    _problem(getattr(client.http, method)(url, "{}", content_type="application/json"), 405)
    assert Document.objects.get(pk=document.pk).removed_at is None


def test_a_page_of_documents_costs_the_same_queries_whatever_it_holds(world, partner, add, settings):
    settings.CLAMAV_URL = ""
    _, _, enquiry = world.cases["north"]
    client = partner(["cases:read"])
    url = f"/api/v1/enquiries/{enquiry.pk}/documents/"
    counts = []
    for _ in range(2):
        add()
        add()
        client.get(url)  # the client's permissions and teams read once, as for any first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts  # two documents cost what four do


def test_a_file_the_scanner_could_not_check_is_never_served(world, partner, add, settings):
    """Three errors from clamd end in "scan failed" (docs/documents.md): never served, as on the pages."""
    settings.CLAMAV_URL = ""
    document = add()
    Document.objects.filter(pk=document.pk).update(scan_status=Status.SCAN_FAILED)
    response, body = _content(partner(["cases:read"]), document)
    problem = _problem(response, 409)
    assert problem["scan_status"] == "scan_failed" and "never served" in problem["detail"]
    assert LETTER not in body and "Retry-After" not in response
