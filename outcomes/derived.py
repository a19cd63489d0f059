"""What recording a desired outcome implies for the enquiry, as one rule the service and the synthetic data
generator share (SG4a consistency): outcomes recorded means the person, or their representative, was asked.
A pure function of plain values: no queries, no clock."""

from __future__ import annotations

import datetime

from enquiries.models.choices import OutcomesAsked

IMPLY_ASKED = (OutcomesAsked.NO, OutcomesAsked.DONT_KNOW, OutcomesAsked.NOT_RECORDED)


def outcomes_asked_after_outcome(
    *, outcomes_asked: str, outcomes_asked_on: datetime.date | None, said_on: datetime.date
) -> dict:
    """The enquiry's changes once an outcome said on `said_on` is recorded: No / Don't Know / Not Recorded
    becomes "asked and expressed" (dated when the outcome was said, unless a date is there already).
    Empty when the answer already allows outcomes."""
    if outcomes_asked not in IMPLY_ASKED:
        return {}
    changes = {"outcomes_asked": OutcomesAsked.ASKED_EXPRESSED}
    if not outcomes_asked_on:
        changes["outcomes_asked_on"] = said_on
    return changes
