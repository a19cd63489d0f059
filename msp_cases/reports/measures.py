"""The figures of three reports: Making Safeguarding Personal measures, My Safeguarding Experience (Part 2)
and timeliness. Set-based: each report is a handful of aggregate queries grouped in the database (by financial
quarter and team), whatever the number of records; Python only adds up the groups and divides.

Counting rules (where the issue is silent, decided here and shown on each page):
- "Concluded in the period": section 42 enquiries whose closure was signed off (`closed_at`) in the period,
  as SAC SG2–SG4 count them (.figures.populations). Every enquiry of the teams in scope counts, restricted
  ones included.
- Outcomes achieved, per enquiry: the SAC's SG4a rule (.figures.achievement), the one the return uses.
  Percentages are of the enquiries whose outcomes were expressed, so the four rows add up to 100%.
- "% who expressed outcomes" is of those asked (SAC's "Yes they were asked and outcomes were expressed" over
  both "Yes" rows); "% asked" is of the enquiries concluded.
- Decisions: the counting unit is a conversation in the period (`occurred_at`) that recorded who made the
  decisions (anything but "No decision made"), on an enquiry or concern of the teams in scope. "Made by or
  with the person" is "The person" or "The person and practitioner jointly".
- Part 2: the response rate is the concluded enquiries whose person was approached and answered (Part 2
  completed) over the enquiries concluded. "% who felt listened to" (and informed, safer, happy with how
  concerns were dealt with) is "Yes, completely" or "Yes, partly" over every answer given to that question
  (by the person, someone on their behalf or in their best interests); blank answers are left out.
- Concern to decision: concerns decided (not "Awaiting decision") in the period, time from received to
  decided; "within timescale" compares with the due time of enquiries.timescales (working days, Monday to
  Friday, same time of day).
- Enquiry durations: enquiries (section 42 and other) closed in the period, opened to closed, in bands.
- Drift: reminders raised (`created_at`) in the period, by rule, with how many escalated to managers.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractIsoWeekDay

from enquiries.models import ConversationLog, Enquiry, Reminder, SafeguardingConcern
from enquiries.models.choices import DecisionMadeBy, OutcomesAsked
from enquiries.models.drift import DriftRule
from enquiries.timescales import add_working_days, decision_working_days
from feedback.models import ExperienceAnswer, NotApproachedReason
from msp_cases.accounts.models import Team
from outcomes.models import Achievement

from .figures.achievement import enquiry_achievement
from .figures.periods import Quarter, quarter_index, quarters
from .figures.populations import concluded_s42_in, enquiries_closed_in
from .scope import ReportScope

NO_DATA = "No data"


# ---- Tables: what the page, the CSV and the PDF all show -----------------------------------------------


def pct(part: int, whole: int) -> float | None:
    """A percentage, or None when there is nothing to divide by ("No data", never a division by zero)."""
    return None if not whole else round(100 * part / whole, 1)


@dataclass
class Cell:
    value: float | int | None
    display: str
    numeric: bool = True


def count_cell(n: int) -> Cell:
    return Cell(n, f"{n:,}")


def pct_cell(part: int, whole: int) -> Cell:
    value = pct(part, whole)
    return Cell(value, NO_DATA if value is None else f"{value:.1f}%")


def days_cell(seconds: float | None) -> Cell:
    if seconds is None:
        return Cell(None, NO_DATA)
    days = round(seconds / 86400, 1)
    return Cell(days, f"{days:.1f} days")


@dataclass
class Table:
    key: str  # for the CSV, e.g. "msp_asked_by_quarter"
    caption: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)

    def add(self, label: str, cells: list[Cell]) -> None:
        self.rows.append((label, cells))

    def csv_rows(self):
        for label, cells in self.rows:
            for column, cell in zip(self.columns, cells, strict=True):
                yield [self.key, label, column, "" if cell.value is None else cell.value]


@dataclass
class Report:
    title: str
    scope: ReportScope
    tables: dict[str, Table]
    notes: list[str]
    charts: list = field(default_factory=list)

    def csv_rows(self):
        yield ["table", "row", "column", "value"]
        for table in self.tables.values():
            yield from table.csv_rows()


def _team_names(scope: ReportScope) -> dict[int, str]:
    return dict(Team.objects.filter(pk__in=scope.team_ids).order_by("name").values_list("pk", "name"))


def _sum(groups: list[dict], keys) -> dict:
    total = {}
    for group in groups:
        for key in keys:
            total[key] = total.get(key, 0) + (group.get(key) or 0)
    return total


# ---- Making Safeguarding Personal -------------------------------------------------------------------------

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


def _by(groups: list[dict], key: str, value, keys) -> dict:
    return _sum([g for g in groups if g[key] == value], keys)


def msp_report(*, scope: ReportScope) -> Report:
    """MSP measures by financial quarter and by team (three queries)."""
    periods = quarters(scope.start, scope.end)
    teams = _team_names(scope)
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
            by_quarter.add(q.label, cells(_by(groups, "quarter", i, keys)))
        by_quarter.add("Total", cells(_sum(groups, keys)))
        by_team = Table(f"{key}_by_team", f"{caption}, by team", "Team", columns)
        for team_id, name in teams.items():
            by_team.add(name, cells(_by(groups, "team_id", team_id, keys)))
        tables[by_quarter.key] = by_quarter
        tables[by_team.key] = by_team
    total = _sum(outcome_groups, MSP_KEYS)
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


# ---- My Safeguarding Experience (Part 2) ------------------------------------------------------------------

PART2_QUESTIONS = [
    ("listened", "Felt listened to"),
    ("informed", "Felt informed"),
    ("safer", "Felt safer"),
    ("concerns_dealt_with", "Happy with how their concerns were dealt with"),
]


def _experience_groups(scope: ReportScope, periods: list[Quarter]) -> list[dict]:
    p2 = "experience_part2__"
    counts = {
        "concluded": Count("pk"),
        "recorded": Count("pk", filter=Q(experience_part2__isnull=False)),
        "approached": Count("pk", filter=Q(**{f"{p2}approached": True})),
        "responded": Count("pk", filter=Q(**{f"{p2}approached": True, f"{p2}completed_on__isnull": False})),
        "best_interests": Count(
            "pk", filter=Q(**{f"{p2}approached": False, f"{p2}best_interests_answered": True})
        ),
        "not_approached": Count("pk", filter=Q(**{f"{p2}approached": False})),
    }
    for reason in NotApproachedReason:
        counts[f"reason_{reason.value}"] = Count(
            "pk", filter=Q(**{f"{p2}approached": False, f"{p2}not_approached_reason": reason.value})
        )
    for name, _ in PART2_QUESTIONS:
        for answer in ExperienceAnswer:
            counts[f"{name}_{answer.value}"] = Count("pk", filter=Q(**{f"{p2}{name}": answer.value}))
    return list(
        concluded_s42_in(scope)
        .annotate(quarter=quarter_index("closed_at", periods))
        .values("quarter")
        .annotate(**counts)
        .order_by()
    )


def _experience_keys() -> list[str]:
    keys = ["concluded", "recorded", "approached", "responded", "best_interests", "not_approached"]
    keys += [f"reason_{r.value}" for r in NotApproachedReason]
    keys += [f"{name}_{a.value}" for name, _ in PART2_QUESTIONS for a in ExperienceAnswer]
    return keys


def _answers(g: dict, name: str) -> tuple[int, int]:
    """(yes completely or partly, every answer given)."""
    yes = g.get(f"{name}_{ExperienceAnswer.YES_COMPLETELY}", 0) + g.get(
        f"{name}_{ExperienceAnswer.YES_PARTLY}", 0
    )
    return yes, sum(g.get(f"{name}_{a.value}", 0) for a in ExperienceAnswer)


def experience_report(*, scope: ReportScope) -> Report:
    """Part 2 by financial quarter (one query)."""
    periods = quarters(scope.start, scope.end)
    groups = _experience_groups(scope, periods)
    keys = _experience_keys()
    per_quarter = [(q.label, _by(groups, "quarter", i, keys)) for i, q in enumerate(periods)]
    per_quarter.append(("Total", _sum(groups, keys)))
    total = per_quarter[-1][1]

    response = Table(
        "experience_response_by_quarter",
        "Response rate, by quarter",
        "Quarter",
        [
            "Enquiries concluded",
            "Part 2 recorded",
            "Approached and answered",
            "Response rate",
            "Not approached",
            "Answered in their best interests",
        ],
    )
    feelings = Table(
        "experience_feelings_by_quarter",
        "People who felt … (yes, completely or partly, of those who answered), by quarter",
        "Quarter",
        [label for _, label in PART2_QUESTIONS],
    )
    for label, g in per_quarter:
        response.add(
            label,
            [
                count_cell(g.get("concluded", 0)),
                count_cell(g.get("recorded", 0)),
                count_cell(g.get("responded", 0)),
                pct_cell(g.get("responded", 0), g.get("concluded", 0)),
                count_cell(g.get("not_approached", 0)),
                count_cell(g.get("best_interests", 0)),
            ],
        )
        feelings.add(label, [pct_cell(*_answers(g, name)) for name, _ in PART2_QUESTIONS])

    reasons = Table(
        "experience_not_approached", "Reasons for not approaching the person", "Reason", ["Enquiries", "%"]
    )
    for reason in NotApproachedReason:
        n = total.get(f"reason_{reason.value}", 0)
        reasons.add(reason.label, [count_cell(n), pct_cell(n, total.get("not_approached", 0))])

    answers = Table(
        "experience_answers",
        "Answers to the four questions, all quarters (% yes: completely or partly, of the answers)",
        "Question",
        [a.label for a in ExperienceAnswer] + ["Answers", "% yes"],
    )
    for name, label in PART2_QUESTIONS:
        yes, given = _answers(total, name)
        answers.add(
            label,
            [count_cell(total.get(f"{name}_{a.value}", 0)) for a in ExperienceAnswer]
            + [count_cell(given), pct_cell(yes, given)],
        )
    return Report(
        title="My Safeguarding Experience (Part 2)",
        scope=scope,
        tables={t.key: t for t in (answers, response, feelings, reasons)},
        notes=[
            "Section 42 enquiries whose closure was signed off in the period, in every team in scope.",
            "Response rate: people approached who answered Part 2, of the enquiries concluded.",
            "Each question: “Yes, completely” or “Yes, partly”, of every answer given to it (by the person, "
            "someone on their behalf or in their best interests).",
        ],
    )


# ---- Timeliness -------------------------------------------------------------------------------------------

DURATION_BANDS = [
    ("Under 4 weeks", 0, 28),
    ("4 to 8 weeks", 28, 56),
    ("8 to 13 weeks", 56, 91),
    ("13 to 26 weeks", 91, 182),
    ("26 weeks or more", 182, None),
]


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont over a duration, in seconds (linear interpolation between rows)."""

    function = "percentile_cont"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)

    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"


def percentile(values: list[float], fraction: float) -> float | None:
    """The same definition as percentile_cont, for databases without it (SQLite in tests)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _due_offset() -> Case:
    """Calendar days from a concern's receipt to its decision's due time, by the weekday it was received
    (enquiries.timescales: working days Monday to Friday, the same time of day)."""
    days = decision_working_days()
    whens = []
    for iso_weekday in range(1, 8):
        monday = datetime.datetime(2024, 1, 1, 12)  # a Monday; only the weekday matters
        received = monday + datetime.timedelta(days=iso_weekday - 1)
        offset = add_working_days(received, days) - received
        whens.append(When(received_weekday=iso_weekday, then=Value(offset)))
    return Case(*whens, output_field=DurationField())


def _decision_figures(scope: ReportScope, periods: list[Quarter]) -> list[dict]:
    """Per quarter and in total: concerns decided, how many within the timescale, the median and 90th
    percentile of the time to decision (seconds). Two queries on PostgreSQL (percentile_cont in the
    database); elsewhere one query for the counts and one for the waits, computed here."""
    decided = (
        SafeguardingConcern.objects.filter(
            team_id__in=scope.team_ids,
            decided_at__gte=scope.start_at,
            decided_at__lt=scope.end_before,
        )
        .exclude(decision=SafeguardingConcern.Decision.PENDING)
        .annotate(
            quarter=quarter_index("decided_at", periods),
            received_weekday=ExtractIsoWeekDay("received_at"),
        )
    )
    wait = ExpressionWrapper(F("decided_at") - F("received_at"), output_field=DurationField())
    counts = {
        "decided": Count("pk"),
        "within": Count("pk", filter=Q(decided_at__lte=F("received_at") + _due_offset())),
    }
    if connection.vendor == "postgresql":
        counts["median"] = PercentileCont(wait, 0.5)
        counts["p90"] = PercentileCont(wait, 0.9)
        rows = list(decided.values("quarter").annotate(**counts).order_by())
        total = decided.aggregate(**counts)
    else:
        rows = list(decided.values("quarter").annotate(**counts).order_by())
        waits: dict[int, list[float]] = {}
        for quarter, delta in decided.annotate(wait=wait).values_list("quarter", "wait"):
            waits.setdefault(quarter, []).append(delta.total_seconds())
        for row in rows:
            row["median"] = percentile(waits.get(row["quarter"], []), 0.5)
            row["p90"] = percentile(waits.get(row["quarter"], []), 0.9)
        every = [w for values in waits.values() for w in values]
        total = {
            **_sum(rows, ["decided", "within"]),
            "median": percentile(every, 0.5),
            "p90": percentile(every, 0.9),
        }
    by_quarter = {row["quarter"]: row for row in rows}
    return [by_quarter.get(i, {}) for i in range(len(periods))] + [total]


def _duration_groups(scope: ReportScope) -> list[dict]:
    counts = {"closed": Count("pk")}
    for i, (_, low, high) in enumerate(DURATION_BANDS):
        condition = Q()
        if low:
            condition &= Q(closed_at__gte=F("opened_at") + datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(closed_at__lt=F("opened_at") + datetime.timedelta(days=high))
        counts[f"band_{i}"] = Count("pk", filter=condition)
    return list(enquiries_closed_in(scope).values("enquiry_type").annotate(**counts).order_by())


def _drift_groups(scope: ReportScope) -> list[dict]:
    return list(
        Reminder.objects.filter(
            team_id__in=scope.team_ids, created_at__gte=scope.start_at, created_at__lt=scope.end_before
        )
        .values("rule")
        .annotate(
            raised=Count("pk"),
            escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
            still_open=Count("pk", filter=Q(status=Reminder.Status.OPEN)),
        )
        .order_by()
    )


def timeliness_report(*, scope: ReportScope) -> Report:
    """Concern to decision by quarter, enquiry durations in bands, drift by rule (four queries)."""
    periods = quarters(scope.start, scope.end)
    days = decision_working_days()
    decisions = Table(
        "timeliness_concern_to_decision",
        "Concern to decision, by quarter the decision was made",
        "Quarter",
        [
            "Concerns decided",
            "Median time",
            "90th percentile",
            f"Within {days} working days",
            f"% within {days} working days",
        ],
    )
    labels = [q.label for q in periods] + ["Total"]
    for label, row in zip(labels, _decision_figures(scope, periods), strict=True):
        decided, within = row.get("decided", 0), row.get("within", 0)
        decisions.add(
            label,
            [
                count_cell(decided),
                days_cell(row.get("median")),
                days_cell(row.get("p90")),
                count_cell(within),
                pct_cell(within, decided),
            ],
        )

    groups = _duration_groups(scope)
    band_keys = ["closed"] + [f"band_{i}" for i in range(len(DURATION_BANDS))]
    s42 = _by(groups, "enquiry_type", Enquiry.Type.SECTION_42, band_keys)
    other = _by(groups, "enquiry_type", Enquiry.Type.OTHER, band_keys)
    total = _sum(groups, band_keys)
    durations = Table(
        "timeliness_enquiry_duration",
        "Enquiries closed in the period, by how long they were open",
        "Duration",
        ["Section 42 enquiries", "Other enquiries", "All enquiries", "% of all"],
    )
    for i, (label, _, _) in enumerate(DURATION_BANDS):
        key = f"band_{i}"
        durations.add(
            label,
            [
                count_cell(s42.get(key, 0)),
                count_cell(other.get(key, 0)),
                count_cell(total.get(key, 0)),
                pct_cell(total.get(key, 0), total.get("closed", 0)),
            ],
        )
    durations.add(
        "Total",
        [
            count_cell(s42.get("closed", 0)),
            count_cell(other.get("closed", 0)),
            count_cell(total.get("closed", 0)),
            pct_cell(total.get("closed", 0), total.get("closed", 0)),
        ],
    )

    drift_rows = {row["rule"]: row for row in _drift_groups(scope)}
    drift = Table(
        "timeliness_drift",
        "Drift reminders raised in the period, by rule",
        "Rule",
        ["Reminders raised", "Escalated to managers", "% escalated", "Still open"],
    )
    drift_keys = ["raised", "escalated", "still_open"]
    for rule in DriftRule:
        row = drift_rows.get(rule.value, {})
        drift.add(
            rule.label,
            [
                count_cell(row.get("raised", 0)),
                count_cell(row.get("escalated", 0)),
                pct_cell(row.get("escalated", 0), row.get("raised", 0)),
                count_cell(row.get("still_open", 0)),
            ],
        )
    all_drift = _sum(list(drift_rows.values()), drift_keys)
    drift.add(
        "Total",
        [
            count_cell(all_drift.get("raised", 0)),
            count_cell(all_drift.get("escalated", 0)),
            pct_cell(all_drift.get("escalated", 0), all_drift.get("raised", 0)),
            count_cell(all_drift.get("still_open", 0)),
        ],
    )
    return Report(
        title="Timeliness",
        scope=scope,
        tables={t.key: t for t in (decisions, durations, drift)},
        notes=[
            "Concern to decision: concerns decided in the period, from received to decided; the timescale "
            f"is {days} working days (Monday to Friday), as the drift reminders use. Times are in calendar "
            "days.",
            "Enquiry durations: section 42 and other enquiries whose closure was signed off in the period.",
            "Drift: reminders raised in the period, and how many escalated to the team's managers.",
        ],
    )
