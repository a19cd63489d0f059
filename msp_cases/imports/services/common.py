"""What the import's parts share: the models each record type becomes, a problem as reported, and the hash
that tells a row unchanged since it was last imported."""

import hashlib
import json
from dataclasses import dataclass

from enquiries.models import ConversationLog, Enquiry, Person, SafeguardingConcern
from outcomes.models import DesiredOutcome

from ..columns import COLUMNS, COMMON, CONCERN, CONVERSATION, ENQUIRY, OUTCOME, PERSON
from ..models import ImportedRecord

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
EXTERNAL_ID_MAX = ImportedRecord._meta.get_field("external_id").max_length


@dataclass
class Problem:
    line: int
    column: str
    value: str  # as in the file: may be personal data, so shown to the operator only, never logged
    message: str


@dataclass
class Failed:
    """A row of this batch that has problems: a row referring to it is reported, not checked further."""

    line: int


def row_hash(kind: str, data: dict) -> str:
    names = [c.name for c in COMMON] + [c.name for c in COLUMNS[kind]]
    canonical = {name: raw(data.get(name)).strip() for name in names}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def raw(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value)
