"""Synthetic enquiries: their stage and timeline, and the managers' reviews."""

from __future__ import annotations

from datetime import timedelta
from math import log

from enquiries.models import Enquiry, EnquiryEvent, ManagerReview, Meeting, SafeguardingConcern
from enquiries.services.derived import enquiry_opening, enquiry_type_for, last_reviewed_after

from . import national as N
from .draws import Draws
from .staff import Staff

D = SafeguardingConcern.Decision
S = Enquiry.Status
K = EnquiryEvent.Kind


class EnquiryRows(Draws):
    # -- enquiries ------------------------------------------------------------------------------------------
    def enquiry(self, batch, concern: dict, staff: Staff, *, forced_open: bool, long: bool) -> None:
        """One enquiry from its concern's decision, through the stages to today. A `long` one is the long tail
        real casework has: in progress for most of the year, with 100 to 300 entries on its timeline."""
        rng = self.rng
        lead = self.users[concern["allocated_to_id"]]
        manager = rng.choice(staff.managers)
        opened_at = concern["decided_at"] + timedelta(minutes=1)  # the decision comes first on the timeline
        opened = (opened_at.date() - self.today).days  # a day offset, <= -1
        duration = max(10, int(rng.lognormvariate(log(60), 0.55)))  # median two months
        if forced_open or long:
            duration = max(duration, -opened + rng.randint(5, 90))
        end = opened + duration
        start = opened + rng.randint(1, 3)
        lag = rng.randint(2, 21)  # from the proposal to the sign-off (a manager's backlog)
        if end <= -1:
            status, proposed, closed = S.CLOSED, max(end - lag, start + 1), end
        elif not long and (start > -1 or (-1 - opened) / duration < 0.1):
            status, proposed, closed = S.OPEN, None, None
        elif end - lag <= -1 and end - lag > start:
            status, proposed, closed = S.PROPOSED_FOR_CLOSURE, end - lag, None
        else:
            status, proposed, closed = S.IN_PROGRESS, None, None
        closing = proposed is not None
        last = proposed if closing else -1  # the last day work with the person can have happened
        enquiry = batch.add(
            Enquiry,
            {
                "person_id": concern["person_id"],
                "concern_id": concern["id"],
                **enquiry_opening(
                    enquiry_type=enquiry_type_for(concern["decision"]),
                    team_id=concern["team_id"],
                    allocated_to_id=concern["allocated_to_id"],
                    risk_location=concern["risk_location"],
                    risk_source=concern["risk_source"],
                    opened_at=opened_at,
                ),
                "status": status,
                "proposed_for_closure_at": self.at(proposed, hour=17) if closing else None,
                "closed_at": self.at(closed, hour=17, minute=30) if closed is not None else None,
            },
        )
        through = Enquiry.risk_types.through
        for code in self.concern_risks:
            batch.add(through, {"enquiry_id": enquiry["id"], "risktypeoption_id": code})
        self.events(batch, enquiry, lead, manager, start, status)
        self.reviews(batch, enquiry, staff, opened, closed if closed is not None else -1)
        if status == S.OPEN:
            return
        # A long case: most of its entries are conversations, then plan actions, meetings and outcome
        # revisions (the timeline's four other kinds), in proportions like a busy real case.
        entries = rng.randint(100, 300) if long else 0
        conversations = self.conversations(
            batch, enquiry, concern["person_id"], lead, start, last, closing, count=entries * 6 // 10
        )
        self.capacity_and_outcomes(
            batch, enquiry, conversations[0], lead, closing, proposed, revisions=entries // 10
        )
        self.plan(batch, enquiry, lead, start, last, closing, count=entries * 2 // 10)
        for _ in range(entries // 10 if long else int(self.chance(0.3))):
            batch.add(
                Meeting,
                {
                    "enquiry_id": enquiry["id"],
                    "kind": rng.choices(("planning", "strategy", "case_conference"), weights=(60, 30, 10))[0],
                    "held_on": self.day(rng.randint(start, last)),
                    "attendees": f"{lead.full_name}; the person's advocate; the provider's manager",
                    "participation": rng.choice(("attended", "part", "met_chair", "statement", "declined")),
                    "persons_views": rng.choice(N.WANTS),
                    "created_by_id": lead.pk,
                },
            )
        self.conclusion(batch, enquiry, lead, manager, start, status, proposed)

    def events(self, batch, enquiry, lead, manager, start: int, status: str) -> None:
        steps = [(K.OPENED, enquiry["opened_at"], manager, "", S.OPEN)]
        if status != S.OPEN:
            steps.append((K.STARTED, self.at(start, hour=9), lead, S.OPEN, S.IN_PROGRESS))
        if enquiry["proposed_for_closure_at"]:
            steps.append(
                (K.PROPOSED, enquiry["proposed_for_closure_at"], lead, S.IN_PROGRESS, S.PROPOSED_FOR_CLOSURE)
            )
        if enquiry["closed_at"]:
            steps.append((K.CLOSED, enquiry["closed_at"], manager, S.PROPOSED_FOR_CLOSURE, S.CLOSED))
        for kind, when, by, from_status, to_status in steps:
            batch.add(
                EnquiryEvent,
                {
                    "enquiry_id": enquiry["id"],
                    "kind": kind,
                    "occurred_at": when,
                    "by_id": by.pk,
                    "from_status": from_status,
                    "to_status": to_status,
                    "allocated_to_id": enquiry["lead_practitioner_id"] if kind == K.OPENED else None,
                },
            )

    def reviews(self, batch, enquiry, staff: Staff, opened: int, until: int) -> None:
        """Supervision every few weeks; sometimes a gap longer than the 28-day rule."""
        rng = self.rng
        day = opened + rng.randint(10, 35)
        while day <= until:
            review = batch.add(
                ManagerReview,
                {
                    "enquiry_id": enquiry["id"],
                    "reviewed_at": self.at(day, hour=15),
                    "by_id": rng.choice(staff.managers).pk,
                    "note": "Discussed progress and what the person wants next; plan still fits.",
                },
            )
            enquiry["last_reviewed_at"] = last_reviewed_after(
                enquiry["last_reviewed_at"], review["reviewed_at"]
            )
            day += rng.randint(14, 45)
