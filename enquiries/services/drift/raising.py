"""Raising and escalating reminders. The unique constraint on (rule, object, due date), not a
check-then-insert, decides "already raised"; a guarded UPDATE (`escalated_at IS NULL`) lets one scan win
each escalation."""

import datetime

from django.db import connection
from django.db.models.expressions import RawSQL

from ...models.drift import DriftPolicy, Reminder
from .rules import Due, R

# Rules whose first recipients are already the team's managers: nobody above them to escalate to.
MANAGERS_FIRST = {R.MANAGER_REVIEW, R.CLOSURE_SIGN_OFF}


def chunks(items: list, size: int = 10_000):
    """Lists of ids in slices a query can take (PostgreSQL allows 65,535 parameters): a query per 10,000
    due items, so the cost still grows with the items due, not with the records."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def among(ids: list[int]) -> list[int] | RawSQL:
    """Ids for `field__in=`, on PostgreSQL as one array parameter: `IN (SELECT UNNEST(%s::bigint[]))`. As a
    list of 10,000 placeholders, building the statement and the driver parsing it again took most of the
    query's time (190-690 ms against 25-60 ms as an array, at 1,000,000 concerns on a busy machine)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT UNNEST(%s::bigint[])", [ids])
    return ids


def raise_due(*, rule: str, due: list[Due], now: datetime.datetime) -> int:
    """Insert a reminder for each due item; the unique constraint makes it once. Returns how many were new
    (as far as this scan can tell: two scans at once may both count one the constraint let in once)."""
    if not due:
        return 0
    # One order for every scan, so two scans inserting at once take the index locks in the same order.
    due = sorted(due, key=lambda d: (d.object_id, d.due_on))
    existing = set()
    for ids in chunks([d.object_id for d in due]):
        existing.update(
            Reminder.objects.filter(rule=rule, object_id__in=among(ids))
            .order_by()
            .values_list("object_id", "due_on")
        )
    new = [d for d in due if (d.object_id, d.due_on) not in existing]
    # Only the keys not seen are inserted (a scan with nothing new writes nothing); the unique constraint,
    # not that read, still decides: a key another scan inserts meanwhile is ignored, never duplicated.
    insert_due(rule=rule, due=new, now=now)
    return len(new)


# Reminder's columns filled from a due item, in the order insert_due's PostgreSQL statement names them.
_DUE_COLUMNS = (
    "object_id",
    "due_on",
    "enquiry_id",
    "concern_id",
    "plan_action_id",
    "team_id",
    "recipient_id",
)


def insert_due(*, rule: str, due: list[Due], now: datetime.datetime) -> None:
    """INSERT ... ON CONFLICT DO NOTHING against the (rule, object, due date) unique constraint.

    On PostgreSQL one statement per 10,000 items inserts them from arrays, one per column (what bulk_create
    sends, without building a model instance and preparing every field of each: at 1,000,000 concerns a first
    scan raises 30,000 reminders, and that was seconds of Python). Elsewhere bulk_create."""
    if connection.vendor == "postgresql":
        _insert_from_arrays(rule=rule, due=due, now=now)
        return
    rows = [
        Reminder(
            rule=rule,
            object_id=d.object_id,
            due_on=d.due_on,
            enquiry_id=d.enquiry_id,
            concern_id=d.concern_id,
            plan_action_id=d.plan_action_id,
            team_id=d.team_id,
            recipient_id=d.recipient_id,
            created_at=now,
        )
        for d in due
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def _insert_from_arrays(*, rule: str, due: list[Due], now: datetime.datetime) -> None:
    meta = Reminder._meta
    columns = [meta.get_field(name).column for name in ("rule", "status", "created_at", *_DUE_COLUMNS)]
    types = ["bigint", "date", "bigint", "bigint", "bigint", "bigint", "bigint"]
    quote = connection.ops.quote_name
    # Names from the model's own metadata; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"SELECT %s, %s, %s, * FROM UNNEST({', '.join(f'%s::{t}[]' for t in types)}) "
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        for items in chunks(due):
            arrays = [[getattr(d, name) for d in items] for name in _DUE_COLUMNS]
            cursor.execute(sql, [rule, Reminder.Status.OPEN.value, now, *arrays])


def escalate(*, policies: list[DriftPolicy], now: datetime.datetime) -> int:
    """Mark the open reminders that have waited longer than their rule allows as escalated. The guarded
    UPDATE (`escalated_at IS NULL`) lets one scan win each; the notifications follow from the state."""
    escalated = 0
    for policy in policies:
        if policy.rule in MANAGERS_FIRST:
            continue
        escalated += Reminder.objects.filter(
            rule=policy.rule,
            status=Reminder.Status.OPEN,
            escalated_at__isnull=True,
            recipient__isnull=False,
            created_at__lt=now - datetime.timedelta(days=policy.escalate_after_days),
        ).update(escalated_at=now)
    return escalated
