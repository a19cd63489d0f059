"""Carrying out an approved disposal (the task's work): the personal data emptied in the records and their
earlier versions (removal.py), the files deleted after commit, and the counts kept on the disposal record."""

import datetime
import logging

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from enquiries.models import Person
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.documents.models import Document
from msp_cases.exports.models import Export

from . import removal, selectors
from .models import Disposal, RetentionSchedule

logger = logging.getLogger(__name__)


REMOVED = "Disposed of under the retention schedule"


def tombstone(day: datetime.date) -> str:
    return f"Record disposed of on {day:%-d %B %Y} under the retention schedule"


def disposal_carry_out(*, disposal_id: int) -> Disposal:
    """Carry out an approved disposal: under the person's and the disposal's locks, re-check that no hold
    and nothing open stands in the way (a hold stops it for good), empty the personal data in the records
    and their earlier versions, mark the exports expired, and keep the counts. The files go after the
    commit. Running it again finds the disposal carried out and does nothing."""
    with transaction.atomic():
        disposal = (
            Disposal.objects.select_for_update(of=("self",))
            .select_related("person", "approved_by")
            .get(pk=disposal_id)
        )
        person = Person.objects.select_for_update().get(pk=disposal.person_id)
        if disposal.status != Disposal.Status.APPROVED:
            return disposal
        if selectors.active_hold(person) is not None:
            disposal.status = Disposal.Status.STOPPED
            disposal.ended_at, disposal.end_reason = timezone.now(), "A legal hold was placed on the record"
            disposal.save()
            return disposal
        if selectors.closure_of(person).is_open:
            disposal.status = Disposal.Status.STOPPED
            disposal.ended_at, disposal.end_reason = timezone.now(), "A concern or enquiry was open again"
            disposal.save()
            return disposal
        files, export_ids = removal.files_of(person)
        now = timezone.now()
        removed = removal.remove_personal_data(person=person, tombstone=tombstone(timezone.localdate(now)))
        Export.objects.filter(pk__in=export_ids).update(
            status=Export.Status.EXPIRED, file="", title="Disposed of", filename=""
        )
        # Off the case pages, and never served again: its file is gone (a download finds none: 404).
        Document.objects.filter(person=person).update(
            removed_at=Coalesce("removed_at", Value(now)),
            removed_by=Coalesce("removed_by", Value(disposal.approved_by_id)),
            removed_reason=REMOVED,
        )
        removed["Files"] = len(files)
        disposal.status, disposal.carried_out_at, disposal.removed = Disposal.Status.CARRIED_OUT, now, removed
        disposal.save()
        RetentionSchedule.objects.filter(person=person).update(review_due_on=None, refreshed_at=now)
        access_record(
            actor=Actor.of(disposal.approved_by),
            obj=disposal,
            person=person,
            action=AccessEvent.Action.CHANGE,
            detail="Record disposed of under the retention schedule",
        )
        transaction.on_commit(lambda: _delete_files(files), robust=True)
    return disposal


def _delete_files(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # Logged by name only (a generated name, never the person's): an operator removes it by hand.
            logger.exception("retention: could not delete a stored file", extra={"file": name})
