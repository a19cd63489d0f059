"""Each person's retention review date, and the unit leads' monthly notice of the records due. The nightly
task keeps the dates; pages and services that decide about one person read its closure live
(selectors.closure_of), so a record reopened since last night is never disposed of."""

import datetime

from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Person, SafeguardingConcern
from msp_cases.accounts.models import User
from msp_cases.accounts.roles import MANAGE_RETENTION
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from . import selectors
from .models import Disposal, DueNotice, RetentionSchedule

_BATCH = 2000


def schedule_refresh(*, person_ids=None) -> int:
    """Each person's last closure and review date, as their records are now (all people, or these). The
    review date is empty while anything is open and once the record was disposed of. One read of every
    person's closure (set-based: index lookups per person, no join of every concern), then only the rows
    that changed are written, in batches: idempotent, so a second run writes nothing. Returns how many rows
    were written."""
    people = Person.objects.filter(Exists(SafeguardingConcern.objects.filter(person=OuterRef("pk"))))
    kept = RetentionSchedule.objects.all()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
        kept = kept.filter(person_id__in=list(person_ids))
    disposed = set(
        Disposal.objects.filter(status=Disposal.Status.CARRIED_OUT).values_list("person_id", flat=True)
    )
    known = {
        pk: (closed, due)
        for pk, closed, due in kept.values_list("person_id", "last_closed_at", "review_due_on")
    }
    rows = selectors.with_closure(people).values(
        "pk",
        "open_concern",
        "awaiting_enquiry",
        "open_enquiry",
        "last_enquiry_closed_at",
        "last_concern_decided_at",
    )
    now = timezone.now()
    written = 0
    batch: list[RetentionSchedule] = []
    for row in rows.order_by("pk").iterator(chunk_size=_BATCH):
        closure = selectors.closure_from(row)
        due = None if row["pk"] in disposed else closure.review_due_on
        if known.get(row["pk"]) == (closure.last_closed_at, due):
            continue
        batch.append(
            RetentionSchedule(
                person_id=row["pk"],
                last_closed_at=closure.last_closed_at,
                review_due_on=due,
                refreshed_at=now,
            )
        )
        if len(batch) >= _BATCH:
            written += _upsert(batch)
            batch = []
    if batch:
        written += _upsert(batch)
    return written


def _upsert(batch: list[RetentionSchedule]) -> int:
    RetentionSchedule.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["last_closed_at", "review_due_on", "refreshed_at"],
    )
    return len(batch)


def unit_leads():
    """Who reviews closed cases: the active people with the permission (never a partner's service account)."""
    leads = ModelBackend().with_perm(MANAGE_RETENTION, is_active=True, include_superusers=False)
    return leads.filter(pk__in=User.objects.staff().values("pk"))


def due_notify(*, today: datetime.date | None = None) -> int:
    """Tell each unit lead how many records are due for review, once a month: the month's DueNotice row is
    claimed first (its unique key decides "already sent"), so a retry or a second run sends nothing. The
    message carries a count and a link, never a name. Returns how many were told."""
    today = today or timezone.localdate()
    due = selectors.due_count(today=today)
    with transaction.atomic():
        _, created = DueNotice.objects.get_or_create(
            month=today.replace(day=1), defaults={"due_count": due, "sent_at": timezone.now()}
        )
        if not created or not due:
            return 0
        message = f"{due} closed case{'s are' if due != 1 else ' is'} due for retention review"
        url = reverse("retention:due")
        specs = [
            NotificationSpec(user_id=pk, kind=Notification.Kind.REMINDER, message=message, url=url)
            for pk in unit_leads().values_list("pk", flat=True)
        ]
        return notify(specs=specs)
