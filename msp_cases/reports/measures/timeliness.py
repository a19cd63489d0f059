"""Timeliness: concern to decision by quarter, how long enquiries were open, drift reminders by rule (four
queries)."""

import datetime

from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    Value,
)
from django.db.models.functions import ExtractIsoWeekDay, TruncDate

from enquiries.models import Enquiry, Reminder, SafeguardingConcern
from enquiries.models.drift import DriftRule
from enquiries.timescales import add_working_days, decision_working_days
from msp_cases.core.replica import reading_reports

from ..figures.periods import Quarter, quarter_index, quarters
from ..figures.populations import enquiries_closed_in
from ..scope import ReportScope
from .tables import Report, Table, add_up, add_up_where, count_cell, days_cell, pct_cell

DURATION_BANDS = [
    ("Under 4 weeks", 0, 28),
    ("4 to 8 weeks", 28, 56),
    ("8 to 13 weeks", 56, 91),
    ("13 to 26 weeks", 91, 182),
    ("26 weeks or more", 182, None),
]


def percentile(values: list[float], fraction: float) -> float | None:
    """The same definition as percentile_cont, for databases without it (SQLite in tests)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class SimpleCase(Func):
    """`CASE subject WHEN value THEN result ... [ELSE default] END`: the subject (here an ISO weekday or a
    date in the local time zone) is computed once per row, where Django's `Case(When(subject=...))` computes
    it again for every WHEN."""

    def __init__(self, subject, cases: list[tuple], output_field, default=None):
        expressions = [subject]
        for value, result in cases:
            expressions += [Value(value), Value(result, output_field=output_field)]
        self.has_default = default is not None
        if self.has_default:
            expressions.append(default)
        super().__init__(*expressions, output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        sqls, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            sqls.append(sql)
            params.extend(expression_params)
        subject, *pairs = sqls
        otherwise = f" ELSE {pairs.pop()}" if self.has_default else ""
        whens = " ".join(
            f"WHEN {value} THEN {result}" for value, result in zip(pairs[::2], pairs[1::2], strict=True)
        )
        return f"CASE {subject} {whens}{otherwise} END", params


class EpochSeconds(Func):
    """A duration in seconds as a double (PostgreSQL's date_part; EXTRACT would compute an exact numeric that
    percentile_cont turns into a double anyway, at several times the cost per row)."""

    template = "date_part('epoch', %(expressions)s)"
    output_field = FloatField()


# A decision made in the period can be within the timescale only for a concern received at most this many
# days before the period starts (a timescale of a few working days over a long bank-holiday weekend).
_LONGEST_WAIT_DAYS = 31


def _due_offset(first: datetime.date, last: datetime.date) -> SimpleCase:
    """Calendar days from a concern's receipt to its decision's due time (enquiries.timescales: working days,
    the same time of day): by the weekday it was received, except for the days received near a bank holiday
    between `first` (less the longest wait) and `last`, which are listed by date (about forty a year)."""
    days = decision_working_days()

    def offset(day: datetime.date) -> datetime.timedelta:
        received = datetime.datetime.combine(day, datetime.time(12))
        return add_working_days(received, days) - received

    week = datetime.date(2024, 1, 8)  # a Monday with no bank holiday in the weeks after it
    usual = {
        iso_weekday: offset(week + datetime.timedelta(days=iso_weekday - 1)) for iso_weekday in range(1, 8)
    }
    by_weekday = SimpleCase(
        ExtractIsoWeekDay("received_at"), list(usual.items()), output_field=DurationField()
    )
    near_holidays = []
    day = first - datetime.timedelta(days=_LONGEST_WAIT_DAYS)
    while day <= last:
        if (this := offset(day)) != usual[day.isoweekday()]:
            near_holidays.append((day, this))
        day += datetime.timedelta(days=1)
    if not near_holidays:
        return by_weekday
    return SimpleCase(
        TruncDate("received_at"), near_holidays, output_field=DurationField(), default=by_weekday
    )


def _decision_figures(scope: ReportScope, periods: list[Quarter]) -> list[dict]:
    """Per quarter and in total: concerns decided, how many within the timescale, the median and 90th
    percentile of the time to decision (seconds). On PostgreSQL one statement reads the concerns once (an
    index-only scan of `concern_decided_at`) and aggregates them by quarter and in total with GROUPING SETS,
    which the ORM cannot say; elsewhere one query for the counts and one for the waits, computed here."""
    decided = (
        SafeguardingConcern.objects.filter(
            team_id__in=scope.team_ids,
            decided_at__gte=scope.start_at,
            decided_at__lt=scope.end_before,
        )
        .exclude(decision=SafeguardingConcern.Decision.PENDING)
        .annotate(quarter=quarter_index("decided_at", periods))
        .order_by()
    )
    wait = ExpressionWrapper(F("decided_at") - F("received_at"), output_field=DurationField())
    within = Q(decided_at__lte=F("received_at") + _due_offset(scope.start, scope.end))
    if connection.vendor == "postgresql":
        rows, total = _decision_figures_in_one_statement(decided, wait, within)
    else:
        rows = list(
            decided.values("quarter")
            .annotate(decided=Count("pk"), within=Count("pk", filter=within))
            .order_by()
        )
        waits: dict[int, list[float]] = {}
        for quarter, delta in decided.annotate(wait=wait).values_list("quarter", "wait"):
            waits.setdefault(quarter, []).append(delta.total_seconds())
        for row in rows:
            row["median"] = percentile(waits.get(row["quarter"], []), 0.5)
            row["p90"] = percentile(waits.get(row["quarter"], []), 0.9)
        every = [w for values in waits.values() for w in values]
        total = {
            **add_up(rows, ["decided", "within"]),
            "median": percentile(every, 0.5),
            "p90": percentile(every, 0.9),
        }
    by_quarter = {row["quarter"]: row for row in rows}
    return [by_quarter.get(i, {}) for i in range(len(periods))] + [total]


def _decision_figures_in_one_statement(decided, wait, within) -> tuple[list[dict], dict]:
    """The ORM builds each decided concern's row (its quarter, wait and whether it was within the timescale,
    so the population and the rules stay defined once); the statement around it only aggregates."""
    rows_sql, params = (
        decided.annotate(
            wait_seconds=EpochSeconds(wait),
            within_timescale=ExpressionWrapper(within, output_field=BooleanField()),
        )
        .values("quarter", "wait_seconds", "within_timescale")
        .query.sql_with_params()
    )
    # Only the ORM's own SQL is interpolated; its values stay parameters.
    sql = f"""
        SELECT decided.quarter, GROUPING(decided.quarter),
               COUNT(*), COUNT(*) FILTER (WHERE decided.within_timescale),
               percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY decided.wait_seconds)
          FROM ({rows_sql}) AS decided
         GROUP BY GROUPING SETS ((decided.quarter), ())"""  # noqa: S608
    rows, total = [], {}
    with connections[decided.db].cursor() as cursor:
        cursor.execute(sql, params)
        for quarter, is_total, count, within_count, fractions in cursor.fetchall():
            median, p90 = fractions or (None, None)  # NULL when nothing was decided
            row = {"quarter": quarter, "decided": count, "within": within_count, "median": median, "p90": p90}
            if is_total:
                total = row
            else:
                rows.append(row)
    return rows, total


def _duration_groups(scope: ReportScope) -> list[dict]:
    # Counts closed_at (never null here), not the id: every column read is then in `enquiry_closed_at`, and
    # the query an index-only scan.
    counts = {"closed": Count("closed_at")}
    for i, (_, low, high) in enumerate(DURATION_BANDS):
        condition = Q()
        if low:
            condition &= Q(closed_at__gte=F("opened_at") + datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(closed_at__lt=F("opened_at") + datetime.timedelta(days=high))
        counts[f"band_{i}"] = Count("closed_at", filter=condition)
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


@reading_reports()
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
    s42 = add_up_where(groups, "enquiry_type", Enquiry.Type.SECTION_42, band_keys)
    other = add_up_where(groups, "enquiry_type", Enquiry.Type.OTHER, band_keys)
    total = add_up(groups, band_keys)
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
    all_drift = add_up(list(drift_rows.values()), drift_keys)
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
            f"is {days} working days (Monday to Friday, bank holidays not counted), as the drift reminders "
            "use. Times are in calendar days.",
            "Enquiry durations: section 42 and other enquiries whose closure was signed off in the period.",
            "Drift: reminders raised in the period, and how many escalated to the team's managers.",
        ],
    )
