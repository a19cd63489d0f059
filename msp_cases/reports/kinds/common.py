"""What every report export shares: reading the period and team from an export's params, the permission, and
the report's scope as the worker rebuilds it. Each report's module in this package registers its kinds with
`registry.register(ExportKind(..., needs_enquiry=False, allowed=allowed_for_reports))`."""

import datetime

from msp_cases.oversight import may_oversee, overseen_teams

from ..scope import ReportScope, scope_for

# The years a report's period form accepts (msp_cases.core.forms.GovDateField).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_period(params: dict) -> tuple[datetime.date, datetime.date, int | None] | None:
    """(start, end, team id or None) from `params`, or None when they are not a well-formed period of at
    most five years, within the years the period form accepts (a later end could not have a day added)."""
    try:
        start = datetime.date.fromisoformat(params["from"])
        end = datetime.date.fromisoformat(params["to"])
        team = int(params["team"]) if params.get("team") not in (None, "") else None
    except (KeyError, TypeError, ValueError):
        return None
    if end < start or (end - start).days > 366 * 5 or start.year < FIRST_YEAR or end.year > LAST_YEAR:
        return None
    return start, end, team


def allowed_for_reports(user, enquiry, params) -> bool:
    """A report export may be asked for by whoever may see the reports, for a well-formed period and, if a
    team is given, one of theirs (checked again when the worker renders it). Anything else is "Page not
    found", not a server error."""
    period = parse_period(params)
    if period is None or enquiry is not None or not may_oversee(user):
        return False
    team = period[2]
    return team is None or overseen_teams(user).filter(pk=team).exists()


def scope_from_params(export) -> ReportScope:
    """The report's scope as the requester sees it now: the worker renders as them, over their teams today."""
    from msp_cases.accounts.models import Team

    start, end, team_id = parse_period(export.params)
    team = Team.objects.get(pk=team_id) if team_id is not None else None
    return scope_for(user=export.requested_by, start=start, end=end, team=team)
