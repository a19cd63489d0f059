"""Time the reports against their budgets, each beside hand-written SQL computing the same figures.

    python manage.py benchmark_reports [--from 2025-04-01 --to 2026-03-31] [--runs 5] [--report-only]
        [--audits 2000]

For each report (the SAC return, MSP measures, My Safeguarding Experience Part 2, timeliness, case-file audit
results, and the /team/ dashboard of the first manager in a team): the median wall time of `--runs` runs
(after one warm-up run) of the report's function(s) as the page calls them, the median of the same number of
runs of hand-written SQL computing the same figures over the same rows (one statement per report; one per
panel for the dashboard, whose panels are separate lists), their ratio, and whether both budgets hold
(PostgreSQL, 100,000 concerns: the SAC return under 2 s, everything else under 1 s, each within 3x of its
SQL). Prints one JSON line per report; exits 1 if a budget fails (unless --report-only). The SQL is
PostgreSQL's: on another database only the reports are timed. Everything runs in one transaction that is
rolled back, so --audits adds its synthetic audits for the run only."""

import datetime
import json
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from enquiries.models import Enquiry
from feedback.audits.selectors import audit_results
from feedback.models import (
    AUDIT_CHECKLIST,
    AuditAnswer,
    AuditGrade,
    AuditSample,
    AuditSampleItem,
    CaseFileAudit,
)
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import SIGN_OFF, VIEW_ALL_CASES
from msp_cases.core.periods import financial_year
from msp_cases.oversight import overseen_teams
from msp_cases.reports.benchmark.dashboard import dashboard_selectors, dashboard_sql
from msp_cases.reports.benchmark.report_sql import audit_sql, experience_sql, msp_sql, sac_sql, timeliness_sql
from msp_cases.reports.measures.experience import experience_report
from msp_cases.reports.measures.msp import msp_report
from msp_cases.reports.measures.timeliness import timeliness_report
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import ReportScope

# (name, budget in seconds, the report as the page computes it, the hand-written SQL)
BENCHMARKS = [
    ("sac_return", 2.0, lambda scope: sac_return(scope=scope), sac_sql),
    ("msp_measures", 1.0, lambda scope: msp_report(scope=scope), msp_sql),
    ("experience_part2", 1.0, lambda scope: experience_report(scope=scope), experience_sql),
    ("timeliness", 1.0, lambda scope: timeliness_report(scope=scope), timeliness_sql),
    ("case_file_audits", 1.0, lambda scope: audit_results(scope=scope), audit_sql),
]
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
        parser.add_argument(
            "--report-only",
            action="store_true",
            help="Print the figures but do not exit 1 when a budget fails (tiny data sets, tests)",
        )
        parser.add_argument(
            "--audits",
            type=int,
            default=0,
            help="generate_synthetic makes no case-file audits: add this many (random answers, enquiries "
            "closed in the period) for the run only, rolled back afterwards (default 0)",
        )

    def handle(self, *args, start=None, end=None, runs=5, report_only=False, audits=0, **options):
        # The hand-written SQL is PostgreSQL's (ANY(array), percentile_cont, intervals): elsewhere (SQLite in
        # tests) only the reports are timed, with no ratio.
        postgresql = connection.vendor == "postgresql"
        if start is None or end is None:
            # The last complete financial year.
            start, end = financial_year(financial_year(datetime.date.today())[0] - datetime.timedelta(days=1))
        scope = ReportScope(
            start=start, end=end, team_ids=tuple(Team.objects.order_by("pk").values_list("pk", flat=True))
        )
        with transaction.atomic():
            if audits:
                _add_audits(scope, audits)
            failed = self._measure(scope, runs, postgresql, audits)
            transaction.set_rollback(True)  # nothing the benchmark added is kept
        if failed and not report_only:
            raise SystemExit(1)

    def _measure(self, scope: ReportScope, runs: int, postgresql: bool, audits: int) -> bool:
        benchmarks = list(BENCHMARKS)
        manager = _a_manager()
        if manager is None:
            self.stderr.write("No manager in a team: the dashboard is not timed.")
        else:
            team_ids = list(overseen_teams(manager).order_by("name").values_list("pk", flat=True))
            benchmarks.append(
                (
                    "manager_dashboard",
                    1.0,
                    dashboard_selectors(manager, team_ids),
                    dashboard_sql(manager, team_ids),
                )
            )
        failed = False
        for name, budget, report, sql in benchmarks:
            report_s = _median(report, scope, runs)
            sql_s = _median(sql, scope, runs) if postgresql else None
            ratio = (report_s / sql_s if sql_s else float("inf")) if postgresql else None
            ok = report_s < budget and (ratio is None or ratio <= RATIO_BUDGET)
            failed |= not ok
            line = {
                "report": name,
                "period": f"{scope.start}..{scope.end}",
                "seconds": round(report_s, 3),
                "budget_seconds": budget,
                "sql_seconds": None if sql_s is None else round(sql_s, 3),
                "ratio": None if ratio is None else round(ratio, 2),
                "ratio_budget": RATIO_BUDGET,
                "ok": ok,
            }
            if name == "case_file_audits":
                line["synthetic_audits_added"] = audits
            self.stdout.write(json.dumps(line))
        return failed


def _add_audits(scope: ReportScope, n: int) -> None:
    """`n` current case-file audits (one sample, random grades and answers, seed 1) of section 42 and other
    enquiries closed in the period, audited through the period, so the audit results have rows to count."""
    rng = random.Random(1)  # noqa: S311 (reproducible on purpose)
    ids = list(
        Enquiry.objects.filter(
            team_id__in=scope.team_ids,
            status=Enquiry.Status.CLOSED,
            closed_at__gte=scope.start_at,
            closed_at__lt=scope.end_before,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, min(n, len(ids)))
    auditor = User.objects.order_by("pk").first()
    sample = AuditSample.objects.create(
        drawn_by=auditor,
        drawn_at=scope.start_at,
        period_start=scope.start,
        period_end=scope.end,
        team=None,
        size=len(chosen),
        seed=1,
        eligible_count=len(ids),
    )
    AuditSampleItem.objects.bulk_create(
        AuditSampleItem(sample=sample, enquiry_id=pk, position=i) for i, pk in enumerate(chosen, 1)
    )
    span = int((scope.end_before - scope.start_at).total_seconds())
    CaseFileAudit.objects.bulk_create(
        CaseFileAudit(
            sample=sample,
            enquiry_id=pk,
            auditor=auditor,
            audited_at=scope.start_at + datetime.timedelta(seconds=rng.randrange(span)),
            grade=rng.choice(AuditGrade.values),
            comments="Synthetic audit for the benchmark.",
            **{name: rng.choice(AuditAnswer.values) for name, _ in AUDIT_CHECKLIST},
        )
        for pk in chosen
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE feedback_casefileaudit")  # as autovacuum would after a day's audits


def _a_manager() -> User | None:
    """The first active manager (who signs off closures, and does not see every team) who belongs to a team:
    the dashboard is timed for their teams, as /team/ shows it to them."""
    for user in User.objects.filter(is_active=True, teams__isnull=False).distinct().order_by("pk"):
        if user.has_perm(SIGN_OFF) and not user.has_perm(VIEW_ALL_CASES):
            return user
    return None
