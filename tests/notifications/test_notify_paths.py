"""`notify` writes the same notifications whichever way it inserts them: on PostgreSQL one INSERT from arrays
(a column each, ON CONFLICT DO NOTHING, RETURNING to count), elsewhere bulk_create. The drift scan's first run
at 1,000,000 concerns raises 44,000 at once, which is why PostgreSQL has its own path; what a user gets from
it (the rows on their notifications page, the count the scan reports, the emails after commit) must not
depend on the database."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from enquiries.models import DriftRule, Reminder
from msp_cases.exports.models import Export
from msp_cases.notifications import services
from msp_cases.notifications.models import EmailFrequency, Notification, NotificationPreference
from msp_cases.notifications.services import NotificationSpec, notify

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the array insert is PostgreSQL's"),
]

FIELDS = ("user_id", "kind", "reminder_id", "export_id", "message", "url", "created_at", "read_at")
FIELDS += ("email_state", "email_attempts", "emailed_at")


class _Undo(Exception):
    pass


def _reminder(enquiry, user, day: int) -> Reminder:
    return Reminder.objects.create(
        rule=DriftRule.PLAN_ACTION,
        object_id=enquiry.pk,
        due_on=datetime.date(2026, 3, day),
        enquiry=enquiry,
        team=enquiry.team,
        recipient=user,
        created_at=timezone.now(),
    )


def _outcome(specs, *, arrays: bool, monkeypatch, django_capture_on_commit_callbacks):
    """What one call of `notify` leaves behind through one path: the count it returns, every notification
    row (the emails sent and marked), and each email's recipient and subject. Undone afterwards."""
    monkeypatch.setattr(services, "_inserts_from_arrays", lambda: arrays)
    mail.outbox.clear()
    try:
        with transaction.atomic():
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                created = notify(specs=specs)
            rows = sorted(Notification.objects.values_list(*FIELDS), key=repr)
            emails = sorted((tuple(m.to), m.subject) for m in mail.outbox)
            outcome = {"created": created, "rows": rows, "emails": emails, "callbacks": len(callbacks)}
            raise _Undo
    except _Undo:
        pass
    mail.outbox.clear()
    return outcome


def test_the_array_insert_writes_what_bulk_create_writes(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    immediate = world.users["practitioner_north"]  # no preference saved: an email each
    daily = world.users["manager_north"]
    never = world.users["practitioner_south"]
    NotificationPreference.objects.create(user=daily, email_frequency=EmailFrequency.DAILY)
    NotificationPreference.objects.create(user=never, email_frequency=EmailFrequency.NONE)
    _, _, enquiry = world.cases["north"]
    first, second = _reminder(enquiry, immediate, 1), _reminder(enquiry, immediate, 2)
    now = timezone.now()
    export = Export.objects.create(
        kind="case_summary",
        enquiry=enquiry,
        requested_by=immediate,
        title="Case summary",
        filename="case-summary.pdf",
        created_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    # Already notified before this call: the unique constraint keeps it to the one row.
    earlier = NotificationSpec(
        immediate.pk, Notification.Kind.REMINDER, "Earlier", "/a/", reminder_id=first.pk
    )
    notify(specs=[earlier])
    Notification.objects.update(email_state=Notification.EmailState.SENT)

    def spec(user, kind, reminder=None, export_id=None, message="A plan action is past its due date"):
        url = f"/enquiries/{enquiry.pk}/#drift"
        return NotificationSpec(user.pk, kind, message, url, reminder_id=reminder, export_id=export_id)

    specs = [
        spec(immediate, Notification.Kind.REMINDER, first.pk),  # already there
        spec(daily, Notification.Kind.REMINDER, first.pk),
        spec(daily, Notification.Kind.REMINDER, first.pk),  # twice in one call: once
        spec(daily, Notification.Kind.ESCALATION, first.pk, message="Escalated: a plan action is past due"),
        spec(never, Notification.Kind.REMINDER, second.pk),
        spec(immediate, Notification.Kind.REMINDER, second.pk),
        spec(immediate, Notification.Kind.EXPORT_READY, export_id=export.pk, message="Your export is ready"),
        spec(immediate, Notification.Kind.EXPORT_READY, export_id=export.pk, message="Your export is ready"),
    ]

    with time_machine.travel(now + datetime.timedelta(minutes=5), tick=False):
        by_arrays = _outcome(
            specs,
            arrays=True,
            monkeypatch=monkeypatch,
            django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
        )
        by_bulk_create = _outcome(
            specs,
            arrays=False,
            monkeypatch=monkeypatch,
            django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
        )

    assert by_arrays == by_bulk_create
    # And what that is, as a user would see it: five new notifications, each with the email state the
    # user chose, and one email for each new one of the user who wants an email each.
    assert by_arrays["created"] == 5
    assert len(by_arrays["rows"]) == 6
    states = {(row[0], row[1], row[2]): row[8] for row in by_arrays["rows"]}
    assert states[(daily.pk, "reminder", first.pk)] == "digest"
    assert states[(never.pk, "reminder", second.pk)] == "skipped"
    assert states[(immediate.pk, "reminder", second.pk)] == "sent"
    assert states[(immediate.pk, "reminder", first.pk)] == "sent"  # the earlier row, untouched
    assert [to for to, _ in by_arrays["emails"]] == [(immediate.email,), (immediate.email,)]


def test_a_national_scale_batch_is_inserted_in_slices_and_counted_once(world, monkeypatch):
    """More specs than one INSERT takes: every row lands once, and the count is the rows that were new."""
    monkeypatch.setattr(services, "_INSERT_CHUNK", 3)
    user = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    reminders = [_reminder(enquiry, user, day) for day in range(1, 8)]
    specs = [NotificationSpec(user.pk, "reminder", "Due", "/", reminder_id=r.pk) for r in reminders]
    assert notify(specs=specs[:2]) == 2
    assert notify(specs=specs) == 5
    assert notify(specs=specs) == 0
    assert sorted(Notification.objects.values_list("reminder_id", flat=True)) == [r.pk for r in reminders]
