"""A task a worker retries is counted as retried, by task name, where /metrics reads it: a document whose
scan finds clamd unreachable is asked again later (documents.scan retries), and the next scrape says so."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from msp_cases.core.actor import Actor
from msp_cases.documents.models import Document
from msp_cases.documents.services import Upload, document_upload

from .conftest import free_port, wait_for

pytestmark = pytest.mark.integration

TOKEN = "a-long-random-metrics-token-for-the-tests-0123456789"


def _retried_scans() -> float:
    text = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "msp_cases_celery_tasks_total" and sample.labels == {
                "task": "documents.scan",
                "outcome": "retried",
            }:
                return sample.value
    return 0.0


def test_a_retried_task_is_counted(world, worker_factory, settings):
    settings.METRICS_TOKEN = TOKEN
    nobody_listens = f"tcp://127.0.0.1:{free_port()}"
    settings.CLAMAV_URL = nobody_listens
    before = _retried_scans()
    worker_factory(args=("-Q", "long"), env={"CLAMAV_URL": nobody_listens})
    _person, concern, _enquiry = world.cases["north"]
    [document] = document_upload(
        actor=Actor.of(world.users["practitioner_north"]),
        record=concern,
        uploads=[Upload(name="note.txt", file=SimpleUploadedFile("note.txt", b"Seen at home today."))],
        title="Visit note",
        kind=Document.Kind.LETTER,
    )
    wait_for(lambda: _retried_scans() == before + 1, timeout=60, what="the retry to be counted", every=0.5)
    document.refresh_from_db()
    assert document.scan_status == Document.ScanStatus.AWAITING_SCAN  # never served meanwhile
