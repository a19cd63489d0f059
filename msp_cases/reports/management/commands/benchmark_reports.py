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

# The SQL below is assembled from constants of this module and the models' choices (column names, choice
# values, quarter numbers); every value from outside is a query parameter.
# ruff: noqa: S608

import datetime
import json
import random
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.selectors import dashboard
from enquiries.timescales import add_working_days, decision_working_days
from feedback.audits.selectors import audit_results
from feedback.models import (
    AUDIT_CHECKLIST,
    AuditAnswer,
    AuditGrade,
    AuditSample,
    AuditSampleItem,
    CaseFileAudit,
    ExperienceAnswer,
    NotApproachedReason,
)
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import SIGN_OFF, VIEW_ALL_CASES
from msp_cases.core.periods import financial_year
from msp_cases.oversight import overseen_teams
from msp_cases.reports.figures.ages import years_before
from msp_cases.reports.figures.periods import quarters
from msp_cases.reports.measures.experience import PART2_QUESTIONS, experience_report
from msp_cases.reports.measures.msp import msp_report
from msp_cases.reports.measures.timeliness import DURATION_BANDS, timeliness_report
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import ReportScope

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


def _sac_sql(scope: ReportScope) -> int:
    params = {
        "teams": list(scope.team_ids),
        "start": scope.start_at,
        "end": scope.end_before,
        **{f"age{n}": years_before(scope.end, n) for n in (18, 65, 75, 85, 95)},
    }
    with connection.cursor() as cursor:
        cursor.execute(SAC_SQL, params)
        return len(cursor.fetchall())


def _quarter_sql(column: str, scope: ReportScope) -> tuple[str, dict]:
    """The financial quarter a row falls in, as the reports number them (0 = the period's first)."""
    periods = quarters(scope.start, scope.end)
    whens = " ".join(f"WHEN {column} < %(q{i})s THEN {i}" for i in range(len(periods) - 1))
    params = {f"q{i}": q.end_before for i, q in enumerate(periods[:-1])}
    return (f"CASE {whens} ELSE {len(periods) - 1} END" if whens else "0"), params


def _run(sql: str, params: dict) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


def _period(scope: ReportScope) -> dict:
    return {"teams": list(scope.team_ids), "start": scope.start_at, "end": scope.end_before}


# MSP measures: concluded section 42 enquiries by quarter, team and how far their active outcomes were
# achieved (asked / expressed counted), and decisions recorded in conversations by quarter and team.
MSP_SQL = """
WITH concluded AS (
    SELECT id, team_id, outcomes_asked, {q_closed} AS q FROM enquiries_enquiry
     WHERE team_id = ANY(%(teams)s) AND enquiry_type = 'section_42' AND status = 'closed'
       AND closed_at >= %(start)s AND closed_at < %(end)s
), levels AS (
    SELECT o.enquiry_id,
           MIN(CASE o.achievement WHEN 'fully' THEN 2 WHEN 'partially' THEN 1 ELSE 0 END) AS lo,
           MAX(CASE o.achievement WHEN 'fully' THEN 2 WHEN 'partially' THEN 1 ELSE 0 END) AS hi
      FROM outcomes_desiredoutcome o JOIN concluded c ON c.id = o.enquiry_id
     WHERE o.status = 'active' AND o.achievement <> '' GROUP BY o.enquiry_id
)
SELECT 'outcomes', c.q, c.team_id,
       CASE WHEN l.lo IS NULL THEN NULL WHEN l.lo = 2 THEN 'fully' WHEN l.hi = 0 THEN 'not'
            ELSE 'partially' END,
       COUNT(*), COUNT(*) FILTER (WHERE c.outcomes_asked IN ('asked_expressed', 'asked_none')),
       COUNT(*) FILTER (WHERE c.outcomes_asked = 'asked_expressed'), 0, 0
  FROM concluded c LEFT JOIN levels l ON l.enquiry_id = c.id GROUP BY 2, 3, 4
UNION ALL
SELECT 'decisions', {q_occurred}, COALESCE(e.team_id, s.team_id), NULL,
       COUNT(*), COUNT(*) FILTER (WHERE l.decision_made_by = 'person'),
       COUNT(*) FILTER (WHERE l.decision_made_by = 'jointly'),
       COUNT(*) FILTER (WHERE l.decision_made_by = 'representative'),
       COUNT(*) FILTER (WHERE l.decision_made_by = 'against_wishes')
  FROM enquiries_conversationlog l
  LEFT JOIN enquiries_enquiry e ON e.id = l.enquiry_id
  LEFT JOIN enquiries_safeguardingconcern s ON s.id = l.concern_id
 WHERE (e.team_id = ANY(%(teams)s) OR (l.enquiry_id IS NULL AND s.team_id = ANY(%(teams)s)))
   AND l.occurred_at >= %(start)s AND l.occurred_at < %(end)s AND l.decision_made_by <> 'no_decision'
 GROUP BY 2, 3
"""


def _msp_sql(scope: ReportScope) -> int:
    q_closed, params = _quarter_sql("closed_at", scope)
    q_occurred, _ = _quarter_sql("l.occurred_at", scope)
    return _run(MSP_SQL.format(q_closed=q_closed, q_occurred=q_occurred), {**_period(scope), **params})


def _experience_sql(scope: ReportScope) -> int:
    """Part 2 of the concluded section 42 enquiries, every count of the page, by quarter."""
    q_closed, params = _quarter_sql("e.closed_at", scope)
    counts = [
        "COUNT(*)",
        "COUNT(p.id)",
        "COUNT(*) FILTER (WHERE p.approached)",
        "COUNT(*) FILTER (WHERE p.approached AND p.completed_on IS NOT NULL)",
        "COUNT(*) FILTER (WHERE NOT p.approached AND p.best_interests_answered)",
        "COUNT(*) FILTER (WHERE NOT p.approached)",
    ]
    counts += [
        f"COUNT(*) FILTER (WHERE NOT p.approached AND p.not_approached_reason = '{r.value}')"
        for r in NotApproachedReason
    ]
    counts += [
        f"COUNT(*) FILTER (WHERE p.{name} = '{a.value}')"
        for name, _ in PART2_QUESTIONS
        for a in ExperienceAnswer
    ]
    sql = f"""
        SELECT {q_closed} AS q, {", ".join(counts)}
          FROM enquiries_enquiry e LEFT JOIN feedback_experiencefeedbackpart2 p ON p.enquiry_id = e.id
         WHERE e.team_id = ANY(%(teams)s) AND e.enquiry_type = 'section_42' AND e.status = 'closed'
           AND e.closed_at >= %(start)s AND e.closed_at < %(end)s
         GROUP BY 1"""
    return _run(sql, {**_period(scope), **params})


def _timeliness_sql(scope: ReportScope) -> int:
    """Concern to decision per quarter and in total (count, within the timescale, median and 90th
    percentile), enquiries closed by type and duration band, drift reminders by rule: one statement."""
    q_decided, params = _quarter_sql("decided_at", scope)
    days = decision_working_days()
    monday = datetime.datetime(2024, 1, 1, 12)
    received = [monday + datetime.timedelta(days=d - 1) for d in range(1, 8)]
    due = " ".join(
        f"WHEN {r.isoweekday()} THEN interval '{(add_working_days(r, days) - r).days} days'" for r in received
    )
    bands = ", ".join(
        "COUNT(*) FILTER (WHERE "
        + " AND ".join(
            ([f"closed_at >= opened_at + interval '{low} days'"] if low else ["TRUE"])
            + ([f"closed_at < opened_at + interval '{high} days'"] if high is not None else [])
        )
        + ")"
        for _, low, high in DURATION_BANDS
    )
    sql = f"""
        WITH decided AS (
            SELECT {q_decided} AS q, decided_at - received_at AS wait,
                   decided_at <= received_at + CASE EXTRACT(ISODOW FROM received_at)::int {due} END AS within
              FROM enquiries_safeguardingconcern
             WHERE team_id = ANY(%(teams)s) AND decided_at >= %(start)s AND decided_at < %(end)s
               AND decision <> 'pending'
        )
        SELECT 'decided', q::text, COUNT(*), COUNT(*) FILTER (WHERE within),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM wait)),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM wait)), 0, 0, 0, 0
          FROM decided GROUP BY GROUPING SETS ((q), ())
        UNION ALL
        SELECT 'closed', enquiry_type, COUNT(*), {bands}, 0, 0
          FROM enquiries_enquiry
         WHERE team_id = ANY(%(teams)s) AND status = 'closed'
           AND closed_at >= %(start)s AND closed_at < %(end)s
         GROUP BY 2
        UNION ALL
        SELECT 'drift', rule, COUNT(*), COUNT(*) FILTER (WHERE escalated_at IS NOT NULL),
               COUNT(*) FILTER (WHERE status = 'open'), 0, 0, 0, 0, 0
          FROM enquiries_reminder
         WHERE team_id = ANY(%(teams)s) AND created_at >= %(start)s AND created_at < %(end)s GROUP BY 2"""
    return _run(sql, {**_period(scope), **params})


def _audit_sql(scope: ReportScope) -> int:
    """Current audits in the period of the teams' enquiries, by team and quarter: grades and % Yes."""
    counts = [f"COUNT(*) FILTER (WHERE a.grade = '{g.value}')" for g in AuditGrade]
    for name, _ in AUDIT_CHECKLIST:
        counts.append(f"COUNT(*) FILTER (WHERE a.{name} = 'yes')")
        counts.append(f"COUNT(*) FILTER (WHERE a.{name} <> 'not_applicable')")
    sql = f"""
        SELECT t.name, date_trunc('quarter', a.audited_at AT TIME ZONE %(tz)s), COUNT(*), {", ".join(counts)}
          FROM feedback_casefileaudit a
          JOIN enquiries_enquiry e ON e.id = a.enquiry_id JOIN accounts_team t ON t.id = e.team_id
         WHERE NOT EXISTS (SELECT 1 FROM feedback_casefileaudit r WHERE r.replaces_id = a.id)
           AND e.team_id = ANY(%(teams)s) AND a.audited_at >= %(start)s AND a.audited_at < %(end)s
         GROUP BY 1, 2 ORDER BY 1, 2"""
    return _run(sql, {**_period(scope), "tz": str(timezone.get_current_timezone())})


# The manager dashboard's panels for one manager's team, the same figures and lists the /team/ page shows:
# open enquiries by stage and age band, concerns awaiting a decision by age, open reminders by rule, the
# sign-off rule's days, what waits for a worker, the sign-off queue, the open enquiries longest without a
# conversation with the person (current versions of the conversations) with their reminders, and each
# member's caseload. The lists are limited to what the manager may see (their teams or led by them, and not
# a restricted person unless named on the record).
VISIBLE = """(x.team_id IN (SELECT team_id FROM accounts_user_teams WHERE user_id = %(user)s)
              OR x.{worker} = %(user)s)
             AND (NOT p.is_restricted OR p.id IN (SELECT person_id FROM enquiries_person_restricted_to
                                                   WHERE user_id = %(user)s))"""
BANDS = """COUNT(*) FILTER (WHERE {col} <= %(now)s AND {col} > %(now)s - interval '7 days'),
           COUNT(*) FILTER (WHERE {col} <= %(now)s - interval '7 days'
                              AND {col} > %(now)s - interval '28 days'),
           COUNT(*) FILTER (WHERE {col} <= %(now)s - interval '28 days'
                              AND {col} > %(now)s - interval '90 days'),
           COUNT(*) FILTER (WHERE {col} <= %(now)s - interval '90 days')"""
DASHBOARD_SQL = [
    f"""SELECT status, COUNT(*), {BANDS.format(col="opened_at")} FROM enquiries_enquiry
         WHERE team_id = ANY(%(teams)s) AND status <> 'closed' GROUP BY status""",
    f"""SELECT COUNT(*), {BANDS.format(col="received_at")} FROM enquiries_safeguardingconcern
         WHERE team_id = ANY(%(teams)s) AND decision = 'pending'""",
    """SELECT rule, COUNT(*), COUNT(*) FILTER (WHERE escalated_at IS NOT NULL) FROM enquiries_reminder
        WHERE team_id = ANY(%(teams)s) AND status = 'open' GROUP BY rule""",
    "SELECT days FROM enquiries_driftpolicy WHERE rule = 'closure_sign_off' AND enabled LIMIT 1",
    f"""SELECT x.*, p.*, t.* FROM enquiries_enquiry x JOIN enquiries_person p ON p.id = x.person_id
          JOIN accounts_team t ON t.id = x.team_id
         WHERE x.team_id = ANY(%(teams)s) AND x.status <> 'closed' AND x.lead_practitioner_id IS NULL
           AND {VISIBLE.format(worker="lead_practitioner_id")}
         ORDER BY x.opened_at, x.id LIMIT 50""",
    f"""SELECT x.*, p.*, t.* FROM enquiries_safeguardingconcern x
          JOIN enquiries_person p ON p.id = x.person_id JOIN accounts_team t ON t.id = x.team_id
         WHERE x.team_id = ANY(%(teams)s) AND x.decision = 'pending' AND x.allocated_to_id IS NULL
           AND {VISIBLE.format(worker="allocated_to_id")}
         ORDER BY x.received_at, x.id LIMIT 50""",
    f"""SELECT x.*, p.*, t.*, u.* FROM enquiries_enquiry x JOIN enquiries_person p ON p.id = x.person_id
          JOIN accounts_team t ON t.id = x.team_id LEFT JOIN accounts_user u ON u.id = x.lead_practitioner_id
         WHERE x.team_id = ANY(%(teams)s) AND x.status = 'proposed_for_closure'
           AND {VISIBLE.format(worker="lead_practitioner_id")}
         ORDER BY x.proposed_for_closure_at NULLS FIRST, x.id""",
    f"""SELECT x.*, p.*, t.*, u.*, last.at,
               (SELECT COUNT(*) FROM enquiries_reminder r WHERE r.enquiry_id = x.id AND r.status = 'open'),
               (SELECT COUNT(*) FROM enquiries_reminder r
                 WHERE r.enquiry_id = x.id AND r.status = 'open' AND r.escalated_at IS NOT NULL)
          FROM enquiries_enquiry x JOIN enquiries_person p ON p.id = x.person_id
          JOIN accounts_team t ON t.id = x.team_id LEFT JOIN accounts_user u ON u.id = x.lead_practitioner_id
          LEFT JOIN LATERAL (
               SELECT c.occurred_at AS at FROM enquiries_conversationlog c
                WHERE c.enquiry_id = x.id AND c.with_person
                  AND NOT EXISTS (SELECT 1 FROM enquiries_conversationlog n
                                   WHERE n.amends_id = c.id OR (n.amends_id = c.amends_id AND n.id > c.id))
                ORDER BY c.occurred_at DESC, c.id DESC LIMIT 1) last ON TRUE
         WHERE x.team_id = ANY(%(teams)s) AND x.status <> 'closed'
           AND {VISIBLE.format(worker="lead_practitioner_id")}
         ORDER BY COALESCE(last.at, x.opened_at), x.id LIMIT 50""",
    """SELECT u.id, COUNT(e.id), COUNT(e.id) FILTER (WHERE e.next_contact_on < %(today)s),
              (SELECT COUNT(*) FROM enquiries_planaction a JOIN enquiries_enquiry ae ON ae.id = a.enquiry_id
                WHERE ae.lead_practitioner_id = u.id AND ae.team_id = ANY(%(teams)s) AND ae.status <> 'closed'
                  AND a.due_on < %(today)s AND a.status NOT IN ('done', 'cancelled'))
         FROM accounts_user u
         LEFT JOIN enquiries_enquiry e
           ON e.lead_practitioner_id = u.id AND e.team_id = ANY(%(teams)s) AND e.status <> 'closed'
        WHERE u.is_active AND u.id IN (SELECT user_id FROM accounts_user_teams WHERE team_id = ANY(%(teams)s))
        GROUP BY u.id""",
]


def _dashboard_sql(manager: User, team_ids: list[int]):
    def run(scope) -> int:
        now = timezone.now()
        params = {"teams": team_ids, "user": manager.pk, "now": now, "today": timezone.localdate(now)}
        return sum(_run(sql, params) for sql in DASHBOARD_SQL)

    return run


def _dashboard(manager: User, team_ids: list[int]):
    """The selectors the /team/ view calls (enquiries.views.dashboard.team_dashboard), as it calls them."""

    def run(scope) -> None:
        now = timezone.now()
        dashboard.unallocated(user=manager, team_ids=team_ids)
        dashboard.enquiries_by_stage(user=manager, team_ids=team_ids, now=now)
        dashboard.concerns_by_age(user=manager, team_ids=team_ids, now=now)
        dashboard.drift_by_rule(user=manager, team_ids=team_ids)
        grace_days = dashboard.sign_off_grace_days()
        dashboard.sign_off_queue(user=manager, team_ids=team_ids, now=now, grace_days=grace_days)
        dashboard.open_enquiries(user=manager, team_ids=team_ids, now=now)
        dashboard.caseload_by_practitioner(user=manager, team_ids=team_ids, now=now)

    return run


# (name, budget in seconds, the report as the page computes it, the hand-written SQL)
BENCHMARKS = [
    ("sac_return", 2.0, lambda scope: sac_return(scope=scope), _sac_sql),
    ("msp_measures", 1.0, lambda scope: msp_report(scope=scope), _msp_sql),
    ("experience_part2", 1.0, lambda scope: experience_report(scope=scope), _experience_sql),
    ("timeliness", 1.0, lambda scope: timeliness_report(scope=scope), _timeliness_sql),
    ("case_file_audits", 1.0, lambda scope: audit_results(scope=scope), _audit_sql),
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
                ("manager_dashboard", 1.0, _dashboard(manager, team_ids), _dashboard_sql(manager, team_ids))
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
