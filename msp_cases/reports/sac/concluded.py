"""SG2–SG4: the section 42 enquiries concluded in the period, by type, location and source of risk, action
and result, risk outcome, capacity, and whether the person was asked about their outcomes and how far they
were achieved. An enquiry counts once in every category that applies."""

from django.db.models import Count, Q

from enquiries.models import Enquiry
from enquiries.models.choices import (
    ActionResult,
    CapacitySupport,
    LacksCapacity,
    OutcomesAsked,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
)

from ..figures.achievement import ACHIEVEMENT_RULES, answer_counts
from ..figures.populations import concluded_s42_in
from ..scope import ReportScope
from .tables import NOT_RECORDED, TOTAL, SacTable, aggregate

# The publication's name for the population (its ENQUIRY_TYPE "Concluded Section 42 Enquiries").
CONCLUDED = "Concluded Section 42 Enquiries"
SUPPORTED = (
    CapacitySupport.ADVOCATE,
    CapacitySupport.REPRESENTATIVE,
    CapacitySupport.FAMILY,
    CapacitySupport.FRIEND,
)
# SG3a's second block, as the publication lays it out (its own range beside the capacity answers): its one
# row verbatim, then the product's own two rows, so the block adds up to the "Yes" row.
SG3A_SUPPORT_HEADING = "Support, of the enquiries recorded as Yes"
SG3A_SUPPORTED = (
    "Of the enquiries recorded as Yes, in how many of these cases was support provided by an advocate, "
    "family or friend"
)
SG3A_UNSUPPORTED = "No support provided"
SG3A_SUPPORT_NOT_RECORDED = "Support not recorded"
# SG4a's second block (the publication's own range beside the "asked" answers): the achievement answers,
# verbatim, then the product's own row for an enquiry with no answer.
SG4A_ACHIEVEMENT_HEADING = "Of the enquiries where outcomes were expressed, were they achieved?"
SG4A_ACHIEVEMENT_NOT_RECORDED = "Achievement not recorded"


def _choice_qs(field_name: str, choices) -> list[tuple[str, Q]]:
    """(label, condition) for each choice, then "Not recorded" for a blank answer."""
    return [(label, Q(**{field_name: value})) for value, label in choices.choices] + [
        (NOT_RECORDED, Q(**{field_name: ""}))
    ]


def _enquiry_counts(scope: ReportScope) -> dict:
    """Every SG2b, SG2c, SG2e, SG3a and SG4a (asked) cell in one query of conditional counts over the
    concluded section 42 enquiries."""
    locations = _choice_qs("risk_location", RiskLocation)
    sources = _choice_qs("risk_source", RiskSource)
    counts = {}
    for loc_label, loc_q in locations:
        for src_label, src_q in sources:
            counts[f"loc|{loc_label}|{src_label}"] = Count("pk", filter=loc_q & src_q)
    for label, q in _choice_qs("action_result", ActionResult):
        counts[f"sg2c|{label}"] = Count("pk", filter=q)
    for label, q in _choice_qs("risk_outcome", RiskOutcome):
        counts[f"sg2e|{label}"] = Count("pk", filter=q & Q(action_result=ActionResult.RISK_ACTION))
    for value, label in LacksCapacity.choices:
        counts[f"sg3a|{label}"] = Count("pk", filter=Q(lacks_capacity=value))
    lacked = Q(lacks_capacity=LacksCapacity.YES)
    counts[f"sg3a|{SG3A_SUPPORTED}"] = Count("pk", filter=lacked & Q(capacity_support__in=SUPPORTED))
    counts[f"sg3a|{SG3A_UNSUPPORTED}"] = Count("pk", filter=lacked & Q(capacity_support=CapacitySupport.NONE))
    counts[f"sg3a|{SG3A_SUPPORT_NOT_RECORDED}"] = Count("pk", filter=lacked & Q(capacity_support=""))
    for value, label in OutcomesAsked.choices:
        counts[f"sg4a|{label}"] = Count("pk", filter=Q(outcomes_asked=value))
    return aggregate(concluded_s42_in(scope), counts)


def _no_type_counts(scope: ReportScope) -> dict[tuple[str, str], int]:
    """(location, source) → concluded enquiries with no type of risk recorded: one GROUP BY."""
    rows = (
        concluded_s42_in(scope)
        .filter(risk_types__isnull=True)
        .values("risk_location", "risk_source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["risk_location"], r["risk_source"]): r["n"] for r in rows}


# SG4a's achievement rows, in the rule's order (.figures.achievement): the answer's label ("Fully Achieved"),
# or the product's own "Achievement not recorded".
ACHIEVEMENT_LABELS = tuple(
    achieved.label if achieved else SG4A_ACHIEVEMENT_NOT_RECORDED for achieved, _ in ACHIEVEMENT_RULES
)


def _achievement_counts(scope: ReportScope) -> dict[str, int]:
    """Of the concluded enquiries where outcomes were expressed, how many in each SG4a achievement row: one
    query (each enquiry's answers counted, then the enquiries counted by rule)."""
    per_enquiry = (
        concluded_s42_in(scope)
        .filter(outcomes_asked=OutcomesAsked.ASKED_EXPRESSED)
        .annotate(**answer_counts())
    )
    return aggregate(
        per_enquiry,
        {
            label: Count("pk", filter=rule)
            for label, (_, rule) in zip(ACHIEVEMENT_LABELS, ACHIEVEMENT_RULES, strict=True)
        },
    )


def _type_counts(scope: ReportScope) -> dict[tuple[str, str, str], int]:
    """(type, location, source) → concluded enquiries with that type of risk: one GROUP BY over the
    enquiries' types (an enquiry with two types is one row in each)."""
    Through = Enquiry.risk_types.through
    rows = (
        Through.objects.filter(enquiry__in=concluded_s42_in(scope))
        .values("risktypeoption_id", "enquiry__risk_location", "enquiry__risk_source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        (r["risktypeoption_id"], r["enquiry__risk_location"], r["enquiry__risk_source"]): r["n"] for r in rows
    }


def _with_total(values: list[int]) -> tuple[int, ...]:
    return (*values, sum(values))


def sg2_to_sg4(scope: ReportScope) -> list[SacTable]:
    counts = _enquiry_counts(scope)
    for label, n in _achievement_counts(scope).items():
        counts[f"sg4a|{label}"] = n
    no_type = _no_type_counts(scope)
    by_type = _type_counts(scope)
    locations = [*RiskLocation.values, ""]
    location_labels = [*RiskLocation.labels, NOT_RECORDED]
    sources = [*RiskSource.values, ""]
    source_labels = [*RiskSource.labels, NOT_RECORDED]
    multi = "An enquiry counts once in each category that applies, so rows need not add up to the enquiries."

    def typed(risk_type: str, location: str | None = None, source: str | None = None) -> int:
        return sum(
            n
            for (t, loc, src), n in by_type.items()
            if t == risk_type and (location is None or loc == location) and (source is None or src == source)
        )

    sg2a = SacTable(
        id="SG2a",
        title="Type of risk by source of risk",
        rows=(*RiskType.labels, NOT_RECORDED),
        columns=(*source_labels, TOTAL),
        cells=(
            *(_with_total([typed(t, source=s) for s in sources]) for t in RiskType.values),
            _with_total([sum(n for (_, src), n in no_type.items() if src == s) for s in sources]),
        ),
        notes=(multi, "Not recorded row: no type of risk recorded."),
    )
    sg2b = SacTable(
        id="SG2b",
        title="Location of risk by source of risk",
        rows=tuple(location_labels),
        columns=(*source_labels, TOTAL),
        cells=tuple(
            _with_total([counts[f"loc|{loc}|{src}"] for src in source_labels]) for loc in location_labels
        ),
    )
    sg2a_b1 = SacTable(
        id="SG2a_b1",
        title="Type of risk by location of risk",
        rows=(*RiskType.labels, NOT_RECORDED),
        columns=(*location_labels, TOTAL),
        cells=(
            *(_with_total([typed(t, location=loc) for loc in locations]) for t in RiskType.values),
            _with_total([sum(n for (loc, _), n in no_type.items() if loc == lo) for lo in locations]),
        ),
        notes=(multi,),
    )

    def one_column(table_id, title, labels, prefix, notes=(), blocks=(), sections=()):
        return SacTable(
            id=table_id,
            title=title,
            rows=tuple(labels),
            columns=(CONCLUDED,),
            cells=tuple((counts[f"{prefix}|{label}"],) for label in labels),
            notes=tuple(notes),
            blocks=blocks,
            sections=sections,
        )

    asked = len(OutcomesAsked.labels)

    return [
        sg2a,
        sg2b,
        sg2a_b1,
        one_column("SG2c", "Action taken and result", [*ActionResult.labels, NOT_RECORDED], "sg2c"),
        one_column(
            "SG2e",
            "Risk outcome, where a risk was identified and action taken",
            [*RiskOutcome.labels, NOT_RECORDED],
            "sg2e",
        ),
        one_column(
            "SG3a",
            "Did the individual lack capacity to make decisions about the enquiry?",
            [*LacksCapacity.labels, SG3A_SUPPORTED, SG3A_UNSUPPORTED, SG3A_SUPPORT_NOT_RECORDED],
            "sg3a",
            ["Support: an advocate, representative, family member or friend recorded on the enquiry."],
            sections=((SG3A_SUPPORTED, SG3A_SUPPORT_HEADING),),
        ),
        one_column(
            "SG4a",
            "Making Safeguarding Personal: asked about their desired outcomes, and were they achieved?",
            [*OutcomesAsked.labels, *ACHIEVEMENT_LABELS],
            "sg4a",
            [
                "Achievement is the person's view across their outcomes (withdrawn ones left out): Fully "
                "Achieved when every answer is fully, Not Achieved when every answer is not, Partially "
                "Achieved otherwise.",
            ],
            # As the publication: "[x]" for the asked rows when all are 0, and for the three achievement
            # answers (not our "Achievement not recorded") when all are 0.
            blocks=(
                tuple(range(asked)),
                tuple(
                    asked + i
                    for i, label in enumerate(ACHIEVEMENT_LABELS)
                    if label != SG4A_ACHIEVEMENT_NOT_RECORDED
                ),
            ),
            sections=((ACHIEVEMENT_LABELS[0], SG4A_ACHIEVEMENT_HEADING),),
        ),
    ]
