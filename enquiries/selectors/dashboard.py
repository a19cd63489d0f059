"""The managers' team dashboard and sign-off queue: their teams' work at a glance.

Who sees what:
- a **manager** (`enquiries.sign_off_closure`) sees the teams they belong to, and may allocate from the page;
- **safeguarding unit** staff see every team, read-only;
- anyone else (practitioners, administrators) is refused (msp_cases.oversight: `overseen_teams` is empty).

Anything that lists or links a record (the open enquiries, what waits to be allocated, closures awaiting
sign-off) goes through msp_cases.access, so a restricted person's case is never named to someone who may not
see it. The figures (stage × age band, drift flags by rule, caseload per practitioner) go through it too: on
a team's page a count per stage or per practitioner is small enough to point at one case, so a restricted
case counts only for those who may open it. The team part of the rule is the page's own (the teams the viewer
oversees); the restriction part is a small NOT IN over the few restricted people the viewer may not see
(`access.restricted_hidden_q`), not a join of every enquiry to its person. (The statutory reports count every
enquiry of the teams in scope, restricted or not: their figures are aggregates under disclosure control.)

Every panel is one query whatever the number of records (aggregates and correlated subqueries), so the page
costs the same for 3 enquiries as for 30,000; the lists come LIST_LIMIT rows a page, worst first."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from msp_cases import access
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import ALLOCATE, SIGN_OFF, VIEW_RESTRICTED
from msp_cases.core.kept import ids_digest, source_version

from ..models import Enquiry, EnquiryEvent, PlanAction, PlanActionStatus, SafeguardingConcern
from ..models.drift import DriftPolicy, DriftRule, Reminder
from ..refusals import four_eyes_refusal
from .caseload import caseload_enquiries

LIST_LIMIT = 50
SIGN_OFF_PREVIEW = 10  # the dashboard shows the oldest few; the sign-off queue lists them all
OPEN_STATUSES = [s for s in Enquiry.Status.values if s != Enquiry.Status.CLOSED]
# Plan actions neither done nor no longer needed: named, not "not done or cancelled", so the query matches
# the partial index planaction_open_due_on.
OPEN_ACTION_STATUSES = [PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS]
# (key, label, lower bound in days (inclusive), upper bound in days (exclusive) or None)
AGE_BANDS = (
    ("under_7", "Under 7 days", 0, 7),
    ("7_to_28", "7 to 28 days", 7, 28),
    ("28_to_90", "28 to 90 days", 28, 90),
    ("90_plus", "90 days or more", 90, None),
)


def may_allocate_from_dashboard(user) -> bool:
    """Managers allocate; unit staff see every team read-only (access.is_read_only)."""
    return user.has_perm(ALLOCATE) and not access.is_read_only(user)


def may_sign_off_from_dashboard(user) -> bool:
    return user.has_perm(SIGN_OFF) and not access.is_read_only(user)


def _age_band_counts(
    qs: QuerySet,
    *,
    date_field: str,
    group_by: tuple[str, ...] = (),
    now: datetime.datetime,
    **also: Count,
) -> list[dict]:
    """Counts per age band (`date_field` older than each band's lower bound, newer than its upper), with
    any further counts in `also`, per `group_by` (or one row for all of `qs`)."""
    counts = {}
    for key, _, low, high in AGE_BANDS:
        condition = Q(**{f"{date_field}__lte": now - datetime.timedelta(days=low)})
        if high is not None:
            condition &= Q(**{f"{date_field}__gt": now - datetime.timedelta(days=high)})
        counts[key] = Count("pk", filter=condition)
    if not group_by:
        return [qs.order_by().aggregate(total=Count("*"), **counts, **also)]
    return list(qs.order_by().values(*group_by).annotate(total=Count("*"), **counts, **also))


@dataclass
class StageRow:
    label: str
    status: str
    total: int = 0
    bands: list[int] = field(default_factory=list)


def _counted_for(user, qs: QuerySet) -> QuerySet:
    """`qs` (a team's enquiries or concerns) without the restricted cases `user` may not open."""
    return qs.exclude(access.restricted_hidden_q(user))


@dataclass
class OpenEnquiryFigures:
    """What the dashboard counts over the open enquiries in scope, from one query: open enquiries by stage
    and age band (`stages`); per lead practitioner their open enquiries and agreed next contacts passed
    (`per_lead`: lead id -> (open, contacts passed)); and per team its open enquiries, those with no lead
    practitioner and the next contacts passed (`per_team`: team id -> (open, no lead, contacts passed))."""

    stages: list[StageRow]
    per_lead: dict[int, tuple[int, int]]
    per_team: dict[int, tuple[int, int, int]] = field(default_factory=dict)


def open_enquiry_figures(*, user, team_ids: list[int], now: datetime.datetime) -> OpenEnquiryFigures:
    """The open enquiries of the teams, without the restricted cases `user` may not open, counted by stage,
    team, lead practitioner and age band, with the next contacts passed: one query, a GROUP BY of a few
    thousand groups at most (stages × practitioners, a practitioner being in one team or a few), summed here
    into the stage × age table, the caseload per practitioner and the figures per team. The partial index
    `enquiry_open_team_figures` holds every column it reads, so over every team (61,000 open enquiries at
    1,000,000 concerns) it is an index-only scan."""
    today = timezone.localdate(now)
    rows = _age_band_counts(
        _counted_for(user, Enquiry.objects.filter(team_id__in=team_ids, status__in=OPEN_STATUSES)),
        date_field="opened_at",
        group_by=("status", "team", "lead_practitioner"),
        now=now,
        contacts=Count("pk", filter=Q(next_contact_on__lt=today)),
    )
    stages = {status: StageRow(label=Enquiry.Status(status).label, status=status) for status in OPEN_STATUSES}
    for row in stages.values():
        row.bands = [0] * len(AGE_BANDS)
    per_lead: dict[int, tuple[int, int]] = {}
    per_team: dict[int, tuple[int, int, int]] = {}
    for row in rows:
        stage = stages[row["status"]]
        stage.total += row["total"]
        stage.bands = [n + row[key] for n, (key, *_) in zip(stage.bands, AGE_BANDS, strict=True)]
        lead = row["lead_practitioner"]
        if lead is not None:
            n, contacts = per_lead.get(lead, (0, 0))
            per_lead[lead] = (n + row["total"], contacts + row["contacts"])
        n, unallocated, contacts = per_team.get(row["team"], (0, 0, 0))
        per_team[row["team"]] = (
            n + row["total"],
            unallocated + (row["total"] if lead is None else 0),
            contacts + row["contacts"],
        )
    return OpenEnquiryFigures(stages=list(stages.values()), per_lead=per_lead, per_team=per_team)


def enquiries_by_stage(*, user, team_ids: list[int], now: datetime.datetime) -> list[StageRow]:
    """Open enquiries by stage and by how long they have been open: one query."""
    return open_enquiry_figures(user=user, team_ids=team_ids, now=now).stages


def concerns_by_age(*, user, team_ids: list[int], now: datetime.datetime) -> StageRow:
    """Concerns awaiting a decision (the one open stage of a concern) by days since received: one query."""
    return concerns_awaiting(user=user, team_ids=team_ids, now=now)[0]


def concerns_awaiting(
    *, user, team_ids: list[int], now: datetime.datetime
) -> tuple[StageRow, dict[int, tuple[int, int]]]:
    """Concerns awaiting a decision by days since received, and per team how many await a decision and how
    many of those nobody holds (team id -> (awaiting, unallocated)): one query, an index-only scan of
    `concern_pending_received`."""
    rows = _age_band_counts(
        _counted_for(
            user,
            SafeguardingConcern.objects.filter(
                team_id__in=team_ids, decision=SafeguardingConcern.Decision.PENDING
            ),
        ),
        date_field="received_at",
        group_by=("team",),
        now=now,
        unallocated=Count("pk", filter=Q(allocated_to__isnull=True)),
    )
    awaiting = StageRow(
        label="Awaiting a decision",
        status="pending",
        total=sum(row["total"] for row in rows),
        bands=[sum(row[key] for row in rows) for key, *_ in AGE_BANDS],
    )
    return awaiting, {row["team"]: (row["total"], row["unallocated"]) for row in rows}


@dataclass
class DriftRow:
    rule: str
    label: str
    open: int
    escalated: int


def drift_by_rule(*, user, team_ids: list[int]) -> list[DriftRow]:
    """Open reminders by rule, and how many of them have escalated to the managers: one query. A reminder is
    about an enquiry (or its plan action) or, for a decision, a concern."""
    found = {
        row["rule"]: row
        for row in Reminder.objects.filter(team_id__in=team_ids, status=Reminder.Status.OPEN)
        .exclude(access.restricted_hidden_q(user, "enquiry__person_id"))
        .exclude(access.restricted_hidden_q(user, "concern__person_id"))
        .order_by()
        .values("rule")
        .annotate(open=Count("pk"), escalated=Count("pk", filter=Q(escalated_at__isnull=False)))
    }
    return [
        DriftRow(
            rule=rule,
            label=label,
            open=found.get(rule, {}).get("open", 0),
            escalated=found.get(rule, {}).get("escalated", 0),
        )
        for rule, label in DriftRule.choices
    ]


def _counted(qs: QuerySet, group: str) -> Coalesce:
    """A correlated COUNT(*) of `qs` (already filtered on OuterRef) grouped by `group`."""
    return Coalesce(
        Subquery(
            qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
        ),
        Value(0),
    )


def open_enquiries_queryset(*, user, team_ids: list[int], now: datetime.datetime) -> QuerySet[Enquiry]:
    """The open enquiries of the teams that the user may see, longest without a conversation with the person
    first (never spoken with counts from the day the enquiry opened), each with its open drift reminders
    (`open_reminders`, `escalated_reminders`). Pages of it go through `open_enquiry_rows`.

    The order is `Enquiry.last_with_person_at`, which the conversation services keep, so a page is read in
    order from the partial index `enquiry_open_silent_since` over the same expression: over every team (tens
    of thousands of open enquiries) nothing is looked up or sorted beyond the page."""
    reminders = Reminder.objects.filter(enquiry=OuterRef("pk"), status=Reminder.Status.OPEN)
    return (
        caseload_enquiries(user=user, statuses=OPEN_STATUSES, now=now)
        .filter(team_id__in=team_ids)
        .annotate(
            open_reminders=_counted(reminders, "enquiry"),
            escalated_reminders=_counted(reminders.filter(escalated_at__isnull=False), "enquiry"),
            silent_since=Coalesce("last_with_person_at", "opened_at", output_field=DateTimeField()),
        )
        .order_by(F("silent_since").asc(), "pk")
    )


def open_enquiry_rows(rows, *, now: datetime.datetime) -> list[Enquiry]:
    """Rows of `open_enquiries_queryset` with their days since the last conversation with the person
    (`days_since_person`; None when there has been none), days silent and days open, in calendar days."""
    rows = list(rows)
    today = timezone.localdate(now)
    for row in rows:
        row.days_since_person = (
            (today - timezone.localdate(row.last_with_person_at)).days if row.last_with_person_at else None
        )
        row.days_silent = (today - timezone.localdate(row.silent_since)).days
        row.days_open = (today - timezone.localdate(row.opened_at)).days
    return rows


def open_enquiries(
    *, user, team_ids: list[int], now: datetime.datetime, limit: int = LIST_LIMIT
) -> list[Enquiry]:
    """The first `limit` rows of `open_enquiries_queryset`, as `open_enquiry_rows`. One query."""
    return open_enquiry_rows(open_enquiries_queryset(user=user, team_ids=team_ids, now=now)[:limit], now=now)


def unallocated(*, user, team_ids: list[int], limit: int = LIST_LIMIT) -> tuple[list, list]:
    """What waits for a worker, oldest first: open enquiries with no lead practitioner and concerns awaiting a
    decision that nobody holds. Two queries; only what the user may see."""
    enquiries = list(
        access.scoped(Enquiry.objects.select_related("person", "team"), user)
        .filter(team_id__in=team_ids, status__in=OPEN_STATUSES, lead_practitioner__isnull=True)
        .order_by("opened_at", "pk")[:limit]
    )
    # Which concerns first, then their people and teams: chosen from `concern_pending_received` alone (a few
    # thousand entries over every team), the join fetches only the page. Joined before the LIMIT, the
    # planner, expecting a dozen unallocated concerns, looked up the person of every one (4,300: 60 ms).
    waiting = (
        access.scoped(SafeguardingConcern.objects.all(), user)
        .filter(
            team_id__in=team_ids, decision=SafeguardingConcern.Decision.PENDING, allocated_to__isnull=True
        )
        .order_by("received_at", "pk")
    )
    concerns = list(
        SafeguardingConcern.objects.select_related("person", "team")
        .filter(pk__in=waiting.values("pk")[:limit])
        .order_by("received_at", "pk")
    )
    return enquiries, concerns


def sign_off_grace_days() -> int | None:
    """How long a closure may wait for sign-off before the drift rule reminds the managers (None when that
    rule is switched off): the queue flags those waiting longer. One query."""
    return (
        DriftPolicy.objects.filter(rule=DriftRule.CLOSURE_SIGN_OFF, enabled=True)
        .values_list("days", flat=True)
        .first()
    )


def sign_off_queryset(*, user, team_ids: list[int]) -> QuerySet[Enquiry]:
    """The teams' enquiries proposed for closure that the user may see, oldest proposal first, each with who
    proposed it (`closure_proposed_by_id`). Pages of it go through `sign_off_rows`. The order is that of the
    partial index `enquiry_proposed_at`, so a page is read from it in order."""
    proposer = (
        EnquiryEvent.objects.filter(enquiry_id=OuterRef("pk"), kind=EnquiryEvent.Kind.PROPOSED)
        .order_by("-pk")
        .values("by_id")[:1]
    )
    return (
        access.scoped(Enquiry.objects.select_related("person", "team", "lead_practitioner"), user)
        .filter(team_id__in=team_ids, status=Enquiry.Status.PROPOSED_FOR_CLOSURE)
        .annotate(closure_proposed_by_id=Subquery(proposer, output_field=IntegerField()))
        .order_by(F("proposed_for_closure_at").asc(nulls_first=True), "pk")
    )


def sign_off_rows(rows, *, user, now: datetime.datetime, grace_days: int | None) -> list[Enquiry]:
    """Rows of `sign_off_queryset`, each with `days_waiting`, `waiting_too_long` (longer than `grace_days`,
    as the drift rule counts) and `sign_off_refusal` (the sign-off rule's "another manager must", when the
    user leads the enquiry or made the proposal; None otherwise)."""
    rows = list(rows)
    today = timezone.localdate(now)
    for row in rows:
        row.sign_off_refusal = four_eyes_refusal(
            is_lead=row.lead_practitioner_id == user.pk,
            proposed_closure=row.closure_proposed_by_id == user.pk,
        )
        at = row.proposed_for_closure_at
        row.days_waiting = (today - timezone.localdate(at)).days if at else None
        row.waiting_too_long = bool(
            at and grace_days is not None and at < now - datetime.timedelta(days=grace_days)
        )
    return rows


def sign_off_queue(
    *,
    user,
    team_ids: list[int],
    now: datetime.datetime,
    grace_days: int | None = None,
    limit: int | None = None,
) -> list:
    """The first `limit` (or all) rows of `sign_off_queryset`, as `sign_off_rows`. One query."""
    qs = sign_off_queryset(user=user, team_ids=team_ids)
    return sign_off_rows(qs[:limit] if limit else qs, user=user, now=now, grace_days=grace_days)


@dataclass
class PractitionerRow:
    """A member of the teams and what they carry: figures and a staff member's name, nothing about a case,
    so a row can be kept between requests with the other figures."""

    pk: int
    full_name: str
    name: str  # as the page names a member: the full name, or the email address when there is none
    open_enquiries: int = 0
    overdue_contacts: int = 0
    overdue_actions: int = 0

    @property
    def overdue_items(self) -> int:
        return self.overdue_contacts + self.overdue_actions

    def __str__(self) -> str:
        return self.name


def _overdue_actions(*, user, team_ids: list[int], today: datetime.date) -> dict[tuple[int | None, int], int]:
    """Plan actions past their date on the open enquiries in scope, per (lead practitioner, team): one query,
    a hash join of the open plan actions past their date (from `planaction_open_due_on`) with the open
    enquiries in scope (from `enquiry_open_team_figures`), both index-only."""
    return {
        (lead, team): n
        for lead, team, n in PlanAction.objects.filter(
            enquiry__team_id__in=team_ids,
            enquiry__status__in=OPEN_STATUSES,
            due_on__lt=today,
            status__in=OPEN_ACTION_STATUSES,
        )
        .exclude(access.restricted_hidden_q(user, "enquiry__person_id"))
        .order_by()
        .values("enquiry__lead_practitioner", "enquiry__team")
        .annotate(n=Count("*"))
        .values_list("enquiry__lead_practitioner", "enquiry__team", "n")
    }


def caseload_by_practitioner(
    *,
    user,
    team_ids: list[int],
    now: datetime.datetime,
    figures: OpenEnquiryFigures | None = None,
    actions: dict[tuple[int | None, int], int] | None = None,
) -> list[PractitionerRow]:
    """Each active member of the teams with their open enquiries in these teams (`open_enquiries`), agreed
    next contacts passed (`overdue_contacts`) and plan actions past their date (`overdue_actions`), most
    loaded first. The first two come from `open_enquiry_figures`, the third from `_overdue_actions` (pass
    them when the page has them already); then one query for the members."""
    figures = figures or open_enquiry_figures(user=user, team_ids=team_ids, now=now)
    if actions is None:
        actions = _overdue_actions(user=user, team_ids=team_ids, today=timezone.localdate(now))
    per_lead: dict[int | None, int] = {}
    for (lead, _), n in actions.items():
        per_lead[lead] = per_lead.get(lead, 0) + n
    members = (
        User.objects.staff()
        .filter(pk__in=User.teams.through.objects.filter(team_id__in=team_ids).values("user_id"))
        .values_list("pk", "full_name", "email")
    )
    rows = []
    for pk, full_name, email in members:
        open_enquiries, contacts = figures.per_lead.get(pk, (0, 0))
        rows.append(
            PractitionerRow(
                pk=pk,
                full_name=full_name,
                name=full_name or email,
                open_enquiries=open_enquiries,
                overdue_contacts=contacts,
                overdue_actions=per_lead.get(pk, 0),
            )
        )
    rows.sort(key=lambda m: (-m.open_enquiries, m.full_name, m.pk))
    return rows


@dataclass
class TeamRow:
    """A team and what it carries: figures and the team's name, nothing about a case, so a row can be kept
    between requests with the other figures."""

    pk: int
    name: str
    open_enquiries: int = 0
    unallocated_enquiries: int = 0
    concerns_awaiting: int = 0
    unallocated_concerns: int = 0
    overdue_contacts: int = 0
    overdue_actions: int = 0


def caseload_by_team(
    *,
    team_ids: list[int],
    figures: OpenEnquiryFigures,
    concerns: dict[int, tuple[int, int]],
    actions: dict[tuple[int | None, int], int],
) -> list[TeamRow]:
    """Each of the teams with its open enquiries, those nobody leads, its concerns awaiting a decision and
    those nobody holds, next contacts passed and plan actions past their date, from the figures the page
    counted already; one query for the teams' names. Most open enquiries first."""
    per_team: dict[int, int] = {}
    for (_, team), n in actions.items():
        per_team[team] = per_team.get(team, 0) + n
    rows = []
    for pk, name in Team.objects.filter(pk__in=team_ids).values_list("pk", "name"):
        open_enquiries, unallocated, contacts = figures.per_team.get(pk, (0, 0, 0))
        awaiting, unheld = concerns.get(pk, (0, 0))
        rows.append(
            TeamRow(
                pk=pk,
                name=name,
                open_enquiries=open_enquiries,
                unallocated_enquiries=unallocated,
                concerns_awaiting=awaiting,
                unallocated_concerns=unheld,
                overdue_contacts=contacts,
                overdue_actions=per_team.get(pk, 0),
            )
        )
    rows.sort(key=lambda t: (-t.open_enquiries, t.name, t.pk))
    return rows


@dataclass
class DashboardFigures:
    """Every figure of the dashboard (not its lists): what may be kept between requests. `practitioners` is
    empty when the page counts per team only; `teams` is empty when it covers one team."""

    stages: list[StageRow]
    concerns: StageRow
    drift: list[DriftRow]
    practitioners: list[PractitionerRow]
    teams: list[TeamRow] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(row.total for row in self.stages)

    @property
    def sign_off_total(self) -> int:
        """The sign-off queue is the open enquiries proposed for closure, so its length is a stage's total."""
        return next(row.total for row in self.stages if row.status == Enquiry.Status.PROPOSED_FOR_CLOSURE)

    @property
    def drift_open(self) -> int:
        return sum(row.open for row in self.drift)

    @property
    def drift_escalated(self) -> int:
        return sum(row.escalated for row in self.drift)


def dashboard_figures(
    *, user, team_ids: list[int], now: datetime.datetime, per_practitioner: bool = True
) -> DashboardFigures:
    """The figures of the teams' dashboard as `user` may see them: four queries whatever the number of records
    (the open enquiries' figures, the concerns', the drift reminders', the overdue plan actions), then the
    members (when `per_practitioner`) and, over more than one team, the teams' names."""
    open_figures = open_enquiry_figures(user=user, team_ids=team_ids, now=now)
    concerns, concerns_per_team = concerns_awaiting(user=user, team_ids=team_ids, now=now)
    actions = _overdue_actions(user=user, team_ids=team_ids, today=timezone.localdate(now))
    return DashboardFigures(
        stages=open_figures.stages,
        concerns=concerns,
        drift=drift_by_rule(user=user, team_ids=team_ids),
        practitioners=caseload_by_practitioner(
            user=user, team_ids=team_ids, now=now, figures=open_figures, actions=actions
        )
        if per_practitioner
        else [],
        teams=caseload_by_team(
            team_ids=team_ids, figures=open_figures, concerns=concerns_per_team, actions=actions
        )
        if len(team_ids) > 1
        else [],
    )


def figures_kept_for(user, team_ids: list[int]) -> bool:
    """Whether the page may show figures counted a few minutes ago: for unit staff over more than one team
    (every team: tens of thousands of open enquiries, a thousand practitioners), who oversee read-only. A
    manager's page counts every time: their teams are small, and they allocate from what it shows."""
    return access.is_read_only(user) and len(team_ids) > 1


def figures_key(user, team_ids: list[int]) -> str:
    """What kept figures depend on: the counting code, the teams, and the restriction part of the access rule,
    which differs between viewers (a restricted case counts only for those who may open it): shared by
    those who see every restricted person, otherwise the viewer's own."""
    viewer = "all-restricted" if user.has_perm(VIEW_RESTRICTED) else f"user-{user.pk}"
    return f"dashboard:{source_version(Path(__file__))}:{ids_digest(team_ids)}:{viewer}"


def closure_returns(*, enquiry: Enquiry) -> list[EnquiryEvent]:
    """Every time this enquiry's closure was returned with comments, newest first: the sign-off page shows
    them so the manager can see whether what they asked for was done. `enquiry` must already be in scope."""
    return list(
        EnquiryEvent.objects.filter(enquiry_id=enquiry.pk, kind=EnquiryEvent.Kind.RETURNED)
        .select_related("by")
        .order_by("-occurred_at", "-pk")
    )
