"""Who may see the reports, over which teams and which period: one place, used by every report, its
exports and its management command.

Who may see them, over which teams, is the oversight rule (msp_cases.oversight: unit staff every team,
managers the teams they belong to, nobody else any), the same as for the team dashboard. Aggregate figures
count every enquiry of the teams in scope, restricted ones included (a count says nothing about a person);
anything that lists or links to a record (data-quality lists, audit samples) goes through msp_cases.access as
every page does."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from msp_cases.accounts.models import Team
from msp_cases.core.exceptions import NotFound
from msp_cases.core.periods import financial_year
from msp_cases.oversight import overseen_teams


@dataclass(frozen=True)
class ReportScope:
    """A report's period (both days included) and the teams its figures cover."""

    start: datetime.date
    end: datetime.date
    team_ids: tuple[int, ...]  # already limited to what the user may see
    team: Team | None = None  # the one team chosen, if one was

    @property
    def label(self) -> str:
        teams = self.team.name if self.team else "all teams"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}, {teams}"

    @property
    def start_at(self) -> datetime.datetime:
        """The first moment of the period, in the service's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_before(self) -> datetime.datetime:
        """The first moment after the period (use `< end_before` for times, so the whole last day counts)."""
        return timezone.make_aware(
            datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min)
        )

    def params(self) -> dict:
        """For an export's params and the report's links: plain values only."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "team": self.team.pk if self.team else None,
        }


def scope_for(
    *, user, start: datetime.date | None = None, end: datetime.date | None = None, team: Team | None = None
) -> ReportScope:
    """The scope of a report for `user`: the financial year containing today by default; one team (which must
    be theirs) or all their teams. Another team is NotFound, so a page or an export that asks for it is "Page
    not found", the same answer as for a team that does not exist."""
    if start is None or end is None:
        start, end = financial_year(timezone.localdate())
    allowed = overseen_teams(user)
    if team is not None:
        if not allowed.filter(pk=team.pk).exists():
            raise NotFound("Not one of the teams this user oversees")
        team_ids = (team.pk,)
    else:
        team_ids = tuple(allowed.order_by("pk").values_list("pk", flat=True))
    return ReportScope(start=start, end=end, team_ids=team_ids, team=team)
