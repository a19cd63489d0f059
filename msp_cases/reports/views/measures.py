"""The MSP measures, My Safeguarding Experience (Part 2) and Timeliness reports: the period form, the figures
(msp_cases.reports.measures), laid out as the PDF lays them out (measures.layout), and CSV/PDF exports
through the one export mechanism (kinds in ../kinds/measures.py)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from ..measures.experience import experience_report
from ..measures.layout import sections_for
from ..measures.msp import msp_report
from ..measures.timeliness import timeliness_report
from .base import period_from_request, reports_required

REPORTS = {
    "msp": (msp_report, "Making Safeguarding Personal"),
    "experience": (experience_report, "My Safeguarding Experience (Part 2)"),
    "timeliness": (timeliness_report, "Timeliness"),
}


def report_page(key: str):
    """The page of report `key`: the form, and the figures of a valid period with their export buttons."""
    compute, title = REPORTS[key]

    @require_GET
    @reports_required
    def page(request):
        scope, form = period_from_request(request)
        if scope is None:
            return render(request, f"reports/{key}.html", {"title": title, "scope": None, "form": form})
        report = compute(scope=scope)
        return render(
            request,
            f"reports/{key}.html",
            {
                "title": title,
                "report": report,
                "scope": scope,
                "form": form,
                "sections": sections_for(key, report),
                "export_params": scope.params(),
                "csv_kind": f"{key}_measures_csv",
                "pdf_kind": f"{key}_measures_pdf",
            },
        )

    page.__name__ = key
    return page


urlpatterns = [path(f"{key}/", report_page(key), name=key) for key in REPORTS]
