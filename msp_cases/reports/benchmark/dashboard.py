"""The manager dashboard (/team/) for the benchmark: its panels as the view calls them, and as hand-written
SQL."""

# ruff: noqa: S608

from django.utils import timezone

from enquiries.selectors import dashboard
from msp_cases.accounts.models import User

from .report_sql import run_sql

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


def dashboard_sql(manager: User, team_ids: list[int]):
    def run(scope) -> int:
        now = timezone.now()
        params = {"teams": team_ids, "user": manager.pk, "now": now, "today": timezone.localdate(now)}
        return sum(run_sql(sql, params) for sql in DASHBOARD_SQL)

    return run


def dashboard_selectors(manager: User, team_ids: list[int]):
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
