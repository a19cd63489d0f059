"""Exports on a real worker through Redis: end to end, a worker killed mid-export, and Redis down."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from msp_cases.exports.models import Export
from msp_cases.exports.tasks import requeue_unsent
from tests.brokers import use_broker

from .conftest import wait_for

pytestmark = pytest.mark.integration


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _request_case_summary(client: Client, enquiry):
    return client.post(
        reverse("exports:request"), {"kind": "case_summary", "enquiry": enquiry.pk}, follow=True
    )


def _status(export: Export) -> str:
    export.refresh_from_db()
    return export.status


def _files_for(export: Export) -> list[Path]:
    return list(Path(settings.EXPORTS_ROOT).rglob(f"{export.pk}*"))


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "download.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_case_summary_is_rendered_by_the_worker_and_downloaded(world, worker_factory, tmp_path):
    worker_factory()
    user = world.users["practitioner_north"]
    client = _signed_in(user)
    _person, _concern, enquiry = world.cases["north"]

    response = _request_case_summary(client, enquiry)
    assert response.status_code == 200
    export = Export.objects.get(requested_by=user)
    assert export.enqueued_at is not None  # the broker took it; the request did not render anything

    wait_for(lambda: _status(export) == Export.Status.READY, timeout=90, what="the worker to render the PDF")
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert download.status_code == 200
    text = _pdf_text(b"".join(download.streaming_content), tmp_path)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Casename-north" in text  # the case it is about
    assert re.search(r"Page 1 of \d+", text)
    assert _files_for(export) and len(_files_for(export)) == 1


def test_a_worker_killed_mid_export_runs_it_again_and_one_export_results(world, worker_factory):
    # The test hook holds the render for a few seconds after the row is claimed, so the kill lands mid-export.
    worker = worker_factory(env={"EXPORTS_TEST_RENDER_DELAY_SECONDS": 4})
    user = world.users["practitioner_north"]
    _person, _concern, enquiry = world.cases["north"]
    _request_case_summary(_signed_in(user), enquiry)
    export = Export.objects.get(requested_by=user)

    wait_for(lambda: _status(export) == Export.Status.RENDERING, timeout=60, what="rendering to start")
    worker.kill_child()  # SIGKILL the pool process, as the OOM killer would

    wait_for(
        lambda: _status(export) == Export.Status.READY, timeout=90, what="the export to be rendered again"
    )
    assert "WorkerLostError" in worker.output() or "Process" in worker.output()
    assert export.attempts == 2  # claimed twice: once by the killed process, once after redelivery
    assert len(_files_for(export)) == 1  # exactly one file, one export row
    assert Export.objects.filter(requested_by=user).count() == 1


def test_with_redis_down_pages_work_and_the_export_is_kept_until_it_is_back(
    world, worker_factory, private_redis, tmp_path
):
    use_broker(private_redis.url)
    private_redis.stop()  # Redis is down
    user = world.users["practitioner_north"]
    client = _signed_in(user)
    _person, _concern, enquiry = world.cases["north"]

    # Pages and saving keep working.
    assert client.get(enquiry.get_absolute_url()).status_code == 200
    response = _request_case_summary(client, enquiry)
    assert response.status_code == 200
    page = response.content.decode()
    assert "when the service is back" in page or "will be processed" in page
    export = Export.objects.get(requested_by=user)
    assert export.status == Export.Status.QUEUED and export.enqueued_at is None  # saved, not lost

    # Redis comes back; a worker starts; the requeue job (beat, every 5 minutes) sends what was kept.
    private_redis.start()
    use_broker(private_redis.url)
    worker_factory(broker=private_redis.url)
    assert requeue_unsent() == 1
    wait_for(
        lambda: _status(export) == Export.Status.READY, timeout=90, what="the kept export to be rendered"
    )
    assert len(_files_for(export)) == 1
    assert os.path.getsize(_files_for(export)[0]) == export.size
