"""Allocating a concern while it awaits a decision: a manager in the concern's team chooses who looks at it.

Allocation is its own step, apart from the concern's details: a concern from the front door arrives in the
referrer's words, without types, location or source of risk, and classifying it is the practitioner's work
before the decision (which asks for them, enquiries.services.concerns.decision_problems). As the enquiry's
allocation (enquiries.services.lifecycle.transitions.enquiry_allocate): one `concern_allocate_refusal` decides
both whether the dashboard offers the link and whether the service accepts, the locked row is re-checked, a
stale page is refused, and the change is versioned (the concern's history says who allocated it to whom,
when)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from msp_cases.accounts import roles
from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError, versioned_update
from msp_cases.core.text import has_visible_text

from ..models import SafeguardingConcern
from ..refusals import TransitionNotPermitted, TransitionRefused
from .case_notifications import concern_allocated_notify
from .concerns import ConcernAlreadyDecided
from .drift import drift_resolve_cleared


def concern_allocate_refusal(*, user: User, concern: SafeguardingConcern) -> TransitionRefused | None:
    """Why `user` may not allocate `concern` now, or None when they may. Role first, then the concern's state.
    (Whether they may see it at all is the shared access rule's, answered by the selector with a 404.)"""
    if not user.has_perm(roles.EDIT_CASE, concern):
        return TransitionNotPermitted("You cannot change this concern.")
    if not (user.has_perm(roles.ALLOCATE) and user.teams.filter(pk=concern.team_id).exists()):
        return TransitionNotPermitted("Only a manager in the concern's team can allocate it.")
    if concern.decision != SafeguardingConcern.Decision.PENDING:
        return TransitionRefused(
            "A decision has already been recorded for this concern. Allocate its enquiry instead."
        )
    return None


def allocation_candidates(*, team_id: int):
    """Who a concern or enquiry of a team may be allocated to: the team's active practitioners, by name (not
    its managers, administrators or unit staff who may belong to it)."""
    return User.objects.filter(teams=team_id, is_active=True, groups__name=roles.PRACTITIONER).order_by(
        "full_name", "pk"
    )


def allocation_problem(*, practitioner: User | None, team) -> str:
    """Why `practitioner` may not be given work of `team`, or "" when they may. One query."""
    if practitioner is None or not practitioner.is_active:
        return "Choose an active practitioner."
    if not allocation_candidates(team_id=team.pk).filter(pk=practitioner.pk).exists():
        return f"{practitioner} is not a practitioner in {team}."
    return ""


@dataclass(frozen=True)
class AllocationEntry:
    at: datetime.datetime
    by: User | None
    to: User | None
    reason: str


def allocation_history(*, concern: SafeguardingConcern) -> list[AllocationEntry]:
    """Who the concern was allocated to, by whom, when and why, oldest first, from its history (one query)."""
    entries: list[AllocationEntry] = []
    previous = None
    versions = concern.history.select_related("history_user", "allocated_to").order_by("history_date", "pk")
    for version in versions:
        if version.allocated_to_id != previous and version.allocated_to_id is not None:
            entries.append(
                AllocationEntry(
                    at=version.history_date,
                    by=version.history_user,
                    to=version.allocated_to,
                    reason=version.allocation_reason,
                )
            )
        previous = version.allocated_to_id
    return entries


@transaction.atomic
def concern_allocate(
    *,
    actor: Actor,
    concern: SafeguardingConcern,
    practitioner: User | None,
    expected_version: int,
    reason: str = "",
) -> SafeguardingConcern:
    """Allocate (or re-allocate) a concern awaiting a decision to a practitioner of its team, and tell them.
    Every allocation of a concern goes through here (the allocate page, and allocating many from the team
    dashboard: enquiries.services.bulk_allocation). A re-allocation needs a reason, kept in the concern's
    history. Refused with ConcurrentEditError if someone saved the concern since `expected_version`, with
    ConcernAlreadyDecided once it is decided, and with TransitionRefused for anyone but a manager in the
    concern's team or a practitioner who cannot take it."""
    locked = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(current=locked)
    if locked.decision != SafeguardingConcern.Decision.PENDING:
        raise ConcernAlreadyDecided(locked)
    refusal = concern_allocate_refusal(user=actor.user, concern=locked)
    if refusal is not None:
        raise refusal
    problem = allocation_problem(practitioner=practitioner, team=locked.team)
    if problem:
        raise TransitionRefused(problem)
    if locked.allocated_to_id == practitioner.pk:
        raise TransitionRefused(f"The concern is already allocated to {practitioner}.")
    if locked.allocated_to_id is not None and not has_visible_text(reason):
        raise TransitionRefused("Enter the reason for re-allocating the concern.")
    allocated = versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes={"allocated_to": practitioner, "allocation_reason": reason.strip()},
        detail="Safeguarding concern re-allocated"
        if locked.allocated_to_id
        else "Safeguarding concern allocated",
    )
    # A reminder about the concern follows whoever now has it.
    drift_resolve_cleared(concern=allocated, now=timezone.now())
    # Told, unless they allocated it to themselves (case_notifications).
    concern_allocated_notify(actor_id=actor.user.pk, concern=allocated)
    return allocated
