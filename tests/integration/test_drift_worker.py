"""The anti-drift scan end to end through Redis and a real worker: reminders raised once, emailed once."""

import datetime

import pytest
from django.utils import timezone

from enquiries.models import DriftRule, Reminder
from msp_cases.notifications.models import Notification

from .conftest import finished, wait_for

pytestmark = pytest.mark.integration


def _drifting(world):
    """North's enquiry: the next contact agreed with the person was ten days ago, and nothing since."""
    _person, _concern, enquiry = world.cases["north"]
    enquiry.next_contact_on = timezone.localdate() - datetime.timedelta(days=10)
    enquiry.save(update_fields=["next_contact_on"])
    return enquiry


def _mail(tmp_path) -> list[str]:
    folder = tmp_path / "mail"
    return [p.read_text() for p in sorted(folder.glob("*.log"))] if folder.exists() else []


def test_scan_on_the_worker_reminds_the_lead_once_and_emails_only_a_link(world, worker_factory, tmp_path):
    from enquiries.tasks import scan_drift

    enquiry = _drifting(world)
    worker = worker_factory()

    scan_drift.delay()
    reminder = wait_for(
        lambda: Reminder.objects.filter(rule=DriftRule.NEXT_CONTACT, enquiry=enquiry).first(),
        timeout=60,
        what="the worker's scan to raise the reminder",
    )
    assert reminder.recipient == world.users["practitioner_north"]
    notification = wait_for(
        lambda: Notification.objects.filter(
            reminder=reminder, email_state=Notification.EmailState.SENT
        ).first(),
        timeout=60,
        what="the reminder's email to be sent by the worker",
    )
    assert notification.user == world.users["practitioner_north"]

    # Two more scans at once, as two beat runs would: nothing new, nothing sent twice.
    scan_drift.delay()
    scan_drift.delay()
    wait_for(
        lambda: finished(worker, "enquiries.scan_drift") == 3,
        timeout=60,
        what="the three scans to finish",
    )
    assert Reminder.objects.filter(rule=DriftRule.NEXT_CONTACT, enquiry=enquiry).count() == 1
    assert Notification.objects.filter(reminder=reminder).count() == 1
    mails = _mail(tmp_path)
    assert len(mails) == 1
    # Sensitive data: the email carries a link, never the person's name.
    assert "/notifications/" in mails[0]
    assert "Casename-north" not in mails[0] and "Given-north" not in mails[0]
