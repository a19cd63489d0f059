"""Exports of the MSP measures, Experience (Part 2) and Timeliness reports: CSV (one row per cell: table,
row, column, value — the same layout as the SAC return's CSV) and PDF (the shared layout with its
OFFICIAL-SENSITIVE marking). Rendered by the export task as the requester, over the teams they may see when it
runs; the period and team come from the page's form as params `from`, `to`, `team`."""

import io

from msp_cases.exports import registry
from msp_cases.exports.registry import ExportKind
from msp_cases.exports.safe_csv import safe_writer

from .common import allowed_for_reports, scope_from_params

REPORTS = {
    "msp": "Making Safeguarding Personal",
    "experience": "My Safeguarding Experience (Part 2)",
    "timeliness": "Timeliness",
}
FILE_NAMES = {"msp": "msp-measures", "experience": "experience-part-2", "timeliness": "timeliness"}


def report_for(key: str, export):
    from ..measures.experience import experience_report
    from ..measures.msp import msp_report
    from ..measures.timeliness import timeliness_report

    compute = {"msp": msp_report, "experience": experience_report, "timeliness": timeliness_report}[key]
    return compute(scope=scope_from_params(export))


def report_csv(report) -> str:
    out = io.StringIO()
    safe_writer(out, lineterminator="\r\n").writerows(report.csv_rows())
    return out.getvalue()


def _render_csv(key: str):
    def render(export) -> bytes:
        # With a byte order mark, so spreadsheet programs read the labels' characters as UTF-8.
        return report_csv(report_for(key, export)).encode("utf-8-sig")

    return render


def _render_pdf(key: str):
    def render(export) -> bytes:
        from msp_cases.core.pdf import template_to_pdf
        from msp_cases.exports.registry import pdf_context

        from ..measures.layout import sections_for

        report = report_for(key, export)
        return template_to_pdf(
            "reports/pdf/measures.html",
            {"report": report, "sections": sections_for(key, report), **pdf_context(export)},
        )

    return render


for key, title in REPORTS.items():
    registry.register(
        ExportKind(
            key=f"{key}_measures_csv",
            title=f"{title} (CSV)",
            filename=f"{FILE_NAMES[key]}-{{from}}-to-{{to}}.csv",
            render=_render_csv(key),
            allowed=allowed_for_reports,
            needs_enquiry=False,
            content_type="text/csv",
        )
    )
    registry.register(
        ExportKind(
            key=f"{key}_measures_pdf",
            title=f"{title} (PDF)",
            filename=f"{FILE_NAMES[key]}-{{from}}-to-{{to}}.pdf",
            render=_render_pdf(key),
            allowed=allowed_for_reports,
            needs_enquiry=False,
        )
    )
