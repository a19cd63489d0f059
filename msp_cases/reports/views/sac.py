"""The SAC return page: the tables for the chosen period and team, optionally with publication disclosure
control (`?suppress=1`), the data-quality list, and buttons asking for the CSV and PDF exports."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from ..sac.data_quality import sac_data_quality
from ..sac.returns import sac_return
from .base import period_from_request, reports_required


@require_GET
@reports_required
def sac(request):
    scope, form = period_from_request(request)
    if scope is None:
        return render(request, "reports/sac.html", {"form": form, "scope": None})
    suppress = request.GET.get("suppress") == "1"
    figures = sac_return(scope=scope)
    query = request.GET.copy()
    query.pop("suppress", None)
    return render(
        request,
        "reports/sac.html",
        {
            "form": form,
            "scope": scope,
            "suppress": suppress,
            "tables": [(table, table.display(suppress=suppress)) for table in figures.tables],
            "quality": sac_data_quality(scope=scope, user=request.user),
            "export_params": {**scope.params(), "suppress": "1" if suppress else ""},
            "query_without_suppress": query.urlencode(),
        },
    )


urlpatterns = [path("sac/", sac, name="sac")]
