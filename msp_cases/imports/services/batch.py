"""One batch of an extract: every row read and checked, the records it refers to found, each matched to
what an earlier run made of it; then, if every row is good, written (.writing)."""

from collections import Counter, defaultdict

from django.db.models.functions import Upper
from django.utils import timezone

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases.accounts.models import User

from .. import kinds
from ..columns import (
    ALL_COLUMNS,
    COLUMNS,
    COMMON,
    CONCERN,
    CONVERSATION,
    ENQUIRY,
    KINDS,
    PERSON,
    REFERENCE,
    BadValue,
    read_value,
)
from ..models import ImportedRecord
from ..reading import SourceRow
from .common import EXTERNAL_ID_MAX, REFERS_TO, Failed, Problem, raw, row_hash
from .writing import BatchWriter

KNOWN = frozenset(ALL_COLUMNS)
# Each record type's columns: a value in another type's column is a row out of place.
OWN = {kind: frozenset(c.name for c in (*COMMON, *COLUMNS[kind])) for kind in KINDS}


class Batch(BatchWriter):
    def __init__(self, run, chunk: list[SourceRow]):
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
        value = raw(row.data.get(column)) if column else ""
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
        unknown = [name for name in row.data if name not in KNOWN]
        for name in unknown:
            self.problem(row, name, "This is not a column the import takes")
        kind = raw(row.data.get("record_type")).strip().casefold()
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
        own = OWN[kind]
        for name, value in row.data.items():
            if name not in own and name in KNOWN and value and raw(value).strip():
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
            wanted = {raw(row.data.get(column.name)).strip() for row in rows} - {""}
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
        ext = raw(row.data.get(column)).strip()
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
