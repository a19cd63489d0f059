"""Reads about safeguarding concerns and their decisions, scoped to the user (msp_cases.access)."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from msp_cases import access
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import ADD_CONCERN, SCREEN_REFERRAL

from .. import timescales
from ..models import Enquiry, SafeguardingConcern


def concerns_awaiting_decision(*, user) -> QuerySet[SafeguardingConcern]:
    """Concerns the user may see that still await a decision, oldest first (the most urgent at the top).

    Everything a row needs is joined here, so a table of them costs one query however long it is. The due
    date and overdue flag come from `received_at` alone: pass the rows through `with_decision_due` to have
    them as attributes, computed in Python without further queries."""
    qs = SafeguardingConcern.objects.select_related("person", "team", "allocated_to").filter(
        decision=SafeguardingConcern.Decision.PENDING
    )
    return access.scoped(qs, user).order_by("received_at", "pk")


def with_decision_due(
    concerns: Iterable[SafeguardingConcern], now: datetime | None = None
) -> list[SafeguardingConcern]:
    """The concerns, each with `decision_due` (datetime) and `decision_overdue` (bool) set. No queries."""
    now = now or timezone.now()
    rows = list(concerns)
    for concern in rows:
        concern.decision_due = timescales.decision_due(concern)
        concern.decision_overdue = timescales.decision_overdue(concern, now=now)
    return rows


def concern_enquiries(*, user, concern: SafeguardingConcern) -> QuerySet[Enquiry]:
    """The enquiries opened from this concern that the user may see."""
    qs = Enquiry.objects.select_related("lead_practitioner", "team").filter(concern=concern)
    return access.scoped(qs, user).order_by("opened_at", "pk")


def teams_for_new_concern(*, user) -> QuerySet[Team]:
    """The teams a user may record a concern for: their own active teams. Unit staff and administrators
    belong to no case team, so they have none. The front door records a referral's concern for whichever
    active team it routes it to."""
    if access.is_read_only(user):
        return Team.objects.none()
    if user.has_perm(SCREEN_REFERRAL):
        return Team.objects.filter(is_active=True).order_by("name")
    if not user.has_perm(ADD_CONCERN):
        return Team.objects.none()
    return Team.objects.filter(members=user, is_active=True).order_by("name")


def workers_in_teams(*, teams: Iterable[Team]) -> QuerySet[User]:
    """People who may be allocated a concern or lead an enquiry in these teams: active members."""
    return User.objects.staff().filter(teams__in=list(teams)).distinct().order_by("full_name", "pk")
