"""Tracing a figure: the records counted in one cell of the SAC return, from the cell's own definition
(msp_cases.reports.sac.cells), so the total is the cell. The period and team are the return's (the report
scope: a team the user may not report on is "Page not found"); a table, row or column the return does not
have is "Page not found" too. Records the user may not open (msp_cases.access: another team's, restricted)
are counted, never named. The names listed are recorded in each person's Record of access."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from msp_cases import access
from msp_cases.accounts.roles import KEEP_REVIEWS
from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor
from msp_cases.reviews.models import SafeguardingAdultsReview

from ..sac.cells import UnknownCell, records_of
from ..sac.listing import cell_at, dated
from ..sac.populations import CONCERN, ENQUIRY, PERSON, REVIEW, REVIEW_INDIVIDUAL
from ..scope import ReportScope
from .base import period_from_request, reports_required

PAGE_SIZE = 50


def period_query(scope: ReportScope) -> dict[str, str]:
    """The period form's fields (..forms.ReportPeriodForm) for `scope`: a report's address for the period."""

    def day(prefix: str, value: datetime.date) -> dict[str, str]:
        return {
            f"{prefix}_0": str(value.day),
            f"{prefix}_1": str(value.month),
            f"{prefix}_2": str(value.year),
        }

    return {
        **day("start", scope.start),
        **day("end", scope.end),
        "team": str(scope.team.pk) if scope.team else "",
    }


def sac_cell_url(scope: ReportScope) -> str:
    """The address of a cell's records for `scope`, to which the SAC tables add `&table=…&row=…&column=…`."""
    return f"{reverse('reports:sac_cell')}?{urlencode(period_query(scope))}"


@dataclass(frozen=True)
class Listed:
    """A record as the list shows it: its name (the person's, or a review's), a link to it where the user
    may open it, what it is, whose and when it was counted; `person_id` for the Record of access when a
    person is named."""

    name: str
    url: str
    reference: str
    team: str
    counted_on: datetime.date | datetime.datetime | None
    is_restricted: bool = False
    person_id: int | None = None


def _listed(kind: str, record, *, keeps_reviews: bool) -> Listed:
    when = {"team": record.counted_team or "", "counted_on": record.counted_on}
    if kind == REVIEW:
        url = record.get_absolute_url() if keeps_reviews else ""
        return Listed(name=record.name, url=url, reference=f"Review {record.pk}", **when)
    if kind == REVIEW_INDIVIDUAL:  # described, never named: the review's register says who they are
        url = record.review.get_absolute_url() if keeps_reviews else ""
        return Listed(name=str(record), url=url, reference=f"Review {record.review_id}", **when)
    person = record if kind == PERSON else record.person
    return Listed(
        name=person.display_name,
        url=record.get_absolute_url(),
        reference=f"Person {record.pk}" if kind == PERSON else str(record),
        is_restricted=person.is_restricted,
        person_id=person.pk,
        **when,
    )


def _visible(kind: str, records: QuerySet, user) -> QuerySet:
    """The records `user` may open (msp_cases.access): an individual of a review through their review."""
    if kind == REVIEW_INDIVIDUAL:
        reviews = access.scoped(SafeguardingAdultsReview.objects.all(), user).values("pk")
        return records.filter(review__in=reviews).select_related("review")
    visible = access.scoped(records, user)
    return visible.select_related("person") if kind in (CONCERN, ENQUIRY) else visible


def _position(request, name: str) -> int:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        raise Http404(f"No {name} {request.GET.get(name)!r}") from None


@require_GET
@reports_required
def sac_cell(request):
    scope, form = period_from_request(request)
    table_id = request.GET.get("table", "")
    row, column = _position(request, "row"), _position(request, "column")
    context = {"form": form, "scope": scope, "table_id": table_id, "row_index": row, "column_index": column}
    if scope is None:  # the period asked for is not valid: its errors, no records
        return render(request, "reports/sac_cell.html", context)
    try:
        located = cell_at(scope, table_id, row, column)
    except UnknownCell:
        raise Http404("No such cell in the SAC return") from None
    records = records_of(scope, located.cell)
    total = records.count()
    visible = _visible(located.kind, records, request.user)
    visible_count = visible.count()
    ordered = dated(scope, located.cell, visible).order_by("counted_on", "pk")
    paginator = Paginator(ordered, PAGE_SIZE)
    paginator.count = visible_count  # counted above: no second count
    page = paginator.get_page(request.GET.get("page"))
    keeps_reviews = request.user.has_perm(KEEP_REVIEWS)
    page.object_list = [_listed(located.kind, r, keeps_reviews=keeps_reviews) for r in page.object_list]
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[listed.person_id for listed in page.object_list],
        detail=f"Listed as counted in the SAC return, {located.table.id}",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/sac_cell.html",
        {
            **context,
            "located": located,
            "total": total,
            "hidden": total - visible_count,
            "page": page,
            "query_prefix": f"{query.urlencode()}&",
            "sac_url": f"{reverse('reports:sac')}?{urlencode(period_query(scope))}#{located.table.id}",
        },
    )


urlpatterns = [path("sac/cell/", sac_cell, name="sac_cell")]
