"""Virus scanning through a real Celery worker and a real clamd (tests/documents/clamd.py): the upload's
after-commit hook publishes `documents.scan` to Redis, the worker streams the file to clamd and records the
verdict; with clamd stopped the worker leaves the file waiting and the periodic task has it scanned once
clamd is back."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from msp_cases.core.actor import Actor
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents import tasks
from msp_cases.documents.models import Document
from msp_cases.documents.services import Upload, document_upload
from msp_cases.notifications.models import Notification
from tests.documents import clamd
from tests.documents.clamd import EICAR, EICAR_SIGNATURE

from .conftest import wait_for

pytestmark = pytest.mark.integration

# The real daemon's fixtures (tests/documents/conftest.py offers them to the documents' tests only).
clamd_daemon = clamd.clamd_daemon
private_clamd = clamd.private_clamd

Status = Document.ScanStatus


def _upload(world, name: str, content: bytes) -> Document:
    _person, concern, _enquiry = world.cases["north"]
    [document] = document_upload(
        actor=Actor.of(world.users["practitioner_north"]),
        record=concern,
        uploads=[Upload(name=name, file=SimpleUploadedFile(name, content))],
        title="Letter from the GP",
        kind=Document.Kind.LETTER,
    )
    return document


def _status(document: Document) -> str:
    document.refresh_from_db()
    return document.scan_status


def _download_status(world, document: Document) -> int:
    client = Client()
    client.force_login(world.users["practitioner_north"])
    return client.get(reverse("documents:download", args=[document.pk])).status_code


def test_the_worker_passes_a_clean_pdf_and_catches_the_eicar_file(
    world, worker_factory, clamd_daemon, settings
):
    settings.CLAMAV_URL = clamd_daemon.tcp_url
    worker_factory(env={"CLAMAV_URL": clamd_daemon.tcp_url})
    pdf = _upload(world, "gp-letter.pdf", html_to_pdf("<p>Medication reviewed.</p>", base_url="/"))
    infected = _upload(world, "eicar.txt", EICAR)

    wait_for(lambda: _status(pdf) == Status.CLEAN, timeout=60, what="the worker to scan the PDF")
    wait_for(lambda: _status(infected) == Status.INFECTED, timeout=60, what="the worker to catch EICAR")
    assert infected.scan_detail.startswith(EICAR_SIGNATURE)
    assert _download_status(world, pdf) == 200
    assert _download_status(world, infected) == 404
    told = set(
        Notification.objects.filter(kind=Notification.Kind.DOCUMENT_SCAN).values_list("user", flat=True)
    )
    assert told == {world.users[name].pk for name in ("practitioner_north", "unit", "unit_lead")}


def test_with_clamd_stopped_the_worker_leaves_files_waiting_until_it_is_back(
    world, worker_factory, private_clamd, settings
):
    settings.CLAMAV_URL = private_clamd.unix_url
    worker = worker_factory(env={"CLAMAV_URL": private_clamd.unix_url})
    private_clamd.stop()
    pdf = _upload(world, "gp-letter.pdf", html_to_pdf("<p>Medication reviewed.</p>", base_url="/"))

    wait_for(
        lambda: f"Document {pdf.pk} waits" in worker.output(),
        timeout=60,
        what="the worker to find clamd away",
    )
    assert (_status(pdf), pdf.scan_attempts) == (Status.AWAITING_SCAN, 0)
    assert _download_status(world, pdf) == 404

    private_clamd.start()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        assert tasks.rescan_waiting() == 1  # beat's run: published to the worker
    wait_for(
        lambda: _status(pdf) == Status.CLEAN, timeout=60, what="the worker to scan it once clamd is back"
    )
    assert _download_status(world, pdf) == 200
    assert Document.objects.count() == 1
