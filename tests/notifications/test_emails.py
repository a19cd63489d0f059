"""Notification emails: what they say (never a name or a case detail), immediate vs digest vs none, exactly
once, and a mail server that is down (the email waits, counted, and goes once the server is back)."""

import datetime
import logging
import socket
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from enquiries.models import DriftRule, Reminder
from msp_cases.celery import app as celery_app
from msp_cases.notifications import tasks
from msp_cases.notifications.models import EmailFrequency, Notification, NotificationPreference
from msp_cases.notifications.services import NotificationSpec, notify
from tests.brokers import restore_broker, use_broker

pytestmark = pytest.mark.django_db

SITE = "https://msp.example.org"


def _prefer(user, frequency):
    NotificationPreference.objects.update_or_create(user=user, defaults={"email_frequency": frequency})


def _everything_in(message) -> str:
    return "\n".join([message.subject, message.body, *(content for content, _ in message.alternatives)])


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mail_server_down():
    """Django's SMTP backend pointed at a port where nothing listens: a real refused connection."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_unused_port(),
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=2,
    )


@override_settings(SITE_URL=SITE)
def test_the_email_has_a_link_and_no_name_or_case_detail(
    world, raise_notification, django_capture_on_commit_callbacks
):
    person, concern, enquiry = world.cases["north"]
    me = world.users["practitioner_north"]
    # Even if a caller broke the contract and put a name in the message, the email would not carry it.
    with django_capture_on_commit_callbacks(execute=True):
        notification = raise_notification(
            user=me, enquiry=enquiry, message=f"Plan action for {person.given_name} {person.family_name}"
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    everything = _everything_in(message)
    for secret in (
        person.given_name,
        person.family_name,
        "Casename",
        concern.summary,
        f"/enquiries/{enquiry.pk}",
    ):
        assert secret not in everything
    assert message.subject == "MSP Cases: you have a new notification"
    assert message.to == [me.email]
    assert message.from_email == "msp-cases@example.org"
    link = f"{SITE}/notifications/{notification.pk}/open/"
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    # the kind of reminder, in the service's own fixed words
    assert DriftRule.PLAN_ACTION.label in message.body
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT
    assert notification.emailed_at is not None


def test_immediate_sends_one_email_per_notification(
    world, raise_notification, django_capture_on_commit_callbacks
):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    with django_capture_on_commit_callbacks(execute=True):
        raise_notification(user=me, enquiry=enquiry, rule=DriftRule.NEXT_CONTACT)
    with django_capture_on_commit_callbacks(execute=True):
        raise_notification(user=me, enquiry=enquiry, rule=DriftRule.MANAGER_REVIEW)

    assert [m.to for m in mail.outbox] == [[me.email], [me.email]]


@override_settings(SITE_URL=SITE)
def test_daily_digest_sends_one_email_counting_the_waiting_notifications(
    world, raise_notification, django_capture_on_commit_callbacks
):
    me, other = world.users["practitioner_north"], world.users["manager_north"]
    _prefer(me, EmailFrequency.DAILY)
    _prefer(other, EmailFrequency.DAILY)
    _, _, enquiry = world.cases["north"]
    with django_capture_on_commit_callbacks(execute=True):
        for rule in (DriftRule.NEXT_CONTACT, DriftRule.PLAN_ACTION, DriftRule.MANAGER_REVIEW):
            raise_notification(user=me, enquiry=enquiry, rule=rule)
        opened = raise_notification(user=other, enquiry=enquiry, rule=DriftRule.CLOSURE_SIGN_OFF)
    Notification.objects.filter(pk=opened.pk).update(read_at=timezone.now())
    assert mail.outbox == []  # nothing until the morning

    tasks.send_daily_digests.delay()

    assert len(mail.outbox) == 1  # the other user already read theirs: no email for it
    message = mail.outbox[0]
    assert message.to == [me.email]
    assert message.subject == "MSP Cases: your daily summary of notifications"
    assert "You have 3 new notifications" in message.body
    assert f"{SITE}/notifications/?show=unread" in message.body
    assert DriftRule.PLAN_ACTION.label not in _everything_in(message)
    assert set(Notification.objects.filter(user=me).values_list("email_state", flat=True)) == {"sent"}
    assert Notification.objects.get(pk=opened.pk).email_state == Notification.EmailState.SKIPPED

    tasks.send_daily_digests.delay()
    tasks.send_pending_emails.delay()
    assert len(mail.outbox) == 1


def test_a_missed_digest_is_caught_up_by_the_ten_minute_job(world, raise_notification):
    me = world.users["practitioner_north"]
    _prefer(me, EmailFrequency.DAILY)
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=30)):
        raise_notification(user=me, enquiry=world.cases["north"][2])
    tasks.send_pending_emails.delay()
    assert len(mail.outbox) == 1 and "You have 1 new notification " in mail.outbox[0].body


def test_a_recent_digest_row_waits_for_the_morning(world, raise_notification):
    me = world.users["practitioner_north"]
    _prefer(me, EmailFrequency.DAILY)
    raise_notification(user=me, enquiry=world.cases["north"][2])
    tasks.send_pending_emails.delay()
    assert mail.outbox == []


def test_none_means_no_email_ever(world, raise_notification, django_capture_on_commit_callbacks):
    me = world.users["practitioner_north"]
    _prefer(me, EmailFrequency.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        notification = raise_notification(user=me, enquiry=world.cases["north"][2])
    tasks.send_pending_emails.delay()
    tasks.send_daily_digests.delay()
    assert mail.outbox == []
    assert notification.email_state == Notification.EmailState.SKIPPED


def test_sending_twice_sends_one_email(world, raise_notification):
    notification = raise_notification(user=world.users["practitioner_north"], enquiry=world.cases["north"][2])

    assert tasks.send_email.delay(notification.pk).get() is True
    assert tasks.send_email.delay(notification.pk).get() is False
    tasks.send_pending_emails.delay()

    assert len(mail.outbox) == 1


def test_the_same_reminder_notifies_once(world, django_capture_on_commit_callbacks):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    reminder = Reminder.objects.create(
        rule=DriftRule.PLAN_ACTION,
        object_id=enquiry.pk,
        due_on=datetime.date(2026, 3, 1),
        enquiry=enquiry,
        team=enquiry.team,
        recipient=me,
        created_at=timezone.now(),
    )
    spec = NotificationSpec(
        user_id=me.pk,
        kind="reminder",
        message="Plan action past its due date",
        url="/",
        reminder_id=reminder.pk,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(specs=[spec]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(specs=[spec, spec]) == 0
    assert Notification.objects.filter(user=me).count() == 1
    assert len(mail.outbox) == 1


def test_no_email_for_a_notification_already_read_or_a_reminder_already_resolved(world, raise_notification):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    read = raise_notification(user=me, enquiry=enquiry, rule=DriftRule.NEXT_CONTACT)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    resolved = raise_notification(user=me, enquiry=enquiry, rule=DriftRule.PLAN_ACTION)
    Reminder.objects.filter(pk=resolved.reminder_id).update(status=Reminder.Status.RESOLVED)

    tasks.send_pending_emails.delay()

    assert mail.outbox == []
    assert set(Notification.objects.filter(user=me).values_list("email_state", flat=True)) == {"skipped"}


def test_a_mail_server_that_is_down_leaves_the_email_pending_then_it_goes_exactly_once(
    world, raise_notification, caplog
):
    person, _, enquiry = world.cases["north"]
    notification = raise_notification(user=world.users["practitioner_north"], enquiry=enquiry)

    with _mail_server_down():
        # The task asks for a retry: a worker runs it again after a backoff (eagerly it is handed back).
        with pytest.raises(Retry) as retry:
            tasks.send_email.delay(notification.pk)
        assert isinstance(retry.value.exc, ConnectionRefusedError)
        tasks.send_pending_emails.delay()  # the catch-up job tries again, and does not crash

    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert notification.email_attempts == 2
    assert notification.emailed_at is None
    assert person.family_name not in caplog.text

    # The mail server is back (locmem stands in for it): the next run sends it, once.
    tasks.send_pending_emails.delay()
    tasks.send_pending_emails.delay()
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT


def test_the_retry_policy_backs_off_with_jitter_and_is_bounded():
    for task in (tasks.send_email, tasks.send_digest):
        assert set(task.autoretry_for) == {__import__("smtplib").SMTPException, OSError}
        assert task.retry_backoff and task.retry_jitter
        assert task.max_retries == 5
        assert task.retry_backoff_max == 300


def test_a_broker_that_is_down_does_not_fail_the_caller(world, raise_notification, caplog, monkeypatch):
    """`notify` queues the emails after commit; with Redis down that must log and return, not raise (the page
    or the scan that raised the notification carries on; the beat job sends the email later)."""
    notification = raise_notification(user=world.users["practitioner_north"], enquiry=world.cases["north"][2])
    # A real broker address where nothing listens, and tasks really published (not run in-process).
    saved_eager = celery_app.conf.task_always_eager
    use_broker(f"redis://127.0.0.1:{_unused_port()}/2")
    try:
        with caplog.at_level(logging.WARNING, logger="msp_cases.notifications.tasks"):
            tasks.queue_pending_emails()
    finally:
        restore_broker(eager=saved_eager)

    assert "Could not queue notification emails" in caplog.text
    assert notification.user.email not in caplog.text
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.PENDING
    assert mail.outbox == []


def test_an_inactive_user_gets_no_email(world, raise_notification):
    me = world.users["practitioner_north"]
    notification = raise_notification(user=me, enquiry=world.cases["north"][2])
    me.is_active = False
    me.save()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send") as send:
        tasks.send_email.delay(notification.pk)
    send.assert_not_called()
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SKIPPED


def test_while_the_mail_server_is_down_the_catch_up_tries_one_email_per_run_not_the_whole_backlog(
    world, raise_notification
):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    backlog = [raise_notification(user=me, enquiry=enquiry, rule=rule) for rule in list(DriftRule)[:4]]
    Notification.objects.filter(user=me).update(email_attempts=1)  # each has failed once already

    with _mail_server_down():
        tasks.send_pending_emails.delay()
        tasks.send_pending_emails.delay()

    attempts = dict(Notification.objects.filter(user=me).values_list("pk", "email_attempts"))
    assert attempts == {backlog[0].pk: 3, **{n.pk: 1 for n in backlog[1:]}}  # the oldest, as the probe

    tasks.send_pending_emails.delay()  # the mail server is back
    assert len(mail.outbox) == 4
    assert set(Notification.objects.filter(user=me).values_list("email_state", flat=True)) == {"sent"}
