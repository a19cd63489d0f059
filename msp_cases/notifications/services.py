"""Writes for notifications. Other apps call `notify`; delivery by email is the tasks' business."""

from dataclasses import dataclass

from django.db import connection, transaction
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
    content): the message is also the basis of the email, and the url a path inside the service. The case it
    is about (a concern, an enquiry, one of its events) is given by id: the list names the person from the
    record at the time it is shown, to whoever may still see them."""

    user_id: int
    kind: str
    message: str
    url: str
    reminder_id: int | None = None
    export_id: object | None = None
    concern_id: int | None = None
    enquiry_id: int | None = None
    enquiry_event_id: int | None = None


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
    states = [EMAIL_STATE_FOR[frequency.get(spec.user_id, EmailFrequency.IMMEDIATE)] for spec in specs]
    with transaction.atomic():
        if _inserts_from_arrays():
            created = _insert_from_arrays(specs=specs, states=states, now=now)
        else:
            created = _bulk_create(specs=specs, states=states, now=now, user_ids=user_ids)
        if created and Notification.EmailState.PENDING in states:
            transaction.on_commit(_queue_pending_emails, robust=True)
    return created


def _inserts_from_arrays() -> bool:
    return connection.vendor == "postgresql"


# How many notifications one INSERT takes: the drift scan's first run at national scale raises 44,000.
_INSERT_CHUNK = 10_000

# Notification's columns filled from a spec, and their PostgreSQL array types, in the order of the INSERT.
_SPEC_COLUMNS = (
    ("user_id", "bigint"),
    ("kind", "varchar"),
    ("reminder_id", "bigint"),
    ("export_id", "uuid"),
    ("concern_id", "bigint"),
    ("enquiry_id", "bigint"),
    ("enquiry_event_id", "bigint"),
    ("message", "varchar"),
    ("url", "varchar"),
)


def _insert_from_arrays(*, specs: list[NotificationSpec], states: list[str], now) -> int:
    """INSERT ... SELECT FROM UNNEST, one array per column, ON CONFLICT DO NOTHING against the unique
    constraints (a notification once per reminder or export, user and kind), as the drift scan inserts its
    reminders: what bulk_create sends, without building a model instance and preparing every field of each
    (seconds of Python for the 44,000 notifications of a first scan at 1,000,000 concerns). RETURNING counts
    only the rows this call inserted, so no count before and after. Returns that count."""
    meta = Notification._meta
    names = [name for name, _ in _SPEC_COLUMNS]
    filled = ("created_at", "email_attempts", *names, "email_state")
    columns = [meta.get_field(name).column for name in filled]
    arrays = [f"%s::{db_type}[]" for _, db_type in _SPEC_COLUMNS] + ["%s::varchar[]"]
    quote = connection.ops.quote_name
    # Names from the model's own metadata; every value is a parameter.
    sql = (
        f"WITH new AS (INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"SELECT %s, 0, * FROM UNNEST({', '.join(arrays)}) ON CONFLICT DO NOTHING RETURNING 1) "
        "SELECT COUNT(*) FROM new"
    )
    created = 0
    with connection.cursor() as cursor:
        for start in range(0, len(specs), _INSERT_CHUNK):
            chunk = specs[start : start + _INSERT_CHUNK]
            values = [[getattr(spec, name) for spec in chunk] for name in names]
            cursor.execute(sql, [now, *values, states[start : start + _INSERT_CHUNK]])
            created += cursor.fetchone()[0]
    return created


def _bulk_create(*, specs: list[NotificationSpec], states: list[str], now, user_ids: set[int]) -> int:
    """bulk_create, for databases without arrays (SQLite in development)."""
    rows = [
        Notification(
            user_id=spec.user_id,
            kind=spec.kind,
            reminder_id=spec.reminder_id,
            export_id=spec.export_id,
            concern_id=spec.concern_id,
            enquiry_id=spec.enquiry_id,
            enquiry_event_id=spec.enquiry_event_id,
            message=spec.message,
            url=spec.url,
            created_at=now,
            email_state=state,
        )
        for spec, state in zip(specs, states, strict=True)
    ]
    # ignore_conflicts returns no ids, so count this call's rows (their users' index, then the timestamp).
    this_call = Notification.objects.filter(user_id__in=user_ids, created_at=now)
    before = this_call.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return this_call.count() - before


def notification_mark_read(*, notification: Notification) -> None:
    """Opening a notification reads it. A guarded update: the first reading time is kept."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def export_notifications_mark_read(*, user, export_id) -> int:
    """The user downloaded this export: its "ready" notification no longer waits for them. Returns how many
    changed (0 when already read, or for someone else's export)."""
    return Notification.objects.filter(
        user=user, export_id=export_id, kind=Notification.Kind.EXPORT_READY, read_at__isnull=True
    ).update(read_at=timezone.now())


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
