"""The managers' pages: the team dashboard (their teams' work at a glance, allocating from it) and the
sign-off queue. Read-only pages: each panel comes from one selector (enquiries.selectors.dashboard);
allocation and sign-off happen on the enquiry's own pages, which check the role again."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.accounts.models import Team
from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.kept import kept, kept_rendering
from msp_cases.oversight import may_oversee, overseen_teams

from ..selectors import dashboard as selectors

QUEUE_PAGE_SIZE = 50
# How long unit staff's figures over many teams are kept before the page counts them again.
FIGURES_KEPT_SECONDS = 300


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


@require_http_methods(["GET", "POST"])
def team_dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard (GET); "Recalculate now" (POST to the same address) counts kept figures again."""
    choice = _team_choice(request)
    now = timezone.now()
    team_ids = choice.team_ids
    figures = _figures(request, team_ids=team_ids, now=now, recount=request.method == "POST")
    if request.method == "POST":  # back to the page as a GET, so reloading it does not count again
        messages.success(request, "Figures recalculated")
        return redirect(request.get_full_path())
    unallocated_enquiries, unallocated_concerns = selectors.unallocated(user=request.user, team_ids=team_ids)
    grace_days = selectors.sign_off_grace_days()
    sign_off = selectors.sign_off_queue(
        user=request.user, team_ids=team_ids, now=now, grace_days=grace_days, limit=selectors.SIGN_OFF_PREVIEW
    )
    # Over every team the open enquiries run to tens of thousands: a page at a time (?page=).
    paginator = Paginator(
        selectors.open_enquiries_queryset(user=request.user, team_ids=team_ids, now=now), selectors.LIST_LIMIT
    )
    # The figures' total is the number of these enquiries (the same teams and access rule), not a second
    # count of them all. Kept figures may be a few minutes old (the page says when they were counted): over
    # every team a page at the end of the list may then show a few more or fewer rows than the caption says
    # until the next count, which is the price of not counting 61,000 enquiries on every page.
    paginator.count = figures.values.open_total
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
            "figures": figures.values,
            "figures_as_at": figures.as_at if figures.kept else None,
            "kept_minutes": max(1, round(FIGURES_KEPT_SECONDS / 60)),
            "caseload_tables": figures.caseload_tables,
            "unallocated_enquiries": unallocated_enquiries,
            "unallocated_concerns": unallocated_concerns,
            "open_enquiries": open_enquiries,
            "page": open_page,
            "query_prefix": urlencode({"team": choice.team.pk}) + "&" if choice.team else "",
            "sign_off": sign_off,
            "grace_days": grace_days,
            "list_limit": selectors.LIST_LIMIT,
        },
    )


@dataclass(frozen=True)
class _Figures:
    values: selectors.DashboardFigures
    as_at: datetime.datetime
    kept: bool  # may be up to FIGURES_KEPT_SECONDS old (the page says when they were counted)
    caseload_tables: str  # per team over several teams, per practitioner where the page counts it


def _figures(request: HttpRequest, *, team_ids: list[int], now: datetime.datetime, recount: bool) -> _Figures:
    """The page's figures: counted now, or for unit staff over many teams kept for a few minutes
    (selectors.figures_kept_for), with the caseload tables' HTML rendered once per count. Over every team
    the caseload is a row per team (150 at national scale), each leading to that team's page and its
    practitioners, not a thousand practitioners on one page."""
    user = request.user
    kept_for = selectors.figures_kept_for(user, team_ids)
    seconds = FIGURES_KEPT_SECONDS if kept_for else 0
    counted = kept(
        selectors.figures_key(user, team_ids),
        lambda: selectors.dashboard_figures(
            user=user, team_ids=team_ids, now=now, per_practitioner=not kept_for
        ),
        seconds=seconds,
        recount=recount,
    )
    tables = kept_rendering(
        counted,
        "caseload",
        lambda: render_to_string(
            "enquiries/dashboard/_caseload.html",
            {
                "teams": counted.figures.teams,
                "practitioners": counted.figures.practitioners,
                "per_practitioner": not kept_for,
            },
        ),
        seconds=seconds,
    )
    return _Figures(values=counted.figures, as_at=counted.as_at, kept=seconds > 0, caseload_tables=tables)


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
