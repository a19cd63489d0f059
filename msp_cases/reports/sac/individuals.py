"""SG1a–SG1f: the individuals involved in concerns and enquiries (each person once per column, counted in
every demographic category at once), and the number of concerns and enquiries."""

from django.db.models import Count, Q, QuerySet

from enquiries.models import Enquiry, Person
from enquiries.models.choices import SG1E_ASPERGERS, SG1E_AUTISM, Ethnicity, Gender, PrimarySupportReason

from ..figures.ages import age_not_recorded_q, aged_q
from ..figures.populations import concerns_received_in, enquiries_started_in
from ..scope import ReportScope
from .tables import SacTable, aggregate

# SG1a: (label, youngest age, oldest age or None). 85+ is derived from the last two.
AGE_BANDS = [("18-64", 18, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85-94", 85, 94), ("95+", 95, None)]
AGE_85_PLUS = "85+"
AGE_NOT_RECORDED = "Age not recorded"

SG1_COLUMNS = (
    "Individuals involved in Safeguarding Concerns",
    "Individuals involved in Section 42 Safeguarding Enquiries",
    "Individuals involved in Other Safeguarding Enquiries",
)
SG1F_ROWS = (
    "Total Number of Safeguarding Concerns",
    "Total Number of Section 42 Safeguarding Enquiries",
    "Total Number of Other Safeguarding Enquiries",
)


def _sg1_populations(scope: ReportScope) -> list[QuerySet]:
    started = enquiries_started_in(scope)
    return [
        concerns_received_in(scope).values("person_id"),
        started.filter(enquiry_type=Enquiry.Type.SECTION_42).values("person_id"),
        started.filter(enquiry_type=Enquiry.Type.OTHER).values("person_id"),
    ]


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
    return [aggregate(Person.objects.filter(pk__in=people), counts) for people in _sg1_populations(scope)]


def sg1_tables(scope: ReportScope) -> list[SacTable]:
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
                "Age on the last day of the period, or at death if the person died on or before it. Each "
                "person is counted once in each column.",
                "85+ is derived: 85-94 plus 95+.",
                "Age not recorded: no date of birth, or under 18 on the last day of the period or at death.",
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


def sg1f(scope: ReportScope) -> SacTable:
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
