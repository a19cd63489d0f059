"""SG4a: how far an enquiry's desired outcomes were achieved, one answer per enquiry (SG4a counts enquiries,
not outcomes), from the person's view on each of their active outcomes (withdrawn ones do not count):
- "Fully Achieved" when every outcome with an answer was fully achieved;
- "Not Achieved" when every outcome with an answer was not achieved;
- "Partially Achieved" otherwise (any partially, or some fully and some not);
- "Not recorded" when no active outcome has an answer.

Written once as conditions on three counts per enquiry (its active outcomes answered fully `f`, partially
`p`, not `n`), which the SAC return aggregates over and the measures reports group by."""

from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Value, When

from outcomes.models import Achievement, DesiredOutcome

# (answer, or None for "Not recorded"; its condition on the counts f, p, n). Exactly one holds per enquiry.
ACHIEVEMENT_RULES = (
    (Achievement.FULLY, Q(f__gt=0, p=0, n=0)),
    (Achievement.PARTIALLY, Q(p__gt=0) | Q(f__gt=0, n__gt=0)),
    (Achievement.NOT, Q(n__gt=0, f=0, p=0)),
    (None, Q(f=0, p=0, n=0)),
)


def answer_counts(outcomes: str | None = "desired_outcomes") -> dict[str, Count]:
    """The counts f, p, n: on enquiries through their relation `outcomes`, or (None) on desired outcomes
    already grouped by enquiry."""
    prefix = f"{outcomes}__" if outcomes else ""
    active = Q(**{f"{prefix}status": DesiredOutcome.Status.ACTIVE})

    def answered(value) -> Count:
        return Count(outcomes or "pk", filter=active & Q(**{f"{prefix}achievement": value}))

    return {
        "f": answered(Achievement.FULLY),
        "p": answered(Achievement.PARTIALLY),
        "n": answered(Achievement.NOT),
    }


def enquiry_achievement() -> Subquery:
    """Each enquiry's answer ("fully", "partially", "not"; None when none was recorded), to annotate on
    enquiries and group by: one correlated subquery per enquiry on the outcomes' enquiry index."""
    answer = Case(
        *(When(rule, then=Value(achieved.value)) for achieved, rule in ACHIEVEMENT_RULES if achieved),
        default=Value(None),
        output_field=CharField(),
    )
    per_enquiry = (
        DesiredOutcome.objects.filter(enquiry_id=OuterRef("pk"), status=DesiredOutcome.Status.ACTIVE)
        .exclude(achievement="")
        .order_by()
        .values("enquiry_id")
        .annotate(**answer_counts(None))
        .annotate(answer=answer)
        .values("answer")
    )
    return Subquery(per_enquiry, output_field=CharField())
