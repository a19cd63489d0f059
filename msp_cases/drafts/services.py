"""Writes of drafts. A draft belongs to one user and one form key; every function here takes that user, so
nobody reaches another person's draft (there is no function that reads drafts across users but the expiry)."""

import datetime
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Draft

# Far more than an assessment's worth of text (a long conversation is ~20 KB), small enough that a draft
# cannot be used to store files.
MAX_DRAFT_BYTES = 200_000


class DraftTooLarge(Exception):
    """The fields sent are larger than MAX_DRAFT_BYTES."""


def draft_save(*, user, key: str, data: dict[str, list[str]]) -> Draft:
    """Keep `data` (field name -> values) as this user's draft of the form `key`, replacing an older one.
    Not an access to a record and not part of it: no audit entry, no history."""
    if len(json.dumps(data)) > MAX_DRAFT_BYTES:
        raise DraftTooLarge
    now = timezone.now()
    with transaction.atomic():
        draft, _ = Draft.objects.update_or_create(
            user=user,
            key=key,
            defaults={
                "data": data,
                "saved_at": now,
                "expires_at": now + datetime.timedelta(days=settings.DRAFT_KEEP_DAYS),
            },
        )
    return draft


def draft_discard(*, user, key: str) -> None:
    """Delete this user's draft of the form `key` (discarded, or the form was saved)."""
    Draft.objects.filter(user=user, key=key).delete()


def drafts_delete_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete every draft past its expiry; returns how many. One statement: safe to run twice."""
    deleted, _ = Draft.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
