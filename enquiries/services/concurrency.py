"""Optimistic concurrency for every editable case record (models.base.Versioned).

An edit form carries the version it was loaded at. `versioned_update` locks the row, and if someone else
saved in between it refuses with ConcurrentEditError carrying the current record, so the view can show
the other person's change and keep what this user typed. Never a silent overwrite."""

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record


class ConcurrentEditError(Exception):
    def __init__(self, current: models.Model):
        super().__init__("The record was changed by someone else")
        self.current = current


@transaction.atomic
def versioned_update(
    *,
    request: HttpRequest,
    instance: models.Model,
    expected_version: int,
    changes: dict[str, Any],
    m2m: dict[str, Iterable] | None = None,
    detail: str = "",
) -> models.Model:
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(current=locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version = expected_version + 1
    locked.full_clean()
    locked.save()
    for name, values in (m2m or {}).items():
        getattr(locked, name).set(values)
    access_record(request=request, obj=locked, action=AccessEvent.Action.CHANGE, detail=detail or "Edited")
    return locked
