"""Importing an earlier system's extract: a batch of rows at a time, each batch all or nothing.

For each batch: every row is read and checked (kinds.py: the service's own rules), the records it refers to
are found (in the same batch, or imported before: one query per record type), and each row is matched to the
record an earlier run made of it (ImportedRecord). A row as it was last imported is unchanged; a changed row
updates its record, recorded in the record's history with the importing account as the author; a new row is
created with the others of its type in one insert. A batch with any problem writes nothing: every problem is
reported, with the row's line and column. Later batches still run; a row that refers to a record of a refused
batch is reported too.

A dry run is the same run inside one transaction that is rolled back at the end: it reports exactly what the
real run would, and changes nothing."""

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, reset_queries, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from enquiries.models import ConversationLog, Enquiry, EnquiryEvent, Person, SafeguardingConcern
from enquiries.services.conversations import CONTENT_FIELDS
from msp_cases.accounts.models import Team, User
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from outcomes.models import DesiredOutcome

from . import kinds
from .columns import (
    ALL_COLUMNS,
    COLUMNS,
    COMMON,
    CONCERN,
    CONVERSATION,
    ENQUIRY,
    KINDS,
    OUTCOME,
    PERSON,
    REFERENCE,
    BadValue,
    read_value,
)
from .models import ImportedRecord
from .reading import SourceRow

MODELS = {
    PERSON: Person,
    CONCERN: SafeguardingConcern,
    ENQUIRY: Enquiry,
    CONVERSATION: ConversationLog,
    OUTCOME: DesiredOutcome,
}
REFERS_TO = {
    "person_external_id": PERSON,
    "concern_external_id": CONCERN,
    "enquiry_external_id": ENQUIRY,
}
# What an update of a record from a changed row leaves alone: who made it and when, and what the service
# keeps up to date itself (the enquiry's last conversation with the person, next contact, last review).
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
EXTERNAL_ID_MAX = ImportedRecord._meta.get_field("external_id").max_length


@dataclass
class Problem:
    line: int
    column: str
    value: str  # as in the file: may be personal data, so shown to the operator only, never logged
    message: str


@dataclass
class Summary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    rows: int = 0
    batches: int = 0
    refused: list[tuple[int, int, int]] = field(default_factory=list)  # (first line, last line, problems)

    @property
    def ok(self) -> bool:
        return not self.refused


@dataclass
class Failed:
    """A row of this batch that has problems: a row referring to it is reported, not checked further."""

    line: int


class _Refused(Exception):
    pass


class ImportRun:
    def __init__(
        self,
        *,
        actor: Actor,
        source: str,
        batch_size: int = 1000,
        dry_run: bool = False,
        report: Callable[[Problem], None] = lambda problem: None,
        progress: Callable[[int], None] = lambda rows: None,
    ):
        self.actor = actor
        self.source = source
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.report = report
        self.progress = progress
        self.summary = Summary()
        self.teams = {team.name.casefold(): team for team in Team.objects.filter(is_active=True)}
        self.content_types = {
            kind: ContentType.objects.get_for_model(model) for kind, model in MODELS.items()
        }
        self.reason = f"Imported from {source}"

    def run(self, rows: Iterable[SourceRow]) -> Summary:
        if self.dry_run:
            with transaction.atomic():
                self._batches(rows)
                transaction.set_rollback(True)
        else:
            self._batches(rows)
        return self.summary

    def _batches(self, rows: Iterable[SourceRow]) -> None:
        for chunk in _chunks(rows, self.batch_size):
            # With DEBUG on, Django keeps the last 9,000 statements: a batch's inserts are large, so the
            # memory would grow with the file until then (unless a test is counting them).
            if not connection.force_debug_cursor:
                reset_queries()
            self.summary.batches += 1
            self.summary.rows += len(chunk)
            batch = _Batch(self, chunk)
            try:
                with transaction.atomic():
                    batch.run()
                    if batch.problems:
                        raise _Refused
            except _Refused:
                pass
            except IntegrityError:
                # Another run wrote the same records at the same time (the unique external id decided).
                batch.problems.append(
                    Problem(
                        chunk[0].line,
                        "",
                        "",
                        "Another import wrote these records at the same time: run again",
                    )
                )
            if batch.problems:
                for problem in sorted(batch.problems, key=lambda problem: problem.line):
                    self.report(problem)
                self.summary.refused.append((chunk[0].line, chunk[-1].line, len(batch.problems)))
            else:
                self.summary.created.update(batch.created)
                self.summary.updated.update(batch.updated)
                self.summary.unchanged.update(batch.unchanged)
            self.progress(len(chunk))


def _chunks(rows: Iterable[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def row_hash(kind: str, data: dict) -> str:
    names = [c.name for c in COMMON] + [c.name for c in COLUMNS[kind]]
    canonical = {name: _raw(data.get(name)).strip() for name in names}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _raw(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)


class _Batch:
    def __init__(self, run: ImportRun, chunk: list[SourceRow]):
        self.run_ = run
        self.chunk = chunk
        self.user = run.actor.user
        self.now = timezone.now()
        self.problems: list[Problem] = []
        self.created: Counter = Counter()
        self.updated: Counter = Counter()
        self.unchanged: Counter = Counter()
        # Records of this batch by type and external id: saved, or Failed.
        self.made: dict[str, dict[str, object]] = defaultdict(dict)
        self.risk_types: dict[int, list[str]] = {}  # id(concern) → its risk type codes, for its enquiry
        self.touched_enquiries: set[int] = set()
        self.leads: dict[str, tuple[User | None, set[int]]] = {}

    def problem(self, row: SourceRow, column: str, message: str) -> None:
        value = _raw(row.data.get(column)) if column else ""
        self.problems.append(Problem(row.line, column, value, message))

    # Reading the rows

    def run(self) -> None:
        by_kind: dict[str, list[tuple[SourceRow, str]]] = defaultdict(list)
        seen: dict[tuple[str, str], int] = {}
        for row in self.chunk:
            checked = self._identify(row, seen)
            if checked is not None:
                by_kind[checked[0]].append((row, checked[1]))
        for kind in KINDS:
            if by_kind[kind]:
                self._kind(kind, by_kind[kind])

    def _identify(self, row: SourceRow, seen: dict) -> tuple[str, str] | None:
        if "_shape" in row.data:
            self.problem(row, "", f"The row cannot be read: {row.data['_shape']}")
            return None
        unknown = [name for name in row.data if name not in ALL_COLUMNS]
        for name in unknown:
            self.problem(row, name, "This is not a column the import takes")
        kind = _raw(row.data.get("record_type")).strip().casefold()
        if kind not in KINDS:
            self.problem(row, "record_type", f"Enter one of: {', '.join(KINDS)}")
            return None
        try:
            external_id = read_value(COMMON[1], row.data.get("external_id"))
        except BadValue as error:
            self.problem(row, "external_id", str(error))
            return None
        if len(external_id) > EXTERNAL_ID_MAX:
            self.problem(row, "external_id", f"An external id has at most {EXTERNAL_ID_MAX} characters")
            return None
        if (kind, external_id) in seen:
            self.problem(row, "external_id", f"This {kind} is already on line {seen[kind, external_id]}")
            return None
        seen[kind, external_id] = row.line
        own = {c.name for c in COLUMNS[kind]} | {c.name for c in COMMON}
        for name, value in row.data.items():
            if name not in own and name in ALL_COLUMNS and _raw(value).strip():
                self.problem(row, name, f"Leave this empty: it is not a column of {kind} rows")
        return kind, external_id

    def _values(self, kind: str, row: SourceRow) -> dict | None:
        values, ok = {}, True
        for column in COLUMNS[kind]:
            try:
                values[column.name] = read_value(column, row.data.get(column.name))
            except BadValue as error:
                self.problem(row, column.name, str(error))
                ok = False
        return values if ok else None

    def _kind(self, kind: str, rows: list[tuple[SourceRow, str]]) -> None:
        run = self.run_
        existing = {
            record.external_id: record
            for record in ImportedRecord.objects.filter(
                source_system=run.source, kind=kind, external_id__in=[external_id for _, external_id in rows]
            )
        }
        pending = []
        for row, external_id in rows:
            digest = row_hash(kind, row.data)
            record = existing.get(external_id)
            if record is not None and record.row_hash == digest:
                self.unchanged[kind] += 1
                self.made[kind][external_id] = record
            else:
                pending.append((row, external_id, digest, record))
        parents = self._parents(kind, [row for row, *_ in pending])
        new, changed = [], []
        for row, external_id, digest, record in pending:
            built = self._build(kind, row, parents)
            if built is None or built.problems:
                for column, messages in (built.problems if built else {}).items():
                    for message in messages:
                        self.problem(row, column, message)
                self.made[kind][external_id] = Failed(row.line)
                continue
            (changed if record is not None else new).append((row, external_id, digest, built, record))
            self.made[kind][external_id] = built.record
        if kind == PERSON:
            self._local_identifiers_unique(new + changed)
        if self.problems:
            return  # the batch will be refused: nothing more is written, but every row is still checked
        self._create(kind, new)
        for item in changed:
            self._update(kind, *item)

    def _parents(self, kind: str, rows: list[SourceRow]) -> dict[str, dict[str, object]]:
        """The records the rows refer to, by column and external id: this batch's, or imported before."""
        found: dict[str, dict[str, object]] = {}
        for column in COLUMNS[kind]:
            if column.type != REFERENCE:
                continue
            parent_kind = REFERS_TO[column.name]
            wanted = {_raw(row.data.get(column.name)).strip() for row in rows} - {""}
            mine = {ext: self.made[parent_kind][ext] for ext in wanted if ext in self.made[parent_kind]}
            ids = dict(
                ImportedRecord.objects.filter(
                    source_system=self.run_.source, kind=parent_kind, external_id__in=wanted - set(mine)
                ).values_list("external_id", "object_id")
            )
            # Unchanged in this batch: the record as imported before, read with the others.
            ids |= {ext: made.object_id for ext, made in mine.items() if isinstance(made, ImportedRecord)}
            objects = _load(parent_kind, set(ids.values()))
            resolved = {ext: objects.get(pk) for ext, pk in ids.items()}
            resolved |= {ext: made for ext, made in mine.items() if not isinstance(made, ImportedRecord)}
            found[column.name] = resolved
        return found

    def _parent(self, row: SourceRow, parents: dict, column: str):
        ext = _raw(row.data.get(column)).strip()
        if not ext:
            return None
        parent = parents[column].get(ext)
        what = REFERS_TO[column]
        if isinstance(parent, Failed):
            self.problem(row, column, f"The {what} it refers to has problems (line {parent.line})")
            return False
        if parent is None:
            self.problem(
                row,
                column,
                f"There is no {what} with this external id, in this file before this row or imported before",
            )
            return False
        return parent

    def _build(self, kind: str, row: SourceRow, parents: dict):
        values = self._values(kind, row)
        user, now = self.user, self.now
        if kind == PERSON:
            return kinds.build_person(values, user=user) if values is not None else None
        if kind == CONCERN:
            person = self._parent(row, parents, "person_external_id")
            if values is None or person is False:
                return None
            team = self.run_.teams.get(values["team"].casefold())
            built = kinds.build_concern(values, user=user, person=person, team=team, now=now)
            self.risk_types[id(built.record)] = built.risk_types
            return built
        if kind == ENQUIRY:
            concern = self._parent(row, parents, "concern_external_id")
            if values is None or concern is False:
                return None
            lead, in_team = self._lead(values["lead_practitioner_email"], concern)
            concern_risk_types = self.risk_types.get(id(concern))
            if concern_risk_types is None:
                concern_risk_types = [option.pk for option in concern.risk_types.all()]
            return kinds.build_enquiry(
                values,
                concern=concern,
                concern_risk_types=concern_risk_types,
                lead=lead,
                lead_in_team=in_team,
                now=now,
            )
        if kind == CONVERSATION:
            enquiry = self._parent(row, parents, "enquiry_external_id")
            concern = self._parent(row, parents, "concern_external_id")
            if enquiry is False or concern is False:
                return None
            if (enquiry is None) == (concern is None):
                self.problem(
                    row,
                    "enquiry_external_id",
                    "Enter the enquiry_external_id or the concern_external_id, not both",
                )
                return None
            if values is None:
                return None
            return kinds.build_conversation(values, user=user, enquiry=enquiry, concern=concern, now=now)
        enquiry = self._parent(row, parents, "enquiry_external_id")
        if values is None or enquiry is False:
            return None
        return kinds.build_outcome(values, user=user, enquiry=enquiry, now=now)

    def _lead(self, email: str, concern) -> tuple[User | None, bool]:
        """The lead practitioner named by email, and whether they are in the concern's team: read once per
        batch for each member of staff named."""
        if not email:
            return None, True
        if email not in self.leads:
            lead = User.objects.staff().filter(email__iexact=email).prefetch_related("teams").first()
            self.leads[email] = (lead, {team.pk for team in lead.teams.all()} if lead else set())
        lead, team_ids = self.leads[email]
        return lead, lead is not None and concern.team_id in team_ids

    def _local_identifiers_unique(self, items: list) -> None:
        wanted: dict[str, tuple] = {}
        for item in items:
            person = item[3].record
            key = person.local_identifier.upper()
            if not key:
                continue
            if key in wanted:
                self.problem(
                    item[0],
                    "local_identifier",
                    f"Another person in this batch has it (line {wanted[key][0].line})",
                )
            wanted[key] = item
        if not wanted:
            return
        mine = {item[4].object_id for item in items if item[4] is not None}
        taken = (
            Person.objects.annotate(key=Upper("local_identifier"))
            .filter(key__in=list(wanted))
            .exclude(pk__in=mine)
            .values_list("key", flat=True)
        )
        for key in taken:
            self.problem(
                wanted[key][0], "local_identifier", "A person with this local identifier is already recorded"
            )

    # Writing

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
            for field_ in model._meta.concrete_fields:
                if field_.name not in KEPT_ON_UPDATE:
                    setattr(current, field_.attname, getattr(built.record, field_.attname))
            current.version = version + 1
            current._history_user = self.user
            current._change_reason = self.run_.reason
            current.save()
            if kind in (CONCERN, ENQUIRY):
                current.risk_types.set(built.risk_types)
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


def _load(kind: str, ids: set[int]) -> dict[int, object]:
    """Records imported before, by id, with what the rows referring to them are checked against."""
    if not ids:
        return {}
    if kind == PERSON:
        queryset = Person.objects.only("id")
    elif kind == CONCERN:
        queryset = SafeguardingConcern.objects.select_related("person").prefetch_related("risk_types")
    else:
        queryset = Enquiry.objects.select_related("concern", "person")
    return {record.pk: record for record in queryset.filter(pk__in=ids)}
