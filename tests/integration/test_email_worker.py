"""A mail server that is down: the worker retries with backoff, the reminder's email stays pending (not lost,
not sent twice), and once mail works again it goes exactly once."""

import datetime

import pytest
from django.utils import timezone

from enquiries.services.drift import drift_scan
from msp_cases.notifications.models import Notification
from msp_cases.notifications.tasks import send_pending_emails

from .conftest import finished, free_port, wait_for

pytestmark = pytest.mark.integration


def test_smtp_failing_keeps_the_email_pending_then_it_is_sent_once(world, worker_factory, tmp_path):
    _person, _concern, enquiry = world.cases["north"]
    enquiry.next_contact_on = timezone.localdate() - datetime.timedelta(days=10)
    enquiry.save(update_fields=["next_contact_on"])

    # A real SMTP client against a port where nothing listens: every send is refused.
    refused = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{free_port()}",
    }
    failing = worker_factory(env=refused)
    drift_scan()  # raises the reminder; its notification queues the email after commit
    notification = Notification.objects.get(user=world.users["practitioner_north"])

    def tried_twice():
        notification.refresh_from_db()
        return notification.email_attempts >= 2

    wait_for(tried_twice, timeout=60, what="the worker to try, fail and retry with backoff")
    assert notification.email_state == Notification.EmailState.PENDING
    # Celery's autoretry scheduled the next attempt: said in the worker's JSON log (django-structlog).
    assert '"event": "task_retrying"' in failing.output()
    failing.stop()

    # Mail works again: the catch-up job (beat, every ten minutes) sends it, once, whatever retries were left.
    worker = worker_factory()
    send_pending_emails.delay()

    def sent():
        notification.refresh_from_db()
        return notification.email_state == Notification.EmailState.SENT

    wait_for(sent, timeout=60, what="the email to go once mail works")
    send_pending_emails.delay()
    wait_for(
        lambda: finished(worker, "notifications.send_pending_emails") == 2,
        timeout=30,
        what="the second catch-up run to finish",
    )
    mails = list((tmp_path / "mail").glob("*.log"))
    assert len(mails) == 1
    assert Notification.objects.filter(reminder=notification.reminder).count() == 1
