"""The MSP measures, My Safeguarding Experience (Part 2) and Timeliness reports: the period form, the figures
(msp_cases.reports.measures), laid out as the PDF lays them out (measures.layout), and CSV/PDF exports
through the one export mechanism (kinds in ../kinds/measures.py). The figures are kept between requests
(msp_cases.reports.cache) and shown "as at" when they were counted; "Recalculate now" (a POST here) counts
them again."""

from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.http import require_http_methods

from ..cache import kept_figures, kept_rendering
from ..measures.layout import sections_for
from .base import freshness, period_from_request, recalculate_requested, recalculated, reports_required
from .msp_drilldown import msp_cell_url

# The figures of each are counted by kind "<key>_measures" (counting.KINDS).
REPORTS = {
    "msp": "Making Safeguarding Personal",
    "experience": "My Safeguarding Experience (Part 2)",
    "timeliness": "Timeliness",
}


def report_page(key: str):
    """The page of report `key`: the form, and the figures of a valid period with their export buttons."""
    title = REPORTS[key]

    @require_http_methods(["GET", "POST"])
    @reports_required
    def page(request):
        scope, form = period_from_request(request)
        recalculate = recalculate_requested(request)
        if scope is None:
            if recalculate:
                return redirect(request.get_full_path())
            return render(request, f"reports/{key}.html", {"title": title, "scope": None, "form": form})
        kept = kept_figures(kind=f"{key}_measures", scope=scope, recalculate=recalculate)
        if recalculate:
            return recalculated(request, kept)
        report = kept.figures
        sections_html = ""
        if report is not None:  # None: being counted for the first time (the page says so)
            sections_html = kept_rendering(
                kept,
                "sections",
                lambda: render_to_string(
                    "reports/_report_sections.html",
                    {
                        "sections": sections_for(key, report),
                        "cell_url": msp_cell_url(scope) if key == "msp" else "",
                    },
                ),
            )
        return render(
            request,
            f"reports/{key}.html",
            {
                "title": title,
                "report": report,
                "scope": scope,
                "form": form,
                "sections_html": sections_html,
                "export_params": scope.params(),
                "csv_kind": f"{key}_measures_csv",
                "pdf_kind": f"{key}_measures_pdf",
                **freshness(request, kept),
            },
        )

    page.__name__ = key
    return page


urlpatterns = [path(f"{key}/", report_page(key), name=key) for key in REPORTS]
