"""Optimistic concurrency for every editable record (msp_cases.core.models.Versioned).

An edit form carries the version it was loaded at. `versioned_update` locks the row, and if someone else
saved in between it refuses with ConcurrentEditError carrying the current record, so the view can show
the other person's change and keep what this user typed. Never a silent overwrite.

Every accepted edit is recorded by the edit recorders registered here. This bottom layer may not import the
record of access, so msp_cases.audit registers its recorder from its AppConfig.ready()."""

from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

from .actor import Actor
from .exceptions import Conflict


class ConcurrentEditError(Conflict):
    def __init__(self, current: models.Model):
        super().__init__("The record was changed by someone else")
        self.current = current


class EditRecorder(Protocol):
    def __call__(self, *, actor: Actor, instance: models.Model, detail: str) -> None: ...


_edit_recorders: list[EditRecorder] = []


def register_edit_recorder(recorder: EditRecorder) -> None:
    """Called from an AppConfig.ready(); recorders run in the order registered, inside the edit's
    transaction."""
    if recorder not in _edit_recorders:
        _edit_recorders.append(recorder)


@transaction.atomic
def versioned_update(
    *,
    actor: Actor,
    instance: models.Model,
    expected_version: int,
    changes: dict[str, Any],
    m2m: dict[str, Iterable] | None = None,
    detail: str = "",
) -> models.Model:
    if not _edit_recorders:
        # An edit nobody records must never happen quietly.
        raise ImproperlyConfigured("No edit recorder is registered (is msp_cases.audit installed?)")
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
    for recorder in _edit_recorders:
        recorder(actor=actor, instance=locked, detail=detail or "Edited")
    return locked
