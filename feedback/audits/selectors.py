"""Reads for case-file audits, scoped to the user through msp_cases.access: a sampled enquiry the user may no
longer see is neither listed nor opened (404). The enquiry page's panel shows an enquiry's audits to the unit,
to the enquiry's lead practitioner and to the managers of its team, and to no one else."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncQuarter
from django.shortcuts import get_object_or_404

from enquiries.models import Enquiry
from msp_cases import access, oversight
from msp_cases.core.periods import quarter_name
from msp_cases.core.replica import reading_reports

from ..models import AUDIT_CHECKLIST, AuditAnswer, AuditGrade, AuditSample, AuditSampleItem, CaseFileAudit
from .services import may_audit


def current_audits() -> QuerySet[CaseFileAudit]:
    """Audits no revision has replaced: one per sampled enquiry that has been audited."""
    return CaseFileAudit.objects.filter(replaced_by__isnull=True)


def _visible_enquiries(user) -> QuerySet:
    return Enquiry.objects.filter(access.enquiry_scope(user)).values("pk")


def _count(qs: QuerySet, field: str):
    """COUNT(*) of `qs` per `field` as a correlated subquery: counting two relations of a sample with joins
    would multiply their rows (items × audits)."""
    counted = qs.order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sample_list(*, user) -> QuerySet[AuditSample]:
    """Every sample, newest first, with how many of its enquiries the user may see and how many of those have
    a current audit: one query, however many samples."""
    visible = _visible_enquiries(user)
    return AuditSample.objects.select_related("team", "drawn_by").annotate(
        visible_count=_count(
            AuditSampleItem.objects.filter(sample=OuterRef("pk"), enquiry__in=visible), "sample"
        ),
        audited_count=_count(current_audits().filter(sample=OuterRef("pk"), enquiry__in=visible), "sample"),
    )


def sample_get(*, user, pk: int) -> AuditSample:
    return get_object_or_404(AuditSample.objects.select_related("team", "drawn_by"), pk=pk)


@dataclass(frozen=True)
class SampleRow:
    position: int
    enquiry: Enquiry
    audit: CaseFileAudit | None


def sample_rows(*, user, sample: AuditSample) -> tuple[list[SampleRow], int]:
    """The sample's enquiries the user may see, in the order drawn, each with its current audit; and how many
    the user may no longer see (moved out of their scope since, e.g. restricted). Three queries."""
    items = list(
        AuditSampleItem.objects.filter(sample=sample)
        .select_related("enquiry__person", "enquiry__team", "enquiry__lead_practitioner")
        .order_by("position")
    )
    visible = set(
        Enquiry.objects.filter(access.enquiry_scope(user), pk__in=[i.enquiry_id for i in items]).values_list(
            "pk", flat=True
        )
    )
    audits = {a.enquiry_id: a for a in current_audits().filter(sample=sample).select_related("auditor")}
    rows = [
        SampleRow(i.position, i.enquiry, audits.get(i.enquiry_id)) for i in items if i.enquiry_id in visible
    ]
    return rows, len(items) - len(rows)


def sampled_enquiry_get(*, user, sample: AuditSample, pk: int) -> Enquiry:
    """An enquiry of the sample that the user may still see, or 404."""
    qs = Enquiry.objects.filter(pk__in=sample.items.values("enquiry_id")).select_related(
        "person", "team", "lead_practitioner"
    )
    return access.get_in_scope_or_404(qs, user, pk=pk)


def audit_history(*, sample: AuditSample, enquiry: Enquiry) -> list[CaseFileAudit]:
    """Every version of this enquiry's audit in the sample, newest (current) first."""
    return list(
        CaseFileAudit.objects.filter(sample=sample, enquiry=enquiry)
        .select_related("auditor")
        .order_by("-audited_at", "-pk")
    )


def may_see_audit_comments(*, user, enquiry: Enquiry) -> bool:
    """The unit, the lead practitioner, and the managers of the enquiry's team (the enquiry itself must
    already be in the user's scope: the panel sits on the enquiry page, which checks that)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if may_audit(user) or enquiry.lead_practitioner_id == user.pk:
        return True
    return oversight.manages_team_of(user, enquiry)


def enquiry_audits(*, user, enquiry: Enquiry) -> list[CaseFileAudit] | None:
    """The enquiry's current audits (one per sample that drew it), newest first; None when the user may not
    see audit comments on it."""
    if not may_see_audit_comments(user=user, enquiry=enquiry):
        return None
    return list(current_audits().filter(enquiry=enquiry).select_related("auditor", "sample"))


# Results for the reports (msp_cases/reports/views/audits.py) ------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    team: str
    quarter: datetime.date | None  # the first day of the quarter; None for the period's total
    audited: int
    grades: list[tuple[str, int]]  # (grade label, count) best first
    items: list[tuple[str, int | None]]  # (question, % Yes of the answers that applied, None if none applied)

    @property
    def quarter_label(self) -> str:
        if self.quarter is None:
            return "Whole period"
        return quarter_name(self.quarter)


def _percent(yes: int, applicable: int) -> int | None:
    return round(100 * yes / applicable) if applicable else None


def _counts() -> dict:
    counts = {"audited": Count("pk")}
    for grade in AuditGrade:
        counts[f"grade_{grade.value}"] = Count("pk", filter=Q(grade=grade))
    for name, _question in AUDIT_CHECKLIST:
        counts[f"{name}_yes"] = Count("pk", filter=Q(**{name: AuditAnswer.YES}))
        counts[f"{name}_applicable"] = Count("pk", filter=~Q(**{name: AuditAnswer.NOT_APPLICABLE}))
    return counts


def _row(team: str, quarter, values: dict) -> ResultRow:
    return ResultRow(
        team=team,
        quarter=quarter,
        audited=values["audited"],
        grades=[(grade.label, values[f"grade_{grade.value}"]) for grade in AuditGrade],
        items=[
            (question, _percent(values[f"{name}_yes"], values[f"{name}_applicable"]))
            for name, question in AUDIT_CHECKLIST
        ],
    )


@reading_reports()
def audit_results(*, scope) -> list[ResultRow]:
    """Current audits completed in the scope's period of enquiries of the scope's teams, by team and quarter
    of the audit, then one total row: number audited, grades, and % Yes per checklist item of the audits
    where it applied ("Not applicable" left out). Aggregates only (no record is listed), so every audit of
    the teams counts, restricted ones included. One query."""
    audits = current_audits().filter(
        enquiry__team_id__in=scope.team_ids,
        audited_at__gte=scope.start_at,
        audited_at__lt=scope.end_before,
    )
    grouped = list(
        audits.annotate(quarter=TruncQuarter("audited_at"))
        .values("enquiry__team__name", "quarter")
        .annotate(**_counts())
        .order_by("enquiry__team__name", "quarter")
    )
    rows = [_row(values["enquiry__team__name"], values["quarter"].date(), values) for values in grouped]
    if grouped:
        # Every figure is a count, so the period's total is the sum of the rows: no second query.
        total = {key: sum(values[key] for values in grouped) for key in _counts()}
        rows.append(_row("All teams shown", None, total))
    return rows
