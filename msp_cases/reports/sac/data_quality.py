"""The SAC data-quality list: the records that count as "Not recorded" / "Not Known" in the return, so they
can be fixed before it is sent. It names records, so it goes through msp_cases.access."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from enquiries.models import Person
from enquiries.models.choices import Ethnicity, Gender, PrimarySupportReason
from enquiries.services.completeness import sac_rules
from msp_cases import access

from ..figures.ages import age_not_recorded_q
from ..figures.populations import concerns_received_in, concluded_s42_in, enquiries_started_in
from ..scope import ReportScope

DATA_QUALITY_LIMIT = 100


@dataclass(frozen=True)
class DataQualityItem:
    obj: object  # a Person or an Enquiry
    problems: tuple[str, ...]


@dataclass(frozen=True)
class DataQuality:
    """At most `limit` records of each kind, and whether there were more when the list was found. The list
    is a work queue, not a figure: the SAC tables above it count every "Not recorded" / "Not Known", and an
    exact total of the records to check would cost a second pass over the year (at 1,000,000 concerns a
    count of the unit's people took as long as finding them)."""

    people: list[DataQualityItem]
    people_more: bool
    enquiries: list[DataQualityItem]
    enquiries_more: bool
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


def _flagged(queryset: QuerySet, problems: list[tuple[str, Q]], limit: int) -> tuple[list, bool]:
    """The first `limit` records with any problem, each with its problems (annotated, so no query per row),
    and whether there are more: one query, which reads one row beyond the limit instead of counting them
    all."""
    items = _items(queryset.filter(_any(problems)), problems, limit + 1)
    return items[:limit], len(items) > limit


def _any(problems: list[tuple[str, Q]]) -> Q:
    any_problem = Q()
    for _, q in problems:
        any_problem |= q
    return any_problem


def _items(flagged: QuerySet, problems: list[tuple[str, Q]], limit: int) -> list[DataQualityItem]:
    annotated = flagged.annotate(
        **{f"dq_{i}": ExpressionWrapper(q, output_field=BooleanField()) for i, (_, q) in enumerate(problems)}
    ).order_by("pk")[:limit]
    return [
        DataQualityItem(
            obj=obj, problems=tuple(label for i, (label, _) in enumerate(problems) if getattr(obj, f"dq_{i}"))
        )
        for obj in annotated
    ]


def sac_data_quality(*, scope: ReportScope, user, limit: int = DATA_QUALITY_LIMIT) -> DataQuality:
    """The records that count as "Not recorded" / "Not Known" in the return, so they can be fixed before it is
    sent: the people in SG1 and the concluded section 42 enquiries of SG2–SG4, only those `user` may open
    (msp_cases.access), at most `limit` of each, and whether there are more. Two queries.

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
    people_items, people_more = _flagged(people, _person_problems(scope.end), limit)
    enquiry_items, enquiries_more = _flagged(enquiries, _enquiry_problems(), limit)
    return DataQuality(
        people=people_items,
        people_more=people_more,
        enquiries=enquiry_items,
        enquiries_more=enquiries_more,
        limit=limit,
    )


def sac_data_quality_listed(
    *, scope: ReportScope, user, person_ids: list[int], enquiry_ids: list[int]
) -> tuple[list[DataQualityItem], list[DataQualityItem]]:
    """The records a data-quality list found earlier, by id, as they are now: only those `user` may still
    open, each with the problems it still has (one fixed since drops out). Two queries, by primary key:
    the report cache (msp_cases.reports.cache) keeps the ids, never the records."""
    person_problems, enquiry_problems = _person_problems(scope.end), _enquiry_problems()
    people = access.scoped(Person.objects.filter(pk__in=person_ids), user).filter(_any(person_problems))
    enquiries = (
        access.scoped(concluded_s42_in(scope).filter(pk__in=enquiry_ids), user)
        .filter(_any(enquiry_problems))
        .select_related("person")
    )
    return (
        _items(people, person_problems, len(person_ids)),
        _items(enquiries, enquiry_problems, len(enquiry_ids)),
    )
