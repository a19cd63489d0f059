"""Writing a batch's records once every row of it is good: the new ones of a record type in one insert each
(the record, its history, its risk types, its events, which row made it and the record of access), a changed
one by updating it (a conversation by amending it)."""

from collections.abc import Iterator

from django.db.models import OuterRef, Subquery
from simple_history.utils import bulk_create_with_history

from enquiries.models import ConversationLog, Enquiry, EnquiryEvent, Person
from enquiries.services.conversations import CONTENT_FIELDS
from msp_cases.audit.models import AccessEvent

from ..columns import CONCERN, CONVERSATION, ENQUIRY, OUTCOME, PERSON
from ..models import ImportedRecord
from ..reading import SourceRow
from .common import MODELS

KEPT_ON_UPDATE = {
    "id",
    "version",
    "created_at",
    "created_by",
    "recorded_by",
    "recorded_at",
    "updated_at",
    "last_with_person_at",
    "next_contact_on",
    "next_contact_how",
    "last_reviewed_at",
}


class BatchWriter:
    """The writing half of a batch (.batch.Batch): it has `run_`, `user`, `made`, `created`, `updated`,
    `touched_enquiries` and `problem()`."""

    def _create(self, kind: str, items: list) -> None:
        if not items:
            return
        run, model = self.run_, MODELS[kind]
        # Foreign keys to records saved earlier in this batch take their ids as these are inserted.
        records = [built.record for _, _, _, built, _ in items]
        bulk_create_with_history(
            records, model, batch_size=500, default_user=self.user, default_change_reason=run.reason
        )
        if kind in (CONCERN, ENQUIRY):
            through = model.risk_types.through
            owner = f"{model._meta.model_name}_id"
            through.objects.bulk_create(
                through(**{owner: built.record.pk, "risktypeoption_id": code})
                for _, _, _, built, _ in items
                for code in built.risk_types
            )
        if kind == PERSON:
            through = Person.restricted_to.through
            through.objects.bulk_create(
                through(person_id=person.pk, user_id=self.user.pk)
                for person in records
                if person.is_restricted
            )
        if kind == ENQUIRY:
            EnquiryEvent.objects.bulk_create(self._events(records))
        if kind == CONVERSATION:
            self.touched_enquiries.update(record.enquiry_id for record in records if record.enquiry_id)
            self._follow_conversations()
        ImportedRecord.objects.bulk_create(
            ImportedRecord(
                source_system=run.source,
                kind=kind,
                external_id=external_id,
                content_type=run.content_types[kind],
                object_id=built.record.pk,
                row_hash=digest,
                record_version=getattr(built.record, "version", None),
            )
            for _, external_id, digest, built, _ in items
        )
        AccessEvent.objects.bulk_create(
            self._access(kind, record, AccessEvent.Action.CREATE) for record in records
        )
        self.created[kind] += len(records)

    def _events(self, enquiries: list[Enquiry]) -> Iterator[EnquiryEvent]:
        for enquiry in enquiries:
            yield EnquiryEvent(
                enquiry=enquiry,
                kind=EnquiryEvent.Kind.OPENED,
                occurred_at=enquiry.opened_at,
                by=self.user,
                to_status=Enquiry.Status.OPEN,
                allocated_to=enquiry.lead_practitioner,
                comment=self.run_.reason,
            )
            if enquiry.status == Enquiry.Status.CLOSED:
                yield EnquiryEvent(
                    enquiry=enquiry,
                    kind=EnquiryEvent.Kind.CLOSED,
                    occurred_at=enquiry.closed_at,
                    by=self.user,
                    from_status=Enquiry.Status.PROPOSED_FOR_CLOSURE,
                    to_status=Enquiry.Status.CLOSED,
                    comment=self.run_.reason,
                )

    def _access(self, kind: str, record, action: str) -> AccessEvent:
        if kind == PERSON:
            person_id = record.pk
        elif kind == OUTCOME:
            person_id = record.enquiry.person_id
        else:
            person_id = record.person_id
        return AccessEvent(
            user=self.user,
            action=action,
            content_type=self.run_.content_types[kind],
            object_id=record.pk,
            person_id=person_id,
            ip_address=self.run_.actor.ip_address,
            detail=self.run_.reason,
        )

    def _update(
        self, kind: str, row: SourceRow, external_id: str, digest: str, built, imported: ImportedRecord
    ) -> None:
        model = MODELS[kind]
        current = model._default_manager.select_for_update().get(pk=imported.object_id)
        if kind == CONVERSATION:
            current = self._amend(current, built.record)
        else:
            version = getattr(current, "version", None)
            if imported.record_version is not None and version != imported.record_version:
                self.problem(
                    row,
                    "external_id",
                    "This record has been changed in the service since it was imported: change it there, not "
                    "in the extract",
                )
                return
            was_closed = kind == ENQUIRY and current.status == Enquiry.Status.CLOSED
            for field_ in model._meta.concrete_fields:
                if field_.name not in KEPT_ON_UPDATE:
                    setattr(current, field_.attname, getattr(built.record, field_.attname))
            current.version = version + 1
            current._history_user = self.user
            current._change_reason = self.run_.reason
            current.save()
            if kind in (CONCERN, ENQUIRY):
                current.risk_types.set(built.risk_types)
            if kind == PERSON and current.is_restricted:
                current.restricted_to.add(self.user)  # whoever restricts a record stays named on it
            if kind == ENQUIRY and current.status == Enquiry.Status.CLOSED and not was_closed:
                EnquiryEvent.objects.bulk_create(
                    event for event in self._events([current]) if event.kind == "closed"
                )
        imported.row_hash = digest
        imported.record_version = getattr(current, "version", None)
        imported.save(update_fields=["row_hash", "record_version", "updated_at"])
        self._access(kind, current, AccessEvent.Action.CHANGE).save()
        self.made[kind][external_id] = current
        self.updated[kind] += 1

    def _amend(self, original: ConversationLog, changed: ConversationLog) -> ConversationLog:
        """A conversation is never rewritten: what the extract now says is recorded as an amendment of the
        entry, as a practitioner's correction would be."""
        amendment = ConversationLog(
            person_id=original.person_id,
            enquiry_id=original.enquiry_id,
            concern_id=original.concern_id,
            recorded_by=self.user,
            amends=original,
            amendment_reason=f"Changed in the {self.run_.source} extract",
            **{name: getattr(changed, name) for name in CONTENT_FIELDS},
        )
        amendment._history_user = self.user
        amendment.save()
        if original.enquiry_id:
            self.touched_enquiries.add(original.enquiry_id)
            self._follow_conversations()
        return original

    def _follow_conversations(self) -> None:
        """The enquiries' last conversation with the person and next contact, from the conversations as they
        now stand (the caseload, the dashboard and the reminders read them): one update per batch."""
        if not self.touched_enquiries:
            return
        latest = ConversationLog.objects.filter(enquiry=OuterRef("pk"), amends__isnull=True).order_by(
            "-occurred_at", "-pk"
        )
        Enquiry.objects.filter(pk__in=self.touched_enquiries).update(
            last_with_person_at=Subquery(latest.filter(with_person=True).values("occurred_at")[:1]),
            next_contact_on=Subquery(latest.values("next_contact_on")[:1]),
            next_contact_how=Subquery(latest.values("next_contact_how")[:1]),
        )
        self.touched_enquiries.clear()
