"""The MSP measures, My Safeguarding Experience (Part 2) and Timeliness reports: the period form, the figures
(msp_cases.reports.measures), a chart where a picture helps with its figures beside it, and CSV/PDF exports
through the one export mechanism (kinds in ../kinds/measures.py)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import measures
from ..charts import chart_from_table
from .base import period_from_request, reports_required


def sections_for(key: str, report: measures.Report) -> list[dict]:
    """What the page shows, in order: a heading, a chart (optional) and the tables of its figures."""
    t = report.tables
    if key == "msp":
        return [
            {
                "heading": "Desired outcomes",
                "chart": chart_from_table(
                    id="chart-msp-summary",
                    title="Making Safeguarding Personal: outcomes, all quarters (percentages)",
                    table=t["msp_summary"],
                    column=1,
                    maximum=100,
                ),
                "tables": [t["msp_summary"]],
            },
            {
                "heading": "Asked about outcomes, by quarter",
                "chart": chart_from_table(
                    id="chart-msp-asked",
                    title="Percentage asked about their outcomes, by quarter",
                    table=t["msp_asked_by_quarter"],
                    column=2,
                    maximum=100,
                ),
                "tables": [t["msp_asked_by_quarter"], t["msp_asked_by_team"]],
            },
            {
                "heading": "Outcomes achieved, by quarter",
                "chart": chart_from_table(
                    id="chart-msp-fully",
                    title="Percentage whose outcomes were fully achieved, by quarter",
                    table=t["msp_achieved_by_quarter"],
                    column=2,
                    maximum=100,
                ),
                "tables": [t["msp_achieved_by_quarter"], t["msp_achieved_by_team"]],
            },
            {
                "heading": "Decisions made by or with the person",
                "chart": chart_from_table(
                    id="chart-msp-decisions",
                    title="Percentage of decisions made by or with the person, by quarter",
                    table=t["msp_decisions_by_quarter"],
                    column=3,
                    maximum=100,
                ),
                "tables": [t["msp_decisions_by_quarter"], t["msp_decisions_by_team"]],
            },
        ]
    if key == "experience":
        return [
            {
                "heading": "How people felt",
                "chart": chart_from_table(
                    id="chart-experience-answers",
                    title="People who felt listened to, informed, safer and happy with how their concerns "
                    "were dealt with (yes, completely or partly; percentages)",
                    table=t["experience_answers"],
                    column=len(t["experience_answers"].columns) - 1,
                    maximum=100,
                ),
                "tables": [t["experience_answers"], t["experience_feelings_by_quarter"]],
            },
            {
                "heading": "Response rate",
                "chart": chart_from_table(
                    id="chart-experience-response",
                    title="Part 2 response rate, by quarter (percentages)",
                    table=t["experience_response_by_quarter"],
                    column=3,
                    maximum=100,
                ),
                "tables": [t["experience_response_by_quarter"]],
            },
            {
                "heading": "Reasons for not approaching",
                "chart": None,
                "tables": [t["experience_not_approached"]],
            },
        ]
    return [
        {
            "heading": "Concern to decision",
            "chart": chart_from_table(
                id="chart-timeliness-decision",
                title="Concerns decided within the timescale, by quarter (percentages)",
                table=t["timeliness_concern_to_decision"],
                column=4,
                maximum=100,
            ),
            "tables": [t["timeliness_concern_to_decision"]],
        },
        {
            "heading": "How long enquiries were open",
            "chart": chart_from_table(
                id="chart-timeliness-duration",
                title="Enquiries closed in the period, by how long they were open (number of enquiries)",
                table=t["timeliness_enquiry_duration"],
                column=2,
            ),
            "tables": [t["timeliness_enquiry_duration"]],
        },
        {
            "heading": "Drift",
            "chart": chart_from_table(
                id="chart-timeliness-drift",
                title="Drift reminders raised in the period, by rule (number of reminders)",
                table=t["timeliness_drift"],
                column=0,
            ),
            "tables": [t["timeliness_drift"]],
        },
    ]


REPORTS = {
    "msp": (measures.msp_report, "Making Safeguarding Personal"),
    "experience": (measures.experience_report, "My Safeguarding Experience (Part 2)"),
    "timeliness": (measures.timeliness_report, "Timeliness"),
}


def _page(request, key: str):
    scope, form = period_from_request(request)
    compute, title = REPORTS[key]
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


@require_GET
@reports_required
def msp(request):
    return _page(request, "msp")


@require_GET
@reports_required
def experience(request):
    return _page(request, "experience")


@require_GET
@reports_required
def timeliness(request):
    return _page(request, "timeliness")


urlpatterns = [
    path("msp/", msp, name="msp"),
    path("experience/", experience, name="experience"),
    path("timeliness/", timeliness, name="timeliness"),
]
