"""The fields an enquiry keeps that follow from other records, each rule written once.

The services apply these as things happen (a decision opens an enquiry, a conversation is had with the
person and agrees the next contact, a manager reviews, the conclusion is recorded); the synthetic data
generator applies the same functions to the history it builds, so bulk data cannot drift from what the
services would have written. Pure functions of plain values: no queries, no clock."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from ..models import Enquiry, SafeguardingConcern

Decision = SafeguardingConcern.Decision

# The decisions that open an enquiry, and of which type.
ENQUIRY_TYPE_FOR_DECISION = {
    Decision.SECTION_42: Enquiry.Type.SECTION_42,
    Decision.OTHER_ENQUIRY: Enquiry.Type.OTHER,
}

# The latest conversation of a case: the one that happened last, then the one recorded last. The services
# ask the database in this order; `next_contact_after` applies it in Python.
LATEST_CONVERSATION_FIRST = ("-occurred_at", "-pk")


def enquiry_type_for(decision: str) -> str | None:
    """The type of enquiry a decision on a concern opens (None: it opens none)."""
    return ENQUIRY_TYPE_FOR_DECISION.get(decision)


def enquiry_opening(
    *,
    enquiry_type: str,
    team_id: int,
    allocated_to_id: int | None,
    risk_location: str,
    risk_source: str,
    opened_at: datetime.datetime,
    lead_practitioner_id: int | None = None,
) -> dict:
    """An enquiry's fields when it opens: the concern's team, worker (unless another lead is chosen) and risk
    details carried across, and "no manager review for N days" counted from the opening until the first
    review. The concern's risk types carry over too (a many-to-many, set after saving)."""
    return {
        "enquiry_type": enquiry_type,
        "team_id": team_id,
        "lead_practitioner_id": lead_practitioner_id or allocated_to_id,
        "status": Enquiry.Status.OPEN,
        "opened_at": opened_at,
        "risk_location": risk_location,
        "risk_source": risk_source,
        "last_reviewed_at": opened_at,
    }


def next_contact_after(
    conversations: Iterable[tuple[datetime.datetime, int, datetime.date | None, str]],
) -> tuple[datetime.date | None, str]:
    """The enquiry's next contact: what the latest conversation agreed (date or None, how), given each
    conversation's current version as (occurred_at, id, next_contact_on, next_contact_how)."""
    latest = max(conversations, key=lambda c: (c[0], c[1]), default=None)
    return (latest[2], latest[3]) if latest else (None, "")


def last_with_person_after(
    conversations: Iterable[tuple[datetime.datetime, bool]],
) -> datetime.datetime | None:
    """`Enquiry.last_with_person_at`: when the latest conversation with the person happened (None: none yet),
    given each conversation's current version as (occurred_at, with_person). A correction counts as corrected:
    an amendment that moves the date, or finds the person was not there after all, moves this too."""
    return max((at for at, with_person in conversations if with_person), default=None)


def last_reviewed_after(
    last_reviewed_at: datetime.datetime | None, reviewed_at: datetime.datetime
) -> datetime.datetime:
    """`Enquiry.last_reviewed_at` once a manager review is recorded: the latest review."""
    return reviewed_at if last_reviewed_at is None else max(last_reviewed_at, reviewed_at)


def conclusion_recorded_after(
    *, action_result: str, conclusion_recorded_at: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime | None:
    """When the conclusion was first recorded: the first time an action and result is set (the drift rule
    "Part 2 outstanding at closure" counts from it); later changes keep the first time."""
    if action_result and conclusion_recorded_at is None:
        return now
    return conclusion_recorded_at
