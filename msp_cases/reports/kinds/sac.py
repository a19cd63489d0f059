"""The SAC return's exports: CSV (one row per cell: table, row, column, value) and PDF (the shared layout).
Rendered by the export task as the requester, over the teams they may see when it runs."""

import io

from msp_cases.exports import registry
from msp_cases.exports.registry import ExportKind
from msp_cases.exports.safe_csv import safe_writer

from .common import allowed_for_reports, scope_from_params

CSV_HEADER = ("table", "row", "column", "value")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _figures(export):
    from ..sac.returns import sac_return

    suppress = str(export.params.get("suppress", "")) == "1"
    return sac_return(scope=scope_from_params(export)), suppress


def sac_csv(figures, *, suppress: bool) -> str:
    out = io.StringIO()
    writer = safe_writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(figures.rows(suppress=suppress))
    return out.getvalue()


def render_csv(export) -> bytes:
    figures, suppress = _figures(export)
    # With a byte order mark, so spreadsheet programs read the labels' characters as UTF-8.
    return sac_csv(figures, suppress=suppress).encode("utf-8-sig")


def render_pdf(export) -> bytes:
    from msp_cases.core.pdf import template_to_pdf
    from msp_cases.exports.registry import pdf_context

    figures, suppress = _figures(export)
    return template_to_pdf(
        "reports/pdf/sac.html",
        {
            "scope": figures.scope,
            "suppress": suppress,
            "tables": [(table, table.display(suppress=suppress)) for table in figures.tables],
            **pdf_context(export),
        },
    )


registry.register(
    ExportKind(
        key="sac_return_csv",
        title="SAC return (CSV)",
        filename="sac-return-{from}-to-{to}.csv",
        render=render_csv,
        allowed=allowed_for_reports,
        needs_enquiry=False,
        content_type="text/csv",
    )
)


def render_xlsx(export) -> bytes:
    from django.conf import settings

    from ..sac.workbook import sac_workbook

    figures, suppress = _figures(export)
    return sac_workbook(figures, council=settings.ORGANISATION_NAME, suppress=suppress)


registry.register(
    ExportKind(
        key="sac_return_xlsx",
        title="SAC return (workbook)",
        filename="sac-return-{from}-to-{to}.xlsx",
        render=render_xlsx,
        allowed=allowed_for_reports,
        needs_enquiry=False,
        content_type=XLSX,
    )
)
registry.register(
    ExportKind(
        key="sac_return_pdf",
        title="SAC return (PDF)",
        filename="sac-return-{from}-to-{to}.pdf",
        render=render_pdf,
        allowed=allowed_for_reports,
        needs_enquiry=False,
    )
)
