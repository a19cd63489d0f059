"""Two workers, one per queue, as docker-compose.yml runs them: a burst of long exports does not delay a
reminder. The long worker is kept busy (each export held 20 seconds by the test hook) with more exports
waiting behind it; the drift scan, queued after them, still raises its reminder within seconds."""

import datetime
import os
import signal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enquiries.models import DriftRule, Reminder
from msp_cases.exports.models import Export

from .conftest import wait_for

pytestmark = pytest.mark.integration

HELD_SECONDS = 20


def test_a_burst_of_exports_does_not_delay_a_reminder(world, worker_factory):
    from enquiries.tasks import scan_drift

    long_worker = worker_factory(
        args=("-Q", "long", "-O", "fair", "--prefetch-multiplier", "1"),
        env={"EXPORTS_TEST_RENDER_DELAY_SECONDS": HELD_SECONDS},
    )
    worker_factory(args=("-Q", "interactive", "--prefetch-multiplier", "4"))
    practitioner = world.users["practitioner_north"]
    _person, _concern, enquiry = world.cases["north"]
    enquiry.next_contact_on = timezone.localdate() - datetime.timedelta(days=10)
    enquiry.save(update_fields=["next_contact_on"])

    client = Client()
    client.force_login(practitioner)
    for _ in range(3):
        client.post(reverse("exports:request"), {"kind": "case_summary", "enquiry": enquiry.pk})
    exports = Export.objects.filter(requested_by=practitioner)
    assert exports.count() == 3 and all(e.enqueued_at for e in exports)  # on the long queue
    wait_for(
        lambda: exports.filter(status=Export.Status.RENDERING).exists(),
        timeout=60,
        what="the long worker to start an export",
    )

    scan_drift.delay()
    reminder = wait_for(
        lambda: Reminder.objects.filter(rule=DriftRule.NEXT_CONTACT, enquiry=enquiry).first(),
        timeout=HELD_SECONDS - 5,
        what="the reminder, while the exports are still being prepared",
    )

    assert reminder.recipient == practitioner
    assert not exports.filter(status=Export.Status.READY).exists()
    assert exports.filter(status=Export.Status.QUEUED).count() == 2  # still waiting their turn
    # Cold shutdown: no need to wait for the held export to finish.
    os.killpg(long_worker.process.pid, signal.SIGQUIT)
