"""Writes for notifications. Other apps call `notify`; delivery by email is the tasks' business."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import EmailFrequency, Notification, NotificationPreference

# The email state a new notification starts in, by the user's choice (no preference saved: immediate).
EMAIL_STATE_FOR = {
    EmailFrequency.IMMEDIATE: Notification.EmailState.PENDING,
    EmailFrequency.DAILY: Notification.EmailState.DIGEST,
    EmailFrequency.NONE: Notification.EmailState.SKIPPED,
}


@dataclass(frozen=True)
class NotificationSpec:
    """One notification to raise. `message` and `url` must carry no personal details (no names, no case
    content): the message is also the basis of the email, and the url a path inside the service."""

    user_id: int
    kind: str
    message: str
    url: str
    reminder_id: int | None = None
    export_id: object | None = None


def notify(*, specs: list[NotificationSpec]) -> int:
    """Raise these notifications, each at most once (the unique constraints decide, not a check-then-insert),
    with the email state each user's preference asks for; queue the emails after commit. Returns how many
    rows were new. A handful of queries whatever the number of specs."""
    if not specs:
        return 0
    now = timezone.now()
    user_ids = {spec.user_id for spec in specs}
    frequency = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "email_frequency")
    )
    rows = [
        Notification(
            user_id=spec.user_id,
            kind=spec.kind,
            reminder_id=spec.reminder_id,
            export_id=spec.export_id,
            message=spec.message,
            url=spec.url,
            created_at=now,
            email_state=EMAIL_STATE_FOR[frequency.get(spec.user_id, EmailFrequency.IMMEDIATE)],
        )
        for spec in specs
    ]
    with transaction.atomic():
        # ignore_conflicts returns no ids, so count this call's rows (their users' index, then the timestamp).
        this_call = Notification.objects.filter(user_id__in=user_ids, created_at=now)
        before = this_call.count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        created = this_call.count() - before
        if created and any(row.email_state == Notification.EmailState.PENDING for row in rows):
            transaction.on_commit(_queue_pending_emails, robust=True)
    return created


def notification_mark_read(*, notification: Notification) -> None:
    """Opening a notification reads it. A guarded update: the first reading time is kept."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user) -> int:
    """Every unread notification of this user is read now. Returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def preference_set(*, user, email_frequency: str) -> NotificationPreference:
    """Save how the user wants to be emailed. Emails not yet sent follow the new choice at once: someone who
    turns emails off gets none of the waiting ones, someone who moves to the digest gets them in it."""
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        preference.email_frequency = email_frequency
        preference.full_clean()
        preference.save()
        Notification.objects.filter(
            user=user,
            email_state__in=[Notification.EmailState.PENDING, Notification.EmailState.DIGEST],
        ).update(email_state=EMAIL_STATE_FOR[email_frequency])
        if email_frequency == EmailFrequency.IMMEDIATE:
            transaction.on_commit(_queue_pending_emails, robust=True)
    return preference


def _queue_pending_emails() -> None:
    from .tasks import queue_pending_emails

    queue_pending_emails()
