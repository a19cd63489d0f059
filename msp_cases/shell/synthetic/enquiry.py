"""Synthetic enquiries: their stage and timeline, and the managers' reviews."""

from __future__ import annotations

from datetime import timedelta
from math import log

from enquiries.models import Enquiry, EnquiryEvent, ManagerReview, Meeting, SafeguardingConcern

from . import national as N
from .draws import Draws
from .staff import Staff

D = SafeguardingConcern.Decision
S = Enquiry.Status
K = EnquiryEvent.Kind


class EnquiryRows(Draws):
    # -- enquiries ------------------------------------------------------------------------------------------
    def enquiry(self, batch, concern, person, staff: Staff, *, forced_open: bool) -> None:
        rng = self.rng
        lead = concern.allocated_to
        manager = rng.choice(staff.managers)
        opened_at = concern.decided_at + timedelta(minutes=1)  # the decision comes first on the timeline
        opened = (opened_at.date() - self.today).days  # a day offset, <= -1
        duration = max(10, int(rng.lognormvariate(log(60), 0.55)))  # median two months
        if forced_open:
            duration = max(duration, -opened + rng.randint(5, 90))
        end = opened + duration
        start = opened + rng.randint(1, 3)
        lag = rng.randint(2, 21)  # from the proposal to the sign-off (a manager's backlog)
        if end <= -1:
            status, proposed, closed = S.CLOSED, max(end - lag, start + 1), end
        elif start > -1 or (-1 - opened) / duration < 0.1:
            status, proposed, closed = S.OPEN, None, None
        elif end - lag <= -1 and end - lag > start:
            status, proposed, closed = S.PROPOSED_FOR_CLOSURE, end - lag, None
        else:
            status, proposed, closed = S.IN_PROGRESS, None, None
        closing = proposed is not None
        last = proposed if closing else -1  # the last day work with the person can have happened
        enquiry = batch.add(
            Enquiry(
                **self.ref("person", person),
                concern=concern,
                enquiry_type=Enquiry.Type.SECTION_42
                if concern.decision == D.SECTION_42
                else Enquiry.Type.OTHER,
                team=staff.team,
                lead_practitioner=lead,
                status=status,
                opened_at=opened_at,
                proposed_for_closure_at=self.at(proposed, hour=17) if closing else None,
                closed_at=self.at(closed, hour=17, minute=30) if closed is not None else None,
                risk_location=concern.risk_location,
                risk_source=concern.risk_source,
            )
        )
        batch.enquiry_risks.append((enquiry, batch.concern_risks[-1][1]))
        self.events(batch, enquiry, lead, manager, start, status)
        self.reviews(batch, enquiry, staff, opened, closed if closed is not None else -1)
        if status == S.OPEN:
            return
        conversations = self.conversations(batch, enquiry, person, lead, start, last, closing)
        first_with_person = conversations[0]
        self.capacity_and_outcomes(batch, enquiry, first_with_person, lead, closing, proposed)
        self.plan(batch, enquiry, lead, start, last, closing)
        if self.chance(0.3):
            batch.add(
                Meeting(
                    enquiry=enquiry,
                    kind=rng.choices(("planning", "strategy", "case_conference"), weights=(60, 30, 10))[0],
                    held_on=self.day(rng.randint(start, last)),
                    attendees=f"{lead.full_name}; the person's advocate; the provider's manager",
                    participation=rng.choice(("attended", "part", "met_chair", "statement", "declined")),
                    persons_views=rng.choice(N.WANTS),
                    created_by=lead,
                )
            )
        self.conclusion(batch, enquiry, lead, manager, start, status, proposed)

    def events(self, batch, enquiry, lead, manager, start: int, status: str) -> None:
        steps = [(K.OPENED, enquiry.opened_at, manager, "", S.OPEN)]
        if status != S.OPEN:
            steps.append((K.STARTED, self.at(start, hour=9), lead, S.OPEN, S.IN_PROGRESS))
        if enquiry.proposed_for_closure_at:
            steps.append(
                (K.PROPOSED, enquiry.proposed_for_closure_at, lead, S.IN_PROGRESS, S.PROPOSED_FOR_CLOSURE)
            )
        if enquiry.closed_at:
            steps.append((K.CLOSED, enquiry.closed_at, manager, S.PROPOSED_FOR_CLOSURE, S.CLOSED))
        for kind, when, by, from_status, to_status in steps:
            batch.add(
                EnquiryEvent(
                    enquiry=enquiry,
                    kind=kind,
                    occurred_at=when,
                    by=by,
                    from_status=from_status,
                    to_status=to_status,
                    allocated_to=enquiry.lead_practitioner if kind == K.OPENED else None,
                )
            )

    def reviews(self, batch, enquiry, staff: Staff, opened: int, until: int) -> None:
        """Supervision every few weeks; sometimes a gap longer than the 28-day rule."""
        rng = self.rng
        enquiry.last_reviewed_at = enquiry.opened_at
        day = opened + rng.randint(10, 35)
        while day <= until:
            review = batch.add(
                ManagerReview(
                    enquiry=enquiry,
                    reviewed_at=self.at(day, hour=15),
                    by=rng.choice(staff.managers),
                    note="Discussed progress and what the person wants next; plan still fits.",
                )
            )
            enquiry.last_reviewed_at = review.reviewed_at
            day += rng.randint(14, 45)
