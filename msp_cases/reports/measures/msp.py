"""Making Safeguarding Personal: were people asked about their desired outcomes, were they achieved, and were
decisions made by or with the person. By financial quarter and by team (three queries)."""

from dataclasses import dataclass

from django.db.models import CharField, Count, F, Q, QuerySet
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

ANY = "any"  # a measure of enquiries whatever their outcomes' achievement
ASKED = Q(outcomes_asked__in=[OutcomesAsked.ASKED_EXPRESSED, OutcomesAsked.ASKED_NONE])
EXPRESSED = Q(outcomes_asked=OutcomesAsked.ASKED_EXPRESSED)
# Each count of concluded enquiries: its condition on the enquiry, and the achievement of its outcomes
# (enquiry_achievement: None when not recorded) or ANY. Written once: the tables count by it
# (_msp_groups) and the list of a figure's records filters by it (measure_records).
OUTCOME_MEASURES = {
    "concluded": (Q(), ANY),
    "asked": (ASKED, ANY),
    "expressed": (EXPRESSED, ANY),
    "fully": (EXPRESSED, Achievement.FULLY.value),
    "partially": (EXPRESSED, Achievement.PARTIALLY.value),
    "not_achieved": (EXPRESSED, Achievement.NOT.value),
    "not_recorded": (EXPRESSED, None),
}
MSP_KEYS = list(OUTCOME_MEASURES)
# Each count of conversations that recorded who made the decisions.
DECISION_MEASURES = {
    "decisions": Q(),
    "person": Q(decision_made_by=DecisionMadeBy.PERSON),
    "jointly": Q(decision_made_by=DecisionMadeBy.JOINTLY),
    "representative": Q(decision_made_by=DecisionMadeBy.REPRESENTATIVE),
    "against_wishes": Q(decision_made_by=DecisionMadeBy.AGAINST_WISHES),
}
DECISION_KEYS = list(DECISION_MEASURES)


def _enquiries(scope: ReportScope, periods: list[Quarter]) -> QuerySet:
    """The concluded section 42 enquiries counted, with their quarter and achievement."""
    return concluded_s42_in(scope).annotate(
        quarter=quarter_index("closed_at", periods), achieved=enquiry_achievement()
    )


def _outcome_condition(key: str) -> Q:
    condition, achieved = OUTCOME_MEASURES[key]
    if achieved == ANY:
        return condition
    return condition & (Q(achieved__isnull=True) if achieved is None else Q(achieved=achieved))


def _msp_groups(scope: ReportScope, periods: list[Quarter]) -> list[dict]:
    """Concluded enquiries grouped by quarter, team and how far their outcomes were achieved, with each
    measure's count; a measure of one achievement counts only in the groups of that achievement."""
    rows = list(
        _enquiries(scope, periods)
        .values("quarter", "team_id", "achieved")
        .annotate(
            **{key: Count("pk", filter=condition or None) for key, (condition, _) in OUTCOME_MEASURES.items()}
        )
        .order_by()
    )
    for row in rows:
        for key, (_, achieved) in OUTCOME_MEASURES.items():
            if achieved != ANY and row["achieved"] != achieved:
                row[key] = 0
    return rows


def _conversations(scope: ReportScope, periods: list[Quarter]) -> QuerySet:
    """The conversations in the period that recorded who made the decisions, with their quarter and team
    (their enquiry's, or their concern's while it has no enquiry)."""
    return (
        ConversationLog.objects.filter(
            Q(enquiry__team_id__in=scope.team_ids)
            | Q(enquiry__isnull=True, concern__team_id__in=scope.team_ids),
            occurred_at__gte=scope.start_at,
            occurred_at__lt=scope.end_before,
        )
        .exclude(decision_made_by=DecisionMadeBy.NO_DECISION)
        .annotate(
            quarter=quarter_index("occurred_at", periods),
            team_id=Coalesce("enquiry__team_id", "concern__team_id"),
        )
    )


def _decision_groups(scope: ReportScope, periods: list[Quarter]) -> list[dict]:
    return list(
        _conversations(scope, periods)
        .values("quarter", "team_id")
        .annotate(
            **{key: Count("pk", filter=condition or None) for key, condition in DECISION_MEASURES.items()}
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


def _count(g: dict, key: str) -> Cell:
    """A count of one measure: its figure links to the records it counts (measure_records)."""
    return count_cell(g.get(key, 0), linked=True)


def _asked_cells(g: dict) -> list[Cell]:
    return [
        _count(g, "concluded"),
        _count(g, "asked"),
        pct_cell(g.get("asked", 0), g.get("concluded", 0)),
        _count(g, "expressed"),
        pct_cell(g.get("expressed", 0), g.get("asked", 0)),
    ]


def _achieved_cells(g: dict) -> list[Cell]:
    expressed = g.get("expressed", 0)
    return [
        _count(g, "expressed"),
        _count(g, "fully"),
        pct_cell(g.get("fully", 0), expressed),
        _count(g, "partially"),
        pct_cell(g.get("partially", 0), expressed),
        _count(g, "not_achieved"),
        pct_cell(g.get("not_achieved", 0), expressed),
        _count(g, "not_recorded"),
    ]


def _decision_cells(g: dict) -> list[Cell]:
    by_or_with = g.get("person", 0) + g.get("jointly", 0)
    return [
        _count(g, "decisions"),
        _count(g, "person"),
        _count(g, "jointly"),
        pct_cell(by_or_with, g.get("decisions", 0)),
        _count(g, "representative"),
        _count(g, "against_wishes"),
    ]


CAPTIONS = {
    "msp_asked": "Asked about outcomes, section 42 enquiries concluded",
    "msp_achieved": "Outcomes achieved, where outcomes were expressed",
    "msp_decisions": "Decisions recorded in conversations",
}
# The measure each column of a table counts (None: a percentage, which lists nothing), and what it counts.
COLUMN_MEASURES = {
    "msp_asked": ("enquiry", ["concluded", "asked", None, "expressed", None]),
    "msp_achieved": (
        "enquiry",
        ["expressed", "fully", None, "partially", None, "not_achieved", None, "not_recorded"],
    ),
    "msp_decisions": (
        "conversation",
        ["decisions", "person", "jointly", None, "representative", "against_wishes"],
    ),
}


class UnknownCell(LookupError):
    """A table, row or column the MSP measures do not have, or a percentage."""


@dataclass(frozen=True)
class MeasureCell:
    """One count of the MSP tables, found by its table and the positions of its row and column, and the
    records it counts (with `counted_on` and `counted_team`): the same conditions as the count."""

    table: str
    caption: str
    row: str
    column: str
    kind: str  # "enquiry" or "conversation"
    records: QuerySet

    @property
    def when_label(self) -> str:
        return "Concluded" if self.kind == "enquiry" else "Conversation on"


def measure_records(scope: ReportScope, table: str, row: int, column: int) -> MeasureCell:
    """The records counted in the figure at (`row`, `column`) of table `table` (e.g. "msp_asked_by_team") of
    msp_report for `scope`. UnknownCell for anything the tables do not count."""
    measure, _, by = table.rpartition("_by_")
    if measure not in COLUMN_MEASURES or by not in ("quarter", "team"):
        raise UnknownCell(table)
    kind, keys = COLUMN_MEASURES[measure]
    if not 0 <= column < len(keys) or keys[column] is None:
        raise UnknownCell(f"{table}: no count in column {column}")
    periods = quarters(scope.start, scope.end)
    if by == "quarter":
        rows = [(q.label, Q(quarter=i)) for i, q in enumerate(periods)] + [("Total", Q())]
    else:
        rows = [(name, Q(team_id=team_id)) for team_id, name in team_names(scope).items()]
    if not 0 <= row < len(rows):
        raise UnknownCell(f"{table}: no row {row}")
    label, in_row = rows[row]
    if kind == "enquiry":
        records = (
            _enquiries(scope, periods)
            .filter(in_row, _outcome_condition(keys[column]))
            .annotate(counted_on=F("closed_at"), counted_team=F("team__name"))
        )
    else:
        records = (
            _conversations(scope, periods)
            .filter(in_row, DECISION_MEASURES[keys[column]])
            .annotate(
                counted_on=F("occurred_at"),
                counted_team=Coalesce("enquiry__team__name", "concern__team__name", output_field=CharField()),
            )
        )
    columns = {
        "msp_asked": ASKED_COLUMNS,
        "msp_achieved": ACHIEVED_COLUMNS,
        "msp_decisions": DECISION_COLUMNS,
    }
    return MeasureCell(
        table=table,
        caption=f"{CAPTIONS[measure]}, by {by}",
        row=label,
        column=columns[measure][column],
        kind=kind,
        records=records,
    )


@reading_reports()
def msp_report(*, scope: ReportScope) -> Report:
    """MSP measures by financial quarter and by team (three queries)."""
    periods = quarters(scope.start, scope.end)
    teams = team_names(scope)
    outcome_groups = _msp_groups(scope, periods)
    decision_groups = _decision_groups(scope, periods)
    tables = {}
    for key, keys, groups, columns, cells in [
        (
            "msp_asked",
            MSP_KEYS,
            outcome_groups,
            ASKED_COLUMNS,
            _asked_cells,
        ),
        (
            "msp_achieved",
            MSP_KEYS,
            outcome_groups,
            ACHIEVED_COLUMNS,
            _achieved_cells,
        ),
        (
            "msp_decisions",
            DECISION_KEYS,
            decision_groups,
            DECISION_COLUMNS,
            _decision_cells,
        ),
    ]:
        caption = CAPTIONS[key]
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
