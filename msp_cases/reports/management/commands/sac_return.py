import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from msp_cases.accounts.models import Team
from msp_cases.core.periods import financial_year
from msp_cases.reports.kinds.sac import sac_csv
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.sac.workbook import sac_workbook
from msp_cases.reports.scope import ReportScope


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Print the SAC return (the same figures as the Reports page) for a period, all teams or one: CSV "
        "with one row per cell (table,row,column,value) or JSON; or write it as the workbook to submit "
        "(--format xlsx, to --output or sac-return-FROM-to-TO.xlsx). Default period: this financial year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day of the period, YYYY-MM-DD")
        parser.add_argument("--team", help="one team, by its name (default: every team)")
        parser.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
        parser.add_argument("--output", help="where --format xlsx writes the workbook")
        parser.add_argument(
            "--suppress",
            action="store_true",
            help="publication disclosure control: under 5 (0 included) as [c], others to the nearest 5",
        )

    def handle(
        self, *args, start=None, end=None, team=None, format="csv", output=None, suppress=False, **options
    ):
        from django.utils import timezone

        default_start, default_end = financial_year(timezone.localdate())
        start = _date(start) if start else default_start
        end = _date(end) if end else default_end
        if end < start:
            raise CommandError("--to must be on or after --from")
        if team:
            try:
                chosen = Team.objects.get(name=team)
            except Team.DoesNotExist as exc:
                raise CommandError(f"No team called {team!r}") from exc
            scope = ReportScope(start=start, end=end, team_ids=(chosen.pk,), team=chosen)
        else:
            team_ids = tuple(Team.objects.order_by("pk").values_list("pk", flat=True))
            scope = ReportScope(start=start, end=end, team_ids=team_ids)
        figures = sac_return(scope=scope)
        if format == "xlsx":
            path = Path(output or f"sac-return-{start.isoformat()}-to-{end.isoformat()}.xlsx")
            path.write_bytes(sac_workbook(figures, council=settings.ORGANISATION_NAME, suppress=suppress))
            self.stdout.write(f"Wrote {path}")
        elif format == "json":
            self.stdout.write(json.dumps(figures.as_dict(suppress=suppress), indent=2))
        else:
            self.stdout.write(sac_csv(figures, suppress=suppress), ending="")
