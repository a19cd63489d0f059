"""Time the reports against their budgets, each beside one hand-written SQL statement over the same rows.

    python manage.py benchmark_reports [--from 2025-04-01 --to 2026-03-31] [--runs 5]

For each report: the median wall time of `--runs` runs (after one warm-up run) of the report's function as
the page calls it, the median of the same number of runs of one hand-written SQL statement computing the same
figures in a single round trip, their ratio, and whether both budgets hold (PostgreSQL, 100,000 concerns: the
SAC return under 2 s, and within 3x of the SQL). Prints one JSON line per report; exits 1 if a budget fails.
Reports added later join BENCHMARKS below."""

import datetime
import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from msp_cases.accounts.models import Team
from msp_cases.reports.sac import sac_return
from msp_cases.reports.scope import ReportScope, financial_year

# The SAC return's figures in one statement: the SG1 populations with each person's demographics, the
# concerns and enquiries started, and the concluded section 42 enquiries by every SG2–SG4 dimension (types
# joined), each enquiry's achievement answers counted; grouped, so it returns a few hundred rows.
SAC_SQL = """
WITH pop AS (
    SELECT 'c' AS col, person_id FROM enquiries_safeguardingconcern
     WHERE team_id = ANY(%(teams)s) AND received_at >= %(start)s AND received_at < %(end)s
    UNION
    SELECT CASE WHEN enquiry_type = 'section_42' THEN 's' ELSE 'o' END, person_id FROM enquiries_enquiry
     WHERE team_id = ANY(%(teams)s) AND opened_at >= %(start)s AND opened_at < %(end)s
), concluded AS (
    SELECT * FROM enquiries_enquiry
     WHERE team_id = ANY(%(teams)s) AND enquiry_type = 'section_42' AND status = 'closed'
       AND closed_at >= %(start)s AND closed_at < %(end)s
), answers AS (
    SELECT e.id,
           COUNT(o.id) FILTER (WHERE o.achievement = 'fully') AS f,
           COUNT(o.id) FILTER (WHERE o.achievement = 'partially') AS p,
           COUNT(o.id) FILTER (WHERE o.achievement = 'not') AS n
      FROM concluded e
      LEFT JOIN outcomes_desiredoutcome o ON o.enquiry_id = e.id AND o.status = 'active'
     WHERE e.outcomes_asked = 'asked_expressed'
     GROUP BY e.id
)
SELECT 'sg1', pop.col, p.gender || '|' || p.ethnicity || '|' || p.primary_support_reason
       || '|' || p.has_autism::text || '|' || p.has_aspergers::text,
       CASE WHEN p.date_of_birth IS NULL OR p.date_of_birth > %(age18)s THEN 'nr'
            WHEN p.date_of_birth > %(age65)s THEN '18-64' WHEN p.date_of_birth > %(age75)s THEN '65-74'
            WHEN p.date_of_birth > %(age85)s THEN '75-84' WHEN p.date_of_birth > %(age95)s THEN '85-94'
            ELSE '95+' END,
       COUNT(*)
  FROM pop JOIN enquiries_person p ON p.id = pop.person_id GROUP BY 1, 2, 3, 4
UNION ALL
SELECT 'concerns', '', '', '', COUNT(*) FROM enquiries_safeguardingconcern
 WHERE team_id = ANY(%(teams)s) AND received_at >= %(start)s AND received_at < %(end)s
UNION ALL
SELECT 'started', enquiry_type, '', '', COUNT(*) FROM enquiries_enquiry
 WHERE team_id = ANY(%(teams)s) AND opened_at >= %(start)s AND opened_at < %(end)s GROUP BY 2
UNION ALL
SELECT 'concluded', risk_location || '|' || risk_source,
       action_result || '|' || risk_outcome || '|' || lacks_capacity || '|' || capacity_support,
       outcomes_asked, COUNT(*)
  FROM concluded GROUP BY 2, 3, 4
UNION ALL
SELECT 'types', t.risktypeoption_id, e.risk_location, e.risk_source, COUNT(*)
  FROM enquiries_enquiry_risk_types t JOIN concluded e ON e.id = t.enquiry_id GROUP BY 2, 3, 4
UNION ALL
SELECT 'achievement', (f > 0)::text || (p > 0)::text || (n > 0)::text, '', '', COUNT(*)
  FROM answers GROUP BY 2
"""


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _sac_sql(scope: ReportScope) -> int:
    params = {
        "teams": list(scope.team_ids),
        "start": scope.start_at,
        "end": scope.end_before,
        **{f"age{n}": _years_before(scope.end, n) for n in (18, 65, 75, 85, 95)},
    }
    with connection.cursor() as cursor:
        cursor.execute(SAC_SQL, params)
        return len(cursor.fetchall())


# (name, budget in seconds, the report as the page computes it, the hand-written SQL)
BENCHMARKS = [("sac_return", 2.0, lambda scope: sac_return(scope=scope), _sac_sql)]
RATIO_BUDGET = 3.0


def _median(fn, scope, runs: int) -> float:
    fn(scope)  # warm-up: the first run pays for cold caches, for both sides alike
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn(scope)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Command(BaseCommand):
    help = "Time each report and one hand-written SQL statement over the same rows; print the ratio."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=datetime.date.fromisoformat)
        parser.add_argument("--to", dest="end", type=datetime.date.fromisoformat)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, start=None, end=None, runs=5, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL (set DATABASE_URL).")
        if start is None or end is None:
            # The last complete financial year.
            start, end = financial_year(financial_year(datetime.date.today())[0] - datetime.timedelta(days=1))
        scope = ReportScope(
            start=start, end=end, team_ids=tuple(Team.objects.order_by("pk").values_list("pk", flat=True))
        )
        failed = False
        for name, budget, report, sql in BENCHMARKS:
            report_s = _median(report, scope, runs)
            sql_s = _median(sql, scope, runs)
            ratio = report_s / sql_s if sql_s else float("inf")
            ok = report_s < budget and ratio <= RATIO_BUDGET
            failed |= not ok
            self.stdout.write(
                json.dumps(
                    {
                        "report": name,
                        "period": f"{start}..{end}",
                        "seconds": round(report_s, 3),
                        "budget_seconds": budget,
                        "sql_seconds": round(sql_s, 3),
                        "ratio": round(ratio, 2),
                        "ratio_budget": RATIO_BUDGET,
                        "ok": ok,
                    }
                )
            )
        if failed:
            raise SystemExit(1)
