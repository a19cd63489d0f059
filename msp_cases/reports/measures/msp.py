"""Making Safeguarding Personal: were people asked about their desired outcomes, were they achieved, and were
decisions made by or with the person. By financial quarter and by team (three queries)."""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from enquiries.models import ConversationLog
from enquiries.models.choices import DecisionMadeBy, OutcomesAsked
from msp_cases.core.replica import reading_reports
from outcomes.models import Achievement

from ..figures.achievement import enquiry_achievement
from ..figures.periods import Quarter, quarter_index, quarters
from ..figures.populations import concluded_s42_in
from ..scope import ReportScope
from .tables import Cell, Report, Table, add_up, add_up_where, count_cell, pct_cell, team_names

MSP_KEYS = ["concluded", "asked", "expressed", "fully", "partially", "not_achieved", "not_recorded"]
DECISION_KEYS = ["decisions", "person", "jointly", "representative", "against_wishes"]


def _msp_groups(scope: ReportScope, periods: list[Quarter]) -> list[dict]:
    """Concluded enquiries grouped by quarter, team and how far their outcomes were achieved; the counts of
    fully / partially / not achieved are then the `expressed` counts of each group."""
    rows = list(
        concluded_s42_in(scope)
        .annotate(quarter=quarter_index("closed_at", periods), achieved=enquiry_achievement())
        .values("quarter", "team_id", "achieved")
        .annotate(
            concluded=Count("pk"),
            asked=Count(
                "pk", filter=Q(outcomes_asked__in=[OutcomesAsked.ASKED_EXPRESSED, OutcomesAsked.ASKED_NONE])
            ),
            expressed=Count("pk", filter=Q(outcomes_asked=OutcomesAsked.ASKED_EXPRESSED)),
        )
        .order_by()
    )
    keys = {
        Achievement.FULLY.value: "fully",
        Achievement.PARTIALLY.value: "partially",
        Achievement.NOT.value: "not_achieved",
        None: "not_recorded",
    }
    for row in rows:
        for key in keys.values():
            row[key] = 0
        row[keys[row["achieved"]]] = row["expressed"]
    return rows


def _decision_groups(scope: ReportScope, periods: list[Quarter]) -> list[dict]:
    made = DecisionMadeBy
    return list(
        ConversationLog.objects.filter(
            Q(enquiry__team_id__in=scope.team_ids)
            | Q(enquiry__isnull=True, concern__team_id__in=scope.team_ids),
            occurred_at__gte=scope.start_at,
            occurred_at__lt=scope.end_before,
        )
        .exclude(decision_made_by=made.NO_DECISION)
        .annotate(
            quarter=quarter_index("occurred_at", periods),
            team_id=Coalesce("enquiry__team_id", "concern__team_id"),
        )
        .values("quarter", "team_id")
        .annotate(
            decisions=Count("pk"),
            person=Count("pk", filter=Q(decision_made_by=made.PERSON)),
            jointly=Count("pk", filter=Q(decision_made_by=made.JOINTLY)),
            representative=Count("pk", filter=Q(decision_made_by=made.REPRESENTATIVE)),
            against_wishes=Count("pk", filter=Q(decision_made_by=made.AGAINST_WISHES)),
        )
        .order_by()
    )


ASKED_COLUMNS = ["Enquiries concluded", "Asked", "% asked", "Outcomes expressed", "% expressed (of asked)"]
ACHIEVED_COLUMNS = [
    "Outcomes expressed",
    "Fully achieved",
    "% fully",
    "Partially achieved",
    "% partially",
    "Not achieved",
    "% not achieved",
    "Not recorded",
]
DECISION_COLUMNS = [
    "Decisions recorded",
    "By the person",
    "Jointly with the person",
    "% by or with the person",
    "By their representative",
    "Against the person's wishes",
]


def _asked_cells(g: dict) -> list[Cell]:
    return [
        count_cell(g.get("concluded", 0)),
        count_cell(g.get("asked", 0)),
        pct_cell(g.get("asked", 0), g.get("concluded", 0)),
        count_cell(g.get("expressed", 0)),
        pct_cell(g.get("expressed", 0), g.get("asked", 0)),
    ]


def _achieved_cells(g: dict) -> list[Cell]:
    expressed = g.get("expressed", 0)
    return [
        count_cell(expressed),
        count_cell(g.get("fully", 0)),
        pct_cell(g.get("fully", 0), expressed),
        count_cell(g.get("partially", 0)),
        pct_cell(g.get("partially", 0), expressed),
        count_cell(g.get("not_achieved", 0)),
        pct_cell(g.get("not_achieved", 0), expressed),
        count_cell(g.get("not_recorded", 0)),
    ]


def _decision_cells(g: dict) -> list[Cell]:
    by_or_with = g.get("person", 0) + g.get("jointly", 0)
    return [
        count_cell(g.get("decisions", 0)),
        count_cell(g.get("person", 0)),
        count_cell(g.get("jointly", 0)),
        pct_cell(by_or_with, g.get("decisions", 0)),
        count_cell(g.get("representative", 0)),
        count_cell(g.get("against_wishes", 0)),
    ]


@reading_reports()
def msp_report(*, scope: ReportScope) -> Report:
    """MSP measures by financial quarter and by team (three queries)."""
    periods = quarters(scope.start, scope.end)
    teams = team_names(scope)
    outcome_groups = _msp_groups(scope, periods)
    decision_groups = _decision_groups(scope, periods)
    tables = {}
    for key, caption, keys, groups, columns, cells in [
        (
            "msp_asked",
            "Asked about outcomes, section 42 enquiries concluded",
            MSP_KEYS,
            outcome_groups,
            ASKED_COLUMNS,
            _asked_cells,
        ),
        (
            "msp_achieved",
            "Outcomes achieved, where outcomes were expressed",
            MSP_KEYS,
            outcome_groups,
            ACHIEVED_COLUMNS,
            _achieved_cells,
        ),
        (
            "msp_decisions",
            "Decisions recorded in conversations",
            DECISION_KEYS,
            decision_groups,
            DECISION_COLUMNS,
            _decision_cells,
        ),
    ]:
        by_quarter = Table(f"{key}_by_quarter", f"{caption}, by quarter", "Quarter", columns)
        for i, q in enumerate(periods):
            by_quarter.add(q.label, cells(add_up_where(groups, "quarter", i, keys)))
        by_quarter.add("Total", cells(add_up(groups, keys)))
        by_team = Table(f"{key}_by_team", f"{caption}, by team", "Team", columns)
        for team_id, name in teams.items():
            by_team.add(name, cells(add_up_where(groups, "team_id", team_id, keys)))
        tables[by_quarter.key] = by_quarter
        tables[by_team.key] = by_team
    total = add_up(outcome_groups, MSP_KEYS)
    summary = Table(
        "msp_summary", "Outcomes at a glance, all quarters", "Measure", ["Enquiries", "Percentage"]
    )
    for label, part, whole in [
        ("Asked (of enquiries concluded)", total.get("asked", 0), total.get("concluded", 0)),
        ("Expressed outcomes (of asked)", total.get("expressed", 0), total.get("asked", 0)),
        ("Fully achieved (of expressed)", total.get("fully", 0), total.get("expressed", 0)),
        ("Partially achieved", total.get("partially", 0), total.get("expressed", 0)),
        ("Not achieved", total.get("not_achieved", 0), total.get("expressed", 0)),
        ("Not recorded", total.get("not_recorded", 0), total.get("expressed", 0)),
    ]:
        summary.add(label, [count_cell(part), pct_cell(part, whole)])
    tables = {"msp_summary": summary, **tables}
    return Report(
        title="Making Safeguarding Personal",
        scope=scope,
        tables=tables,
        notes=[
            "Section 42 enquiries whose closure was signed off in the period, in every team in scope.",
            "An enquiry counts once: fully achieved when all its outcomes were fully achieved, not achieved "
            "when none was, partially achieved otherwise; withdrawn outcomes do not count.",
            "Decisions: each conversation in the period that recorded who made the decisions counts once.",
        ],
    )
