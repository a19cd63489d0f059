"""One chunk of rows, kept as plain dicts (column attname → value) by model, parents before children.

Plain dicts, not model instances: building ten million Django instances costs minutes of Python that a bulk
load does not need. A row other rows point at (a person, a concern, an enquiry, a conversation, a plan action,
a desired outcome) is given its id when it is added, taken from the table's own sequence in blocks
(load.IdBlocks), so a child names its parent's id before either is saved; the other tables take their ids
from the database as they are loaded."""

from __future__ import annotations

from enquiries.models import (
    AgreedDateChange,
    ConversationLog,
    Enquiry,
    EnquiryEvent,
    ManagerReview,
    Meeting,
    NetworkMember,
    Person,
    PlanAction,
    SafeguardingConcern,
)
from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
from outcomes.models import DesiredOutcome, DesiredOutcomeRevision

# Insertion order: every table after the tables it refers to.
ORDER = [
    Person,
    Person.restricted_to.through,
    NetworkMember,
    SafeguardingConcern,
    SafeguardingConcern.risk_types.through,
    Enquiry,
    Enquiry.risk_types.through,
    EnquiryEvent,
    ConversationLog,
    DesiredOutcome,
    DesiredOutcomeRevision,
    PlanAction,
    AgreedDateChange,
    Meeting,
    ManagerReview,
    ExperienceFeedbackPart1,
    ExperienceFeedbackPart2,
    OrganisationPerspective,
]
# Tables whose rows are pointed at by rows of the same chunk: their ids are taken up front.
KEYED = frozenset({Person, SafeguardingConcern, Enquiry, ConversationLog, PlanAction, DesiredOutcome})


class Batch:
    """The rows of one chunk of concerns, by model, in insertion order."""

    def __init__(self, ids):
        self.ids = ids
        self.rows: dict[type, list[dict]] = {model: [] for model in ORDER}

    def add(self, model, row: dict) -> dict:
        """Keep `row` for `model`; a row of a KEYED table gets its `id` now."""
        if model in KEYED:
            row["id"] = self.ids.take(model)
        self.rows[model].append(row)
        return row

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows.values())
