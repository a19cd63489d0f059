"""Hand-written SQL computing each report's figures over the same rows as the report: one statement per
report, so the benchmark can say how far the ORM's queries are from the best one statement can do. PostgreSQL
only (ANY(array), FILTER, percentile_cont, intervals)."""

# The SQL below is assembled from constants of this module and the models' choices (column names, choice
# values, quarter numbers); every value from outside is a query parameter.
# ruff: noqa: S608

import datetime

from django.db import connection
from django.utils import timezone

from enquiries.timescales import add_working_days, decision_working_days
from feedback.models import AUDIT_CHECKLIST, AuditGrade, ExperienceAnswer, NotApproachedReason

from ..figures.periods import quarters
from ..measures.experience import PART2_QUESTIONS
from ..measures.timeliness import DURATION_BANDS
from ..scope import ReportScope

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
       CASE WHEN p.date_of_birth IS NULL OR p.date_of_birth > a.d - interval '18 years' THEN 'nr'
            WHEN p.date_of_birth > a.d - interval '65 years' THEN '18-64'
            WHEN p.date_of_birth > a.d - interval '75 years' THEN '65-74'
            WHEN p.date_of_birth > a.d - interval '85 years' THEN '75-84'
            WHEN p.date_of_birth > a.d - interval '95 years' THEN '85-94'
            ELSE '95+' END,
       COUNT(*)
  FROM pop JOIN enquiries_person p ON p.id = pop.person_id
 -- Age on the last day, or at death if the person died on or before it.
 CROSS JOIN LATERAL (SELECT LEAST(COALESCE(p.date_of_death, %(day)s), %(day)s) AS d) a
 GROUP BY 1, 2, 3, 4
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


def sac_sql(scope: ReportScope) -> int:
    params = {
        "teams": list(scope.team_ids),
        "start": scope.start_at,
        "end": scope.end_before,
        "day": scope.end,
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


def run_sql(sql: str, params: dict) -> int:
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


def msp_sql(scope: ReportScope) -> int:
    q_closed, params = _quarter_sql("closed_at", scope)
    q_occurred, _ = _quarter_sql("l.occurred_at", scope)
    return run_sql(MSP_SQL.format(q_closed=q_closed, q_occurred=q_occurred), {**_period(scope), **params})


def experience_sql(scope: ReportScope) -> int:
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
    return run_sql(sql, {**_period(scope), **params})


def timeliness_sql(scope: ReportScope) -> int:
    """Concern to decision per quarter and in total (count, within the timescale, median and 90th
    percentile), enquiries closed by type and duration band, drift reminders by rule: one statement."""
    q_decided, params = _quarter_sql("decided_at", scope)
    days = decision_working_days()

    def offset(day: datetime.date) -> int:
        received = datetime.datetime.combine(day, datetime.time(12))
        return (add_working_days(received, days) - received).days

    monday = datetime.date(2024, 1, 8)  # no bank holiday in the weeks after it
    usual = {d: offset(monday + datetime.timedelta(days=d - 1)) for d in range(1, 8)}
    by_weekday = " ".join(f"WHEN {d} THEN interval '{n} days'" for d, n in usual.items())
    # Received near a bank holiday: listed by date (enquiries.timescales).
    near = [scope.start + datetime.timedelta(days=n) for n in range(-31, (scope.end - scope.start).days + 1)]
    by_date = " ".join(
        f"WHEN DATE '{day.isoformat()}' THEN interval '{offset(day)} days'"
        for day in near
        if offset(day) != usual[day.isoweekday()]
    )
    due = f"CASE EXTRACT(ISODOW FROM received_at AT TIME ZONE %(tz)s)::int {by_weekday} END"
    if by_date:
        due = f"CASE (received_at AT TIME ZONE %(tz)s)::date {by_date} ELSE {due} END"
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
                   decided_at <= received_at
                   + {due} AS within
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
    # The weekday a concern was received is the local one, as the report counts it.
    return run_sql(sql, {**_period(scope), **params, "tz": str(timezone.get_current_timezone())})


def audit_sql(scope: ReportScope) -> int:
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
    return run_sql(sql, {**_period(scope), "tz": str(timezone.get_current_timezone())})
