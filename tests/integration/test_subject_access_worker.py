"""A subject access pack made by a real Celery worker through Redis: the unit lead asks, the worker renders
the ZIP, the lead downloads it and its index says on the first page that it must be reviewed."""

import io
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from enquiries.models import NetworkMember
from msp_cases.exports.models import Export
from msp_cases.subject_access.models import SubjectAccessRequest

from .conftest import wait_for

pytestmark = pytest.mark.integration


def test_a_pack_is_made_by_the_worker_and_downloaded(world, worker_factory):
    worker_factory()
    person = world.cases["north"][0]
    NetworkMember.objects.create(person=person, name="Sam Okafor", relationship="friend")
    client = Client()
    client.force_login(world.users["unit_lead"])
    response = client.post(
        reverse("subject_access:new", args=[person.pk]),
        {
            "reference": "SAR-7",
            "received_on_0": "1",
            "received_on_1": "12",
            "received_on_2": "2026",
            "reason": "Letter from the person",
        },
    )
    assert response.status_code == 302
    export = SubjectAccessRequest.objects.get().export
    assert export.enqueued_at is not None  # the broker took it; the request rendered nothing

    def ready():
        export.refresh_from_db()
        return export.status == Export.Status.READY

    wait_for(ready, timeout=120, what="the worker to make the pack")
    download = client.get(reverse("exports:download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    index = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-", "-"],
        input=archive.read("index.pdf"),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "must be reviewed before release" in " ".join(index.split())
    assert "Sam Okafor [Third party: review before release]" in " ".join(
        subprocess.run(
            ["pdftotext", "-", "-"], input=archive.read("record.pdf"), capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
