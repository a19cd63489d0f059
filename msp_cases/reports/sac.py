"""The Safeguarding Adults Collection (SAC): the statutory return, computed from the records.

Labels are verbatim from `enquiries.models.choices` (NHS Digital's publication code); the counting rules are
those of docs/sac.md, which also says what the product decided where the guidance is silent:

- SG1a–SG1e count *individuals* (each person once per column): people with a concern received in the period,
  with a section 42 enquiry started (opened) in the period, with another enquiry started in the period. Age is
  taken on the last day of the period (no date of death is recorded, so never "at death"). A person with no
  date of birth, or under 18 on that day (a recording error in an adult service), is in "Not recorded".
- SG1f counts cases: concerns received, section 42 and other enquiries started in the period.
- SG2–SG4 count section 42 enquiries concluded in the period: closed (signed off) with `closed_at` in the
  period. An enquiry counts once in every category that applies (two types of risk: both rows), so columns
  need not add up to the number of enquiries. Missing answers count in "Not recorded" rows and columns.
- SG4a achievement, of those who expressed outcomes, is one answer per enquiry from the person's view on each
  of their active (not withdrawn) desired outcomes (.figures.achievement, which the MSP measures use too).
- The populations (concerns received, enquiries started, section 42 enquiries concluded) and ages are
  .figures' own, shared with the other reports.

Everything is a handful of aggregate queries (conditional counts and one GROUP BY), never a loop over
enquiries: the cost does not grow with the number of rows Python sees. Figures count every record of the
teams in scope, restricted ones included (a count says nothing about a person); the data-quality list, which
names records, goes through msp_cases.access. Its enquiry checks are the closure gate's SAC rules
(enquiries.services.completeness), so an enquiry signed off through the gate is never on it."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from enquiries.models import Enquiry, Person
from enquiries.models.choices import (
    SG1E_ASPERGERS,
    SG1E_AUTISM,
    ActionResult,
    CapacitySupport,
    Ethnicity,
    Gender,
    LacksCapacity,
    OutcomesAsked,
    PrimarySupportReason,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
)
from enquiries.services.completeness import sac_rules
from msp_cases import access

from .figures.achievement import ACHIEVEMENT_RULES, answer_counts
from .figures.ages import age_not_recorded_q, aged_q
from .figures.populations import concerns_received_in, concluded_s42_in, enquiries_started_in
from .scope import ReportScope

NOT_RECORDED = "Not recorded"
TOTAL = "Total"

# SG1a: (label, youngest age, oldest age or None). 85+ is derived from the last two.
AGE_BANDS = [("18-64", 18, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85-94", 85, 94), ("95+", 95, None)]
AGE_85_PLUS = "85+"
AGE_NOT_RECORDED = "Age not recorded"

SG1_COLUMNS = (
    "Individuals involved in Safeguarding Concerns",
    "Individuals involved in Section 42 Safeguarding Enquiries",
    "Individuals involved in Other Safeguarding Enquiries",
)
CONCLUDED = "Concluded Section 42 Safeguarding Enquiries"
SUPPORTED = (
    CapacitySupport.ADVOCATE,
    CapacitySupport.REPRESENTATIVE,
    CapacitySupport.FAMILY,
    CapacitySupport.FRIEND,
)
SG3A_SUPPORTED = "Of which (Yes): support provided by an advocate, family or friend"
SG3A_UNSUPPORTED = "Of which (Yes): no support provided"
SG3A_SUPPORT_NOT_RECORDED = "Of which (Yes): support not recorded"
SG4A_EXPRESSED_PREFIX = "Of those expressed: "
SG1F_ROWS = (
    "Total Number of Safeguarding Concerns",
    "Total Number of Section 42 Safeguarding Enquiries",
    "Total Number of Other Safeguarding Enquiries",
)


@dataclass(frozen=True)
class SacTable:
    id: str
    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]  # cells[row][column]
    notes: tuple[str, ...] = ()

    def cell(self, row: str, column: str) -> int:
        return self.cells[self.rows.index(row)][self.columns.index(column)]

    def flat(self):
        """(row label, column label, value) for every cell, in reading order."""
        for row, values in zip(self.rows, self.cells, strict=True):
            for column, value in zip(self.columns, values, strict=True):
                yield row, column, value

    def display(self, *, suppress: bool = False) -> list[tuple[str, list[str]]]:
        return [
            (row, [shown(v, suppress=suppress) for v in values])
            for row, values in zip(self.rows, self.cells, strict=True)
        ]


@dataclass(frozen=True)
class SacReturn:
    scope: ReportScope
    tables: tuple[SacTable, ...] = field(default_factory=tuple)

    def table(self, table_id: str) -> SacTable:
        return next(t for t in self.tables if t.id == table_id)

    def rows(self, *, suppress: bool = False):
        """One row per cell, as the CSV and the JSON give them: (table, row, column, value shown)."""
        for table in self.tables:
            for row, column, value in table.flat():
                yield table.id, row, column, shown(value, suppress=suppress)

    def as_dict(self, *, suppress: bool = False) -> dict:
        return {
            "period": {"from": self.scope.start.isoformat(), "to": self.scope.end.isoformat()},
            "team": self.scope.team.name if self.scope.team else None,
            "suppressed": suppress,
            "tables": [
                {
                    "id": t.id,
                    "title": t.title,
                    "rows": list(t.rows),
                    "columns": list(t.columns),
                    "cells": [[shown(v, suppress=suppress) if suppress else v for v in r] for r in t.cells],
                    "notes": list(t.notes),
                }
                for t in self.tables
            ],
        }


def shown(value: int, *, suppress: bool = False) -> str | int:
    """Publication disclosure control: 1 to 4 is "[c]", other counts to the nearest 5 (halves up: 3 → 5,
    7 → 5, 8 → 10). A zero stays 0: it says nothing about any one person, and "[c]" for it would hide that a
    category is empty. Without suppression, the count itself."""
    if not suppress:
        return value
    if 0 < value < 5:
        return "[c]"
    return (value + 2) // 5 * 5


# ---------------------------------------------------------------------------------------------- populations


def _sg1_populations(scope: ReportScope) -> list[QuerySet]:
    started = enquiries_started_in(scope)
    return [
        concerns_received_in(scope).values("person_id"),
        started.filter(enquiry_type=Enquiry.Type.SECTION_42).values("person_id"),
        started.filter(enquiry_type=Enquiry.Type.OTHER).values("person_id"),
    ]


# ---------------------------------------------------------------------------------------------- SG1


def _aggregate(queryset: QuerySet, counts: dict) -> dict:
    """`queryset.aggregate(**counts)` for keys that are labels (SQL aliases may not contain spaces)."""
    aliases = {f"n{i}": key for i, key in enumerate(counts)}
    result = queryset.aggregate(**{alias: counts[key] for alias, key in aliases.items()})
    return {key: result[alias] for alias, key in aliases.items()}


def _sg1_counts(scope: ReportScope) -> list[dict]:
    """One query per column: each person in it once, counted in every demographic category at once."""
    end = scope.end
    counts = {}
    for label, youngest, oldest in AGE_BANDS:
        counts[f"age:{label}"] = Count("pk", filter=aged_q(end, youngest, oldest))
    counts["age:none"] = Count("pk", filter=age_not_recorded_q(end))
    for choices, name in (
        (Gender, "gender"),
        (Ethnicity, "ethnicity"),
        (PrimarySupportReason, "primary_support_reason"),
    ):
        for value in choices.values:
            counts[f"{name}:{value}"] = Count("pk", filter=Q(**{name: value}))
    counts["autism"] = Count("pk", filter=Q(has_autism=True))
    counts["aspergers"] = Count("pk", filter=Q(has_aspergers=True))
    return [_aggregate(Person.objects.filter(pk__in=people), counts) for people in _sg1_populations(scope)]


def _sg1_tables(scope: ReportScope) -> list[SacTable]:
    columns = _sg1_counts(scope)

    def table(table_id, title, rows, keys, notes=()):
        return SacTable(
            id=table_id,
            title=title,
            rows=tuple(rows),
            columns=SG1_COLUMNS,
            cells=tuple(tuple(key(c) for c in columns) for key in keys),
            notes=tuple(notes),
        )

    age_keys = [lambda c, b=b: c[f"age:{b}"] for b, _, _ in AGE_BANDS]
    age_keys.append(lambda c: c["age:85-94"] + c["age:95+"])
    age_keys.append(lambda c: c["age:none"])
    return [
        table(
            "SG1a",
            "Individuals by age",
            [b for b, _, _ in AGE_BANDS] + [AGE_85_PLUS, AGE_NOT_RECORDED],
            age_keys,
            [
                "Age on the last day of the period. Each person is counted once in each column.",
                "85+ is derived: 85-94 plus 95+.",
                "Age not recorded: no date of birth, or under 18 on the last day of the period.",
            ],
        ),
        table(
            "SG1b",
            "Individuals by gender",
            Gender.labels,
            [lambda c, v=v: c[f"gender:{v}"] for v in Gender.values],
        ),
        table(
            "SG1c",
            "Individuals by ethnicity",
            Ethnicity.labels,
            [lambda c, v=v: c[f"ethnicity:{v}"] for v in Ethnicity.values],
        ),
        table(
            "SG1d",
            "Individuals by primary support reason",
            PrimarySupportReason.labels,
            [lambda c, v=v: c[f"primary_support_reason:{v}"] for v in PrimarySupportReason.values],
        ),
        table(
            "SG1e",
            "Individuals with autism or Asperger's syndrome",
            [SG1E_AUTISM, SG1E_ASPERGERS],
            [lambda c: c["autism"], lambda c: c["aspergers"]],
            ["A person may be counted in both rows."],
        ),
    ]


def _sg1f(scope: ReportScope) -> SacTable:
    concerns = concerns_received_in(scope).count()
    started = enquiries_started_in(scope).aggregate(
        s42=Count("pk", filter=Q(enquiry_type=Enquiry.Type.SECTION_42)),
        other=Count("pk", filter=Q(enquiry_type=Enquiry.Type.OTHER)),
    )
    return SacTable(
        id="SG1f",
        title="Safeguarding concerns and enquiries",
        rows=SG1F_ROWS,
        columns=("Number of cases",),
        cells=((concerns,), (started["s42"],), (started["other"],)),
        notes=("Concerns received in the period; enquiries started (opened) in the period.",),
    )


# ---------------------------------------------------------------------------------------------- SG2–SG4


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
    return _aggregate(concluded_s42_in(scope), counts)


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


# SG4a's achievement rows, in the rule's order (.figures.achievement): the answer's label, or "Not recorded".
ACHIEVEMENT_LABELS = tuple(achieved.label if achieved else NOT_RECORDED for achieved, _ in ACHIEVEMENT_RULES)


def _achievement_counts(scope: ReportScope) -> dict[str, int]:
    """Of the concluded enquiries where outcomes were expressed, how many in each SG4a achievement row: one
    query (each enquiry's answers counted, then the enquiries counted by rule)."""
    per_enquiry = (
        concluded_s42_in(scope)
        .filter(outcomes_asked=OutcomesAsked.ASKED_EXPRESSED)
        .annotate(**answer_counts())
    )
    return _aggregate(
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


def _sg2_to_sg4(scope: ReportScope) -> list[SacTable]:
    counts = _enquiry_counts(scope)
    for label, n in _achievement_counts(scope).items():
        counts[f"sg4a|{SG4A_EXPRESSED_PREFIX}{label}"] = n
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

    def one_column(table_id, title, labels, prefix, notes=()):
        return SacTable(
            id=table_id,
            title=title,
            rows=tuple(labels),
            columns=(CONCLUDED,),
            cells=tuple((counts[f"{prefix}|{label}"],) for label in labels),
            notes=tuple(notes),
        )

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
        ),
        one_column(
            "SG4a",
            "Making Safeguarding Personal: asked about their desired outcomes, and were they achieved?",
            [
                *OutcomesAsked.labels,
                *(f"{SG4A_EXPRESSED_PREFIX}{label}" for label in ACHIEVEMENT_LABELS),
            ],
            "sg4a",
            [
                "Achievement is the person's view across their outcomes (withdrawn ones left out): Fully "
                "Achieved when every answer is fully, Not Achieved when every answer is not, Partially "
                "Achieved otherwise.",
            ],
        ),
    ]


def sac_return(*, scope: ReportScope) -> SacReturn:
    """The SAC tables for `scope`'s period and teams (nine queries, whatever the number of records)."""
    return SacReturn(scope=scope, tables=(*_sg1_tables(scope), _sg1f(scope), *_sg2_to_sg4(scope)))


# ---------------------------------------------------------------------------------------------- data quality

DATA_QUALITY_LIMIT = 100


@dataclass(frozen=True)
class DataQualityItem:
    obj: object  # a Person or an Enquiry
    problems: tuple[str, ...]


@dataclass(frozen=True)
class DataQuality:
    people: list[DataQualityItem]
    people_total: int
    enquiries: list[DataQualityItem]
    enquiries_total: int
    limit: int


def _person_problems(end: datetime.date) -> list[tuple[str, Q]]:
    return [
        ("SG1a: date of birth not recorded (or under 18)", age_not_recorded_q(end)),
        ("SG1b: gender Not Known", Q(gender=Gender.NOT_KNOWN)),
        ("SG1c: ethnicity Undeclared / Not Known", Q(ethnicity=Ethnicity.NOT_KNOWN)),
        ("SG1d: primary support reason Not Known", Q(primary_support_reason=PrimarySupportReason.NOT_KNOWN)),
    ]


def _enquiry_problems() -> list[tuple[str, Q]]:
    """The SAC rules the closure gate applies (enquiries.services.completeness), as conditions on rows: the
    same rules, so an enquiry signed off through the gate is never listed here."""
    return [(rule.label, rule.missing_q()) for rule in sac_rules()]


def _flagged(queryset: QuerySet, problems: list[tuple[str, Q]], limit: int) -> tuple[list, int]:
    """The first `limit` records with any problem, each with its problems (annotated, so no query per row),
    and how many there are in all: two queries."""
    from django.db.models import BooleanField, ExpressionWrapper

    any_problem = Q()
    for _, q in problems:
        any_problem |= q
    flagged = queryset.filter(any_problem)
    annotated = flagged.annotate(
        **{f"dq_{i}": ExpressionWrapper(q, output_field=BooleanField()) for i, (_, q) in enumerate(problems)}
    ).order_by("pk")[:limit]
    items = [
        DataQualityItem(
            obj=obj, problems=tuple(label for i, (label, _) in enumerate(problems) if getattr(obj, f"dq_{i}"))
        )
        for obj in annotated
    ]
    return items, flagged.count()


def sac_data_quality(*, scope: ReportScope, user, limit: int = DATA_QUALITY_LIMIT) -> DataQuality:
    """The records that count as "Not recorded" / "Not Known" in the return, so they can be fixed before it is
    sent: the people in SG1 and the concluded section 42 enquiries of SG2–SG4, only those `user` may open
    (msp_cases.access), at most `limit` of each with the total. Four queries.

    The enquiries are checked against the SAC rules of the closure gate (`_enquiry_problems`), so only a
    concluded enquiry that did not pass through the gate (imported, or closed before a rule existed) is
    listed."""
    # One UNION of the SG1 populations: PostgreSQL plans it as a semi-join ahead of the access rule's
    # subqueries (about 10x faster at 100,000 concerns than OR-ing three IN lists).
    in_sg1 = (
        concerns_received_in(scope)
        .order_by()
        .values("person_id")
        .union(enquiries_started_in(scope).order_by().values("person_id"))
    )
    people = access.scoped(Person.objects.filter(pk__in=in_sg1), user)
    enquiries = access.scoped(concluded_s42_in(scope), user).select_related("person")
    people_items, people_total = _flagged(people, _person_problems(scope.end), limit)
    enquiry_items, enquiries_total = _flagged(enquiries, _enquiry_problems(), limit)
    return DataQuality(
        people=people_items,
        people_total=people_total,
        enquiries=enquiry_items,
        enquiries_total=enquiries_total,
        limit=limit,
    )
