"""Allocating several waiting concerns and enquiries to one practitioner at once, from the team dashboard.

All or none: every chosen record is locked and checked first, and if any of them cannot be allocated now
(someone else allocated it since the manager ticked it, a decision was recorded, it was closed, the
practitioner is not in its team) nothing is changed and every reason is given, each naming its record. Then
each record goes through the one service that allocates it (`concern_allocate`, `enquiry_allocate`), so
whatever an allocation does (its history, the record of access, telling the practitioner) happens exactly as
when it is allocated on its own page."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor

from ..models import Enquiry, SafeguardingConcern
from ..refusals import TransitionRefused
from .concern_allocation import (
    allocation_candidates,
    allocation_problem,
    concern_allocate,
    concern_allocate_refusal,
)
from .lifecycle import ALLOCATE, Standing, enquiry_allocate, transition_refusal

# The most records allocated in one go: the dashboard lists this many waiting (selectors.dashboard.LIST_LIMIT
# is larger, but a manager ticking more than this at once is better served by two goes).
BULK_MAX = 50


class BulkAllocationRefused(TransitionRefused):
    """Nothing was allocated: `problems` says why, one line per record that could not be."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if problems else "Nothing was allocated.")
        self.problems = problems


@dataclass(frozen=True)
class BulkAllocated:
    concerns: list[SafeguardingConcern]
    enquiries: list[Enquiry]

    @property
    def count(self) -> int:
        return len(self.concerns) + len(self.enquiries)


def bulk_candidates(*, team_ids: Iterable[int]):
    """Who records of all these teams may be allocated to together: practitioners in every one of them."""
    team_ids = sorted(set(team_ids))
    if not team_ids:
        return User.objects.none()
    candidates = allocation_candidates(team_id=team_ids[0])
    for team_id in team_ids[1:]:
        candidates = candidates.filter(pk__in=allocation_candidates(team_id=team_id).values("pk"))
    return candidates


def _concern_problem(*, actor: Actor, concern: SafeguardingConcern, practitioner: User | None) -> str:
    name = concern.person.display_name
    if concern.decision != SafeguardingConcern.Decision.PENDING:
        return f"A decision has been recorded on the concern about {name} since you chose it"
    if concern.allocated_to_id is not None:
        return f"The concern about {name} has been allocated to {concern.allocated_to} since you chose it"
    refusal = concern_allocate_refusal(user=actor.user, concern=concern)
    if refusal is not None:
        return f"The concern about {name}: {refusal.message}"
    problem = allocation_problem(practitioner=practitioner, team=concern.team)
    return f"The concern about {name}: {problem}" if problem else ""


def _enquiry_problem(*, actor: Actor, enquiry: Enquiry, practitioner: User | None) -> str:
    name = enquiry.person.display_name
    if enquiry.lead_practitioner_id is not None:
        return (
            f"The enquiry about {name} has been allocated to {enquiry.lead_practitioner} since you chose it"
        )
    refusal = transition_refusal(ALLOCATE, standing=Standing.of(actor.user, enquiry), enquiry=enquiry)
    if refusal is not None:
        return f"The enquiry about {name}: {refusal.message}"
    problem = allocation_problem(practitioner=practitioner, team=enquiry.team)
    return f"The enquiry about {name}: {problem}" if problem else ""


@transaction.atomic
def allocations_bulk(
    *,
    actor: Actor,
    concern_ids: Iterable[int],
    enquiry_ids: Iterable[int],
    practitioner: User | None,
) -> BulkAllocated:
    """Allocate every chosen concern awaiting a decision and every chosen open enquiry to `practitioner`, or
    none of them (BulkAllocationRefused, with a line for each record that cannot be allocated now). Only for
    records nobody holds: re-allocating is done one record at a time, with a reason."""
    concern_ids, enquiry_ids = sorted(set(concern_ids)), sorted(set(enquiry_ids))
    if not concern_ids and not enquiry_ids:
        raise BulkAllocationRefused(["Select the concerns and enquiries to allocate"])
    if len(concern_ids) + len(enquiry_ids) > BULK_MAX:
        raise BulkAllocationRefused([f"Select at most {BULK_MAX} concerns and enquiries at once"])
    # Locked in one order (by id), so two managers allocating overlapping choices wait for each other rather
    # than deadlock; only the records' own rows (the nullable holder would be an outer join).
    concerns = list(
        SafeguardingConcern.objects.select_for_update(of=("self",))
        .select_related("person", "team", "allocated_to")
        .filter(pk__in=concern_ids)
        .order_by("pk")
    )
    enquiries = list(
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("person", "team", "lead_practitioner")
        .filter(pk__in=enquiry_ids)
        .order_by("pk")
    )
    problems = []
    if len(concerns) != len(concern_ids) or len(enquiries) != len(enquiry_ids):
        problems.append("A record you chose no longer exists")
    problems += [
        p for c in concerns if (p := _concern_problem(actor=actor, concern=c, practitioner=practitioner))
    ]
    problems += [
        p for e in enquiries if (p := _enquiry_problem(actor=actor, enquiry=e, practitioner=practitioner))
    ]
    if problems:
        raise BulkAllocationRefused(problems)
    allocated_concerns = [
        concern_allocate(actor=actor, concern=c, practitioner=practitioner, expected_version=c.version)
        for c in concerns
    ]
    allocated_enquiries = [
        enquiry_allocate(actor=actor, enquiry=e, lead_practitioner=practitioner, expected_version=e.version)
        for e in enquiries
    ]
    return BulkAllocated(concerns=allocated_concerns, enquiries=allocated_enquiries)
