"""The SAC return page: the tables for the chosen period and team, optionally with publication disclosure
control (`?suppress=1`), the data-quality list, and buttons asking for the CSV and PDF exports. The tables
and the list are kept between requests (msp_cases.reports.cache) and shown "as at" when they were counted;
"Recalculate now" (a POST here) counts them again."""

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.http import require_http_methods

from ..cache import kept_rendering, kept_sac
from ..models import SacSubmission
from ..submissions import may_submit_sac
from .base import freshness, period_from_request, recalculate_requested, recalculated, reports_required
from .drilldown import sac_cell_url


@require_http_methods(["GET", "POST"])
@reports_required
def sac(request):
    scope, form = period_from_request(request)
    recalculate = recalculate_requested(request)
    if scope is None:
        if recalculate:
            return redirect(request.get_full_path())
        return render(request, "reports/sac.html", {"form": form, "scope": None})
    figures, quality = kept_sac(scope=scope, user=request.user, recalculate=recalculate)
    if recalculate:
        return recalculated(request, figures, quality)
    suppress = request.GET.get("suppress") == "1"
    query = request.GET.copy()
    query.pop("suppress", None)
    tables, tables_html = [], ""
    if figures.figures is not None:  # None: being counted for the first time (the page says so)
        tables = [(table, table.display(suppress=suppress)) for table in figures.figures.tables]
        # Each actual figure links to the records it counts (views/drilldown.py). Under disclosure control
        # none does: the list would give away the count the publication hides or rounds.
        cell_url = "" if suppress else sac_cell_url(scope)
        tables_html = kept_rendering(
            figures,
            "suppressed" if suppress else "actual",
            lambda: render_to_string("reports/_sac_tables.html", {"tables": tables, "cell_url": cell_url}),
        )
    return render(
        request,
        "reports/sac.html",
        {
            "form": form,
            "scope": scope,
            "suppress": suppress,
            "tables": tables,
            "tables_html": tables_html,
            "quality": quality.figures,
            "quality_as_at": quality.as_at,
            "quality_recounting": quality.recounting,
            "export_params": {**scope.params(), "suppress": "1" if suppress else ""},
            "query_without_suppress": query.urlencode(),
            "latest_submission": _latest_submission(request.user, scope),
            **freshness(request, figures),
        },
    )


def _latest_submission(user, scope) -> SacSubmission | None:
    """For who marks the council's return submitted: the newest version submitted for this very period, so
    the page says the figures went in (and may have moved since)."""
    if scope.team or not may_submit_sac(user):
        return None
    return (
        SacSubmission.objects.filter(period_start=scope.start, period_end=scope.end, team__isnull=True)
        .select_related("submitted_by")
        .order_by("-version")
        .first()
    )


urlpatterns = [path("sac/", sac, name="sac")]
