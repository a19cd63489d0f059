"""The managers' pages: the team dashboard (their teams' work at a glance, allocating from it) and the
sign-off queue. Read-only pages: each panel comes from one selector (enquiries.selectors.dashboard);
allocation and sign-off happen on the enquiry's own pages, which check the role again."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from msp_cases.accounts.models import Team
from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor
from msp_cases.oversight import may_oversee, overseen_teams

from ..models import Enquiry
from ..selectors import dashboard as selectors

QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class TeamChoice:
    teams: list[Team]  # every team the user may oversee, for the filter
    team: Team | None  # the one chosen, or None for all of them

    @property
    def team_ids(self) -> list[int]:
        return [self.team.pk] if self.team else [t.pk for t in self.teams]

    @property
    def label(self) -> str:
        if self.team:
            return self.team.name
        if len(self.teams) == 1:
            return self.teams[0].name
        return "All teams"


def _team_choice(request: HttpRequest) -> TeamChoice:
    """The teams the page covers: practitioners and administrators get "You cannot do this" (403); a team
    the user may not oversee in the query string is ignored (all their teams are shown)."""
    if not may_oversee(request.user):
        raise PermissionDenied
    teams = list(overseen_teams(request.user).order_by("name"))
    wanted = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == wanted), None)
    return TeamChoice(teams=teams, team=team)


@require_GET
def team_dashboard(request: HttpRequest) -> HttpResponse:
    choice = _team_choice(request)
    now = timezone.now()
    team_ids = choice.team_ids
    unallocated_enquiries, unallocated_concerns = selectors.unallocated(user=request.user, team_ids=team_ids)
    figures = selectors.open_enquiry_figures(user=request.user, team_ids=team_ids, now=now)
    concerns = selectors.concerns_by_age(user=request.user, team_ids=team_ids, now=now)
    drift = selectors.drift_by_rule(user=request.user, team_ids=team_ids)
    grace_days = selectors.sign_off_grace_days()
    sign_off = selectors.sign_off_queue(
        user=request.user, team_ids=team_ids, now=now, grace_days=grace_days, limit=selectors.SIGN_OFF_PREVIEW
    )
    # Over every team the open enquiries run to tens of thousands: a page at a time (?page=).
    paginator = Paginator(
        selectors.open_enquiries_queryset(user=request.user, team_ids=team_ids, now=now), selectors.LIST_LIMIT
    )
    # The list is the open enquiries the figures counted (the same teams and access rule): their number is
    # the figures' total, not a second count of them all.
    paginator.count = figures.total
    open_page = paginator.get_page(request.GET.get("page"))
    open_enquiries = open_page.object_list = selectors.open_enquiry_rows(open_page.object_list, now=now)
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[
            row.person_id for rows in (unallocated_concerns, unallocated_enquiries, sign_off) for row in rows
        ]
        + [e.person_id for e in open_enquiries],
        detail="Name shown on the team dashboard",
    )
    return render(
        request,
        "enquiries/dashboard/team.html",
        {
            "choice": choice,
            "may_allocate": selectors.may_allocate_from_dashboard(request.user),
            "may_sign_off": selectors.may_sign_off_from_dashboard(request.user),
            "age_bands": [label for _, label, *_ in selectors.AGE_BANDS],
            "stages": figures.stages,
            "open_total": figures.total,
            "concerns": concerns,
            "drift": drift,
            "drift_open": sum(row.open for row in drift),
            "drift_escalated": sum(row.escalated for row in drift),
            "unallocated_enquiries": unallocated_enquiries,
            "unallocated_concerns": unallocated_concerns,
            "open_enquiries": open_enquiries,
            "page": open_page,
            "query_prefix": urlencode({"team": choice.team.pk}) + "&" if choice.team else "",
            "sign_off": sign_off,
            # The sign-off queue is the open enquiries proposed for closure: counted with the figures.
            "sign_off_total": figures.stage_total(Enquiry.Status.PROPOSED_FOR_CLOSURE),
            "grace_days": grace_days,
            "practitioners": selectors.caseload_by_practitioner(
                user=request.user, team_ids=team_ids, now=now, figures=figures
            ),
            "list_limit": selectors.LIST_LIMIT,
        },
    )


@require_GET
def sign_off_queue(request: HttpRequest) -> HttpResponse:
    choice = _team_choice(request)
    grace_days = selectors.sign_off_grace_days()
    # Over every team the queue runs to thousands: a page at a time (?page=).
    page = Paginator(
        selectors.sign_off_queryset(user=request.user, team_ids=choice.team_ids), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    queue = page.object_list = selectors.sign_off_rows(
        page.object_list, user=request.user, now=timezone.now(), grace_days=grace_days
    )
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[e.person_id for e in queue],
        detail="Name shown in the sign-off queue",
    )
    return render(
        request,
        "enquiries/dashboard/sign_off_queue.html",
        {
            "choice": choice,
            "may_sign_off": selectors.may_sign_off_from_dashboard(request.user),
            "queue": queue,
            "page": page,
            "query_prefix": urlencode({"team": choice.team.pk}) + "&" if choice.team else "",
            "grace_days": grace_days,
        },
    )


urlpatterns = [
    path("team/", team_dashboard, name="team_dashboard"),
    path("team/sign-off/", sign_off_queue, name="sign_off_queue"),
]
