"""Virus scanning by a real ClamAV daemon (tests/documents/clamd.py), through the upload service and the
document's pages: a clean PDF becomes downloadable; the EICAR test file is caught, kept, never served, and
the uploader and the unit told; with clamd stopped files wait, unserved, and are scanned when it is back,
none lost; without CLAMAV_URL files are "not scanned" and the page says so.

Tasks run eagerly here (the test settings), as the upload's after-commit hook would run them on a worker;
tests/integration/test_documents_scanning_worker.py runs the same through a real Celery worker."""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from msp_cases.core.actor import Actor
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents import scanner, scanning, tasks
from msp_cases.documents.models import Document
from msp_cases.documents.services import Upload, document_upload
from msp_cases.notifications.models import Notification
from tests.brokers import restore_broker, use_broker

from .clamd import EICAR, EICAR_SIGNATURE, Clamd

pytestmark = pytest.mark.django_db

Status = Document.ScanStatus


@pytest.fixture(scope="module")
def clean_pdf() -> bytes:
    return html_to_pdf("<h1>Letter from the GP</h1><p>Medication reviewed on 3 March.</p>", base_url="/")


@pytest.fixture
def upload(world, django_capture_on_commit_callbacks):
    """Add a file to North's concern as North's practitioner, as the page does, and run what the upload
    queued after commit (the scan task, eagerly)."""

    def add(name: str, content: bytes, *, title: str = "Letter from the GP") -> Document:
        _person, concern, _enquiry = world.cases["north"]
        with django_capture_on_commit_callbacks(execute=True):
            [document] = document_upload(
                actor=Actor.of(world.users["practitioner_north"]),
                record=concern,
                uploads=[Upload(name=name, file=SimpleUploadedFile(name, content))],
                title=title,
                kind=Document.Kind.LETTER,
            )
        document.refresh_from_db()
        return document

    return add


@pytest.fixture
def scanning_by(settings):
    """Point CLAMAV_URL at a daemon (its Unix socket unless told otherwise)."""

    def use(daemon: Clamd, *, tcp: bool = False) -> None:
        settings.CLAMAV_URL = daemon.tcp_url if tcp else daemon.unix_url

    return use


def _download(client, document: Document):
    response = client.get(reverse("documents:download", args=[document.pk]))
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response.status_code, body


def _page(client, document: Document) -> str:
    response = client.get(reverse("documents:detail", args=[document.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _stored(document: Document) -> bytes:
    return (Path(settings.DOCUMENTS_ROOT) / document.file.name).read_bytes()


def _rescan_later(minutes: int = 10) -> int:
    """The periodic task, run as beat would a few minutes after the uploads."""
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
        return tasks.rescan_waiting()


# ---- The client against the real daemon ------------------------------------------------------------------


@pytest.mark.parametrize("tcp", [False, True], ids=["unix socket", "tcp"])
def test_clamd_finds_eicar_and_passes_a_pdf_by_either_url(clamd_daemon, scanning_by, clean_pdf, tcp):
    scanning_by(clamd_daemon, tcp=tcp)
    assert scanner.ping()
    assert scanner.scan(io.BytesIO(clean_pdf)) == scanner.Clean()
    verdict = scanner.scan(io.BytesIO(EICAR))
    assert isinstance(verdict, scanner.Infected)
    assert verdict.name.startswith(EICAR_SIGNATURE)
    # Anywhere in a file, not only on its own: a PDF carrying it is caught too.
    assert isinstance(scanner.scan(io.BytesIO(clean_pdf + EICAR)), scanner.Infected)


def test_no_daemon_at_the_url_is_unavailable_not_clean(settings, tmp_path):
    settings.CLAMAV_URL = f"unix://{tmp_path}/no-clamd.sock"
    assert not scanner.ping()
    with pytest.raises(scanner.ScannerUnavailable):
        scanner.scan(io.BytesIO(b"anything"))


@pytest.mark.parametrize("url", ["clamav:3310", "http://clamav:3310", "tcp://clamav", "unix://"])
def test_a_malformed_clamav_url_is_refused_plainly(url):
    with pytest.raises(ImproperlyConfigured, match="CLAMAV_URL must be"):
        scanner.client_for(url)


def test_a_file_larger_than_clamd_accepts_is_a_scan_error_not_an_outage(settings):
    daemon = Clamd(stream_max_length="1M").start()
    try:
        settings.CLAMAV_URL = daemon.unix_url
        with pytest.raises(scanner.ScanError):
            scanner.scan(io.BytesIO(b"a" * (3 * 1024 * 1024)))
        assert scanner.ping()  # clamd refused that file and is still there
    finally:
        daemon.close()


# ---- End to end: upload, scan, serve or refuse -----------------------------------------------------------


def test_a_clean_pdf_becomes_downloadable(clamd_daemon, scanning_by, upload, clean_pdf, practitioner_client):
    scanning_by(clamd_daemon)
    document = upload("gp-letter.pdf", clean_pdf)
    assert document.scan_status == Status.CLEAN
    assert document.scanned_at is not None
    assert _download(practitioner_client, document) == (200, clean_pdf)
    assert "Scanned: no virus found" in _page(practitioner_client, document)


def test_the_eicar_file_is_caught_kept_and_never_served(
    clamd_daemon, scanning_by, upload, world, practitioner_client, unit_client, mailoutbox
):
    scanning_by(clamd_daemon)
    document = upload("eicar.txt", EICAR, title="Provider incident report")

    assert document.scan_status == Status.INFECTED
    assert document.scan_detail.startswith(EICAR_SIGNATURE)  # for unit staff and the logs
    for client in (practitioner_client, unit_client):
        assert _download(client, document)[0] == 404
        assert client.get(reverse("documents:view", args=[document.pk])).status_code == 404
        assert "A virus was found" in _page(client, document)
    assert _stored(document) == EICAR  # kept, for whoever must look into it

    told = Notification.objects.filter(kind=Notification.Kind.DOCUMENT_SCAN)
    by_user = {n.user_id: n for n in told}
    uploader, unit, lead = world.users["practitioner_north"], world.users["unit"], world.users["unit_lead"]
    assert set(by_user) == {uploader.pk, unit.pk, lead.pk}  # not South, not North's manager
    assert by_user[uploader.pk].message == scanning.MESSAGE_INFECTED_UPLOADER
    assert by_user[unit.pk].message == scanning.MESSAGE_INFECTED_UNIT
    assert {n.url for n in told} == {reverse("documents:detail", args=[document.pk])}
    # Neither the file's name, its title nor anything of the case reaches a notification or an email.
    words = [n.message for n in told] + [m.subject + m.body for m in mailoutbox]
    for secret in ("eicar", "Provider incident report", "Casename-north", "Given-north", EICAR_SIGNATURE):
        assert not any(secret.lower() in text.lower() for text in words)
    assert len(mailoutbox) == 3


def test_a_restricted_persons_infected_document_is_told_to_unit_leads_only(
    clamd_daemon, scanning_by, world, django_capture_on_commit_callbacks
):
    scanning_by(clamd_daemon)
    _person, concern, _enquiry = world.cases["restricted_north"]
    with django_capture_on_commit_callbacks(execute=True):
        document_upload(
            actor=Actor.of(world.users["manager_north"]),
            record=concern,
            uploads=[Upload(name="eicar.txt", file=SimpleUploadedFile("eicar.txt", EICAR))],
            title="Report",
            kind=Document.Kind.REPORT,
        )
    told = set(
        Notification.objects.filter(kind=Notification.Kind.DOCUMENT_SCAN).values_list("user_id", flat=True)
    )
    assert told == {world.users["manager_north"].pk, world.users["unit_lead"].pk}


def test_scanning_again_changes_nothing_and_tells_nobody_twice(clamd_daemon, scanning_by, upload):
    scanning_by(clamd_daemon)
    document = upload("eicar.txt", EICAR)
    told = Notification.objects.count()

    assert tasks.scan.apply(args=[document.pk]).get() == "already_done"  # a re-delivered message
    assert _rescan_later() == 0  # nothing is waiting
    document.refresh_from_db()
    assert (document.scan_status, document.scan_attempts) == (Status.INFECTED, 1)
    assert Notification.objects.count() == told


# ---- clamd stopped, and back -------------------------------------------------------------------------------


def test_with_clamd_stopped_files_wait_unserved_and_are_scanned_when_it_is_back(
    private_clamd, scanning_by, upload, clean_pdf, practitioner_client
):
    scanning_by(private_clamd)
    private_clamd.stop()

    pdf = upload("gp-letter.pdf", clean_pdf)
    infected = upload("eicar.txt", EICAR)
    for document in (pdf, infected):
        assert (document.scan_status, document.scan_attempts) == (Status.AWAITING_SCAN, 0)
        assert _download(practitioner_client, document)[0] == 404
        assert "Waiting for a virus scan" in _page(practitioner_client, document)

    # The periodic task while clamd is still away: they go on waiting; no attempt is used up.
    assert _rescan_later(minutes=5) == 2
    assert set(Document.objects.values_list("scan_status", "scan_attempts")) == {(Status.AWAITING_SCAN, 0)}

    private_clamd.start()
    assert _rescan_later(minutes=10) == 2
    pdf.refresh_from_db()
    infected.refresh_from_db()
    assert pdf.scan_status == Status.CLEAN
    assert infected.scan_status == Status.INFECTED
    assert _download(practitioner_client, pdf) == (200, clean_pdf)
    assert _download(practitioner_client, infected)[0] == 404
    # Nothing lost: both files are still there, each scanned once.
    assert Document.objects.count() == 2
    assert _stored(pdf) == clean_pdf and _stored(infected) == EICAR
    assert _rescan_later(minutes=15) == 0


def test_with_the_broker_down_an_upload_waits_and_is_scanned_once_it_is_back(
    clamd_daemon, scanning_by, upload, clean_pdf, practitioner_client
):
    from msp_cases.celery import app

    scanning_by(clamd_daemon)
    saved_eager = app.conf.task_always_eager
    use_broker("redis://127.0.0.1:6390/0")  # nothing listens there: Redis down, tasks not eager
    try:
        document = upload("gp-letter.pdf", clean_pdf)  # the upload is kept; its scan could not be queued
        assert (document.scan_status, _download(practitioner_client, document)[0]) == (
            Status.AWAITING_SCAN,
            404,
        )
        assert _rescan_later() == 0  # still down: left for the next run
    finally:
        restore_broker(eager=saved_eager)
    assert _rescan_later() == 1
    document.refresh_from_db()
    assert document.scan_status == Status.CLEAN
    assert _download(practitioner_client, document) == (200, clean_pdf)


def test_a_file_clamd_cannot_scan_is_asked_again_then_scan_failed(
    settings, upload, world, practitioner_client
):
    daemon = Clamd(stream_max_length="1M").start()
    try:
        settings.CLAMAV_URL = daemon.unix_url
        document = upload("notes.txt", b"Case notes.\n" * 200_000)  # 2.4 MB, over this clamd's 1 MB
        assert (document.scan_status, document.scan_attempts) == (Status.AWAITING_SCAN, 1)
        for minutes in range(5, 5 * scanning.MAX_ATTEMPTS, 5):
            _rescan_later(minutes=minutes)
        document.refresh_from_db()
    finally:
        daemon.close()
    assert (document.scan_status, document.scan_attempts) == (Status.SCAN_FAILED, scanning.MAX_ATTEMPTS)
    assert _download(practitioner_client, document)[0] == 404
    assert "Virus scan failed" in _page(practitioner_client, document)
    [told] = Notification.objects.filter(kind=Notification.Kind.DOCUMENT_SCAN)
    assert (told.user_id, told.message) == (
        world.users["practitioner_north"].pk,
        scanning.MESSAGE_SCAN_FAILED,
    )


def test_a_stored_file_that_cannot_be_read_ends_scan_failed_not_clean(
    clamd_daemon, settings, scanning_by, upload, tmp_path, clean_pdf
):
    settings.CLAMAV_URL = f"unix://{tmp_path}/no-clamd.sock"  # waits first
    document = upload("gp-letter.pdf", clean_pdf)
    (Path(settings.DOCUMENTS_ROOT) / document.file.name).unlink()
    scanning_by(clamd_daemon)
    for minutes in range(5, 5 * (scanning.MAX_ATTEMPTS + 1), 5):
        _rescan_later(minutes=minutes)
    document.refresh_from_db()
    assert (document.scan_status, document.scan_detail) == (
        Status.SCAN_FAILED,
        "the stored file could not be read",
    )


# ---- No scanner configured (make run) --------------------------------------------------------------------


def test_without_clamav_url_files_are_not_scanned_and_the_page_says_so(
    settings, upload, clean_pdf, practitioner_client
):
    settings.CLAMAV_URL = ""
    document = upload("gp-letter.pdf", clean_pdf)
    assert document.scan_status == Status.NOT_SCANNED
    assert _download(practitioner_client, document) == (200, clean_pdf)
    assert "Not scanned for viruses" in _page(practitioner_client, document)
    assert _rescan_later() == 0  # nothing waits for a scanner that does not exist
