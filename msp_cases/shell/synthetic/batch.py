"""One batch of rows, inserted with bulk_create parents first so children pick up their ids."""

from __future__ import annotations

from collections import Counter

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
from outcomes.models import DesiredOutcome


class Batch:
    """The rows of one batch of concerns, by model, in insertion order (parents before children)."""

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
        PlanAction,
        AgreedDateChange,
        Meeting,
        ManagerReview,
        ExperienceFeedbackPart1,
        ExperienceFeedbackPart2,
        OrganisationPerspective,
    ]

    def __init__(self):
        self.rows: dict[type, list] = {model: [] for model in self.ORDER}
        # Through rows need their parents' ids: kept as (parent, other id) until the parent is saved.
        self.restricted: list[tuple[Person, int]] = []
        self.concern_risks: list[tuple[SafeguardingConcern, list[str]]] = []
        self.enquiry_risks: list[tuple[Enquiry, list[str]]] = []

    def add(self, obj):
        self.rows[type(obj)].append(obj)
        return obj

    def save(self, *, batch_size: int) -> Counter:
        counts: Counter = Counter()
        through_rows = {
            Person.restricted_to.through: lambda: [
                Person.restricted_to.through(person_id=p.pk, user_id=u) for p, u in self.restricted
            ],
            SafeguardingConcern.risk_types.through: lambda: [
                SafeguardingConcern.risk_types.through(safeguardingconcern_id=c.pk, risktypeoption_id=code)
                for c, codes in self.concern_risks
                for code in codes
            ],
            Enquiry.risk_types.through: lambda: [
                Enquiry.risk_types.through(enquiry_id=e.pk, risktypeoption_id=code)
                for e, codes in self.enquiry_risks
                for code in codes
            ],
        }
        for model in self.ORDER:
            rows = through_rows[model]() if model in through_rows else self.rows[model]
            if rows:
                model.objects.bulk_create(rows, batch_size=batch_size)
            counts[model._meta.label] += len(rows)
        return counts
