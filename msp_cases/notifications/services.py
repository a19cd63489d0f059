"""Writes for notifications. Other apps call `notify`; delivery by email is the tasks' business."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import EmailFrequency, Notification, NotificationPreference


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
    email_state = {
        EmailFrequency.IMMEDIATE: Notification.EmailState.PENDING,
        EmailFrequency.DAILY: Notification.EmailState.DIGEST,
        EmailFrequency.NONE: Notification.EmailState.SKIPPED,
    }
    rows = [
        Notification(
            user_id=spec.user_id,
            kind=spec.kind,
            reminder_id=spec.reminder_id,
            export_id=spec.export_id,
            message=spec.message,
            url=spec.url,
            created_at=now,
            email_state=email_state[frequency.get(spec.user_id, EmailFrequency.IMMEDIATE)],
        )
        for spec in specs
    ]
    with transaction.atomic():
        before = Notification.objects.filter(created_at=now).count()
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        created = Notification.objects.filter(created_at=now).count() - before
        if created and any(row.email_state == Notification.EmailState.PENDING for row in rows):
            transaction.on_commit(_queue_pending_emails, robust=True)
    return created


def _queue_pending_emails() -> None:
    from .tasks import queue_pending_emails

    queue_pending_emails()
