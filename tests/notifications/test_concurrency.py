"""Two workers, one email: while one worker holds a notification's row (sending it), another finds nothing to
send, and once the first is done there is still exactly one email. Row locks need PostgreSQL (SQLite has
no SELECT ... FOR UPDATE and runs one writer at a time anyway); CI runs the suite on PostgreSQL."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from msp_cases.notifications import tasks
from msp_cases.notifications.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keeps the roles a flush would remove
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (FOR UPDATE SKIP LOCKED) need PostgreSQL"
    ),
]


def test_a_second_worker_skips_the_email_another_worker_is_sending(world):
    notification = Notification.objects.create(
        user=world.users["practitioner_north"],
        kind=Notification.Kind.EXPORT_READY,
        message="Your file is ready",
        url="/exports/",
        created_at=timezone.now(),
    )
    locked, release = threading.Event(), threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=notification.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert tasks.send_email.delay(notification.pk).get() is False  # skipped, not waiting, not sending
        tasks.send_pending_emails.delay()
        assert mail.outbox == []
    finally:
        release.set()
        thread.join(timeout=30)

    assert tasks.send_email.delay(notification.pk).get() is True
    assert tasks.send_email.delay(notification.pk).get() is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT
