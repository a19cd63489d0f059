"""My Safeguarding Experience (Part 2): the response rate, how people felt, and why people were not
approached. By financial quarter (one query)."""

from django.db.models import Count, Q

from feedback.models import ExperienceAnswer, NotApproachedReason
from msp_cases.core.replica import reading_reports

from ..figures.periods import Quarter, quarter_index, quarters
from ..figures.populations import concluded_s42_in
from ..scope import ReportScope
from .tables import Report, Table, add_up, add_up_where, count_cell, pct_cell

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


@reading_reports()
def experience_report(*, scope: ReportScope) -> Report:
    """Part 2 by financial quarter (one query)."""
    periods = quarters(scope.start, scope.end)
    groups = _experience_groups(scope, periods)
    keys = _experience_keys()
    per_quarter = [(q.label, add_up_where(groups, "quarter", i, keys)) for i, q in enumerate(periods)]
    per_quarter.append(("Total", add_up(groups, keys)))
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
