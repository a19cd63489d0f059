"""Tracing a figure of the MSP measures: the records counted in one count of the three MSP tables (asked and
achieved, decisions), from the measure's own condition (msp_cases.reports.measures.msp.measure_records), so
the total is the figure. As the SAC return's drill-down (.drilldown): the period and team are the report's (a
team the user may not report on is "Page not found"), a table, row or column without a count is "Page not
found" too, records the user may not open (msp_cases.access) are counted, never named, and the people named
are recorded in their Record of access."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from msp_cases import access
from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor

from ..measures.msp import UnknownCell, measure_records
from ..scope import ReportScope
from .base import period_from_request, reports_required
from .drilldown import PAGE_SIZE, Listed, _position, period_query


def msp_cell_url(scope: ReportScope) -> str:
    """The address of a count's records for `scope`, to which the MSP tables add `&table=…&row=…&column=…`."""
    return f"{reverse('reports:msp_cell')}?{urlencode(period_query(scope))}"


def _listed(kind: str, record) -> Listed:
    person = record.person
    if kind == "enquiry":
        url, reference = record.get_absolute_url(), str(record)
    else:
        url = reverse("enquiries:conversation_detail", args=[record.pk])
        reference = str(record)
    return Listed(
        name=person.display_name,
        url=url,
        reference=reference,
        team=record.counted_team or "",
        counted_on=record.counted_on,
        is_restricted=person.is_restricted,
        person_id=person.pk,
    )


@require_GET
@reports_required
def msp_cell(request):
    scope, form = period_from_request(request)
    table_id = request.GET.get("table", "")
    row, column = _position(request, "row"), _position(request, "column")
    context = {"form": form, "scope": scope, "table_id": table_id, "row_index": row, "column_index": column}
    if scope is None:  # the period asked for is not valid: its errors, no records
        return render(request, "reports/msp_cell.html", context)
    try:
        located = measure_records(scope, table_id, row, column)
    except UnknownCell:
        raise Http404("No such count in the MSP measures") from None
    total = located.records.count()
    visible = access.scoped(located.records, request.user).select_related("person")
    visible_count = visible.count()
    paginator = Paginator(visible.order_by("counted_on", "pk"), PAGE_SIZE)
    paginator.count = visible_count  # counted above: no second count
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = [_listed(located.kind, r) for r in page.object_list]
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[listed.person_id for listed in page.object_list],
        detail=f"Listed as counted in the MSP measures, {located.caption}",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/msp_cell.html",
        {
            **context,
            "located": located,
            "total": total,
            "hidden": total - visible_count,
            "page": page,
            "query_prefix": f"{query.urlencode()}&",
            "report_url": f"{reverse('reports:msp')}?{urlencode(period_query(scope))}#{located.table}",
        },
    )


urlpatterns = [path("msp/cell/", msp_cell, name="msp_cell")]
