"""Exports of the case-file audit results (`reports:audits`): CSV (one row per cell: table, row, column,
value — the layout of the SAC return's CSV) and PDF (the shared layout with its OFFICIAL-SENSITIVE marking).
Rendered by the export task as the requester, over the teams they may see when it runs; the period and team
come from the page's form as params `from`, `to`, `team`. The figures are feedback.audits.selectors'
`audit_results`, the same the page shows."""

import io

from msp_cases.exports import registry
from msp_cases.exports.registry import ExportKind
from msp_cases.exports.safe_csv import safe_writer

from .common import allowed_for_reports, scope_from_params

CSV_HEADER = ("table", "row", "column", "value")
GRADES_TABLE = "Audits and grades"
CHECKLIST_TABLE = "Checklist: % answered Yes"


def checklist_columns() -> list[tuple[str, str]]:
    """(column heading, full question) per checklist item, in the checklist's order: the page's headings."""
    from feedback.models import AUDIT_CHECKLIST, AUDIT_CHECKLIST_SHORT

    return [
        (AUDIT_CHECKLIST_SHORT[name][:1].upper() + AUDIT_CHECKLIST_SHORT[name][1:], q)
        for name, q in AUDIT_CHECKLIST
    ]


def row_label(row) -> str:
    """A result row's label in the CSV: its team and quarter ("North Locality, Apr to Jun 2025")."""
    return f"{row.team}, {row.quarter_label}"


def audit_csv_rows(rows):
    """The header, then every cell of both tables: the number audited and each grade's count, then each
    checklist item's % Yes (empty where the item applied to no audit, "–" on the page)."""
    yield CSV_HEADER
    for row in rows:
        label = row_label(row)
        yield GRADES_TABLE, label, "Audited", row.audited
        for grade, count in row.grades:
            yield GRADES_TABLE, label, grade, count
    columns = checklist_columns()
    for row in rows:
        label = row_label(row)
        for (heading, _question), (_q, percent) in zip(columns, row.items, strict=True):
            yield CHECKLIST_TABLE, label, heading, "" if percent is None else percent


def audit_csv(rows) -> str:
    out = io.StringIO()
    safe_writer(out, lineterminator="\r\n").writerows(audit_csv_rows(rows))
    return out.getvalue()


def _results(export):
    from feedback.audits.selectors import audit_results

    scope = scope_from_params(export)
    return scope, audit_results(scope=scope)


def render_csv(export) -> bytes:
    _scope, rows = _results(export)
    # With a byte order mark, so spreadsheet programs read the labels' characters as UTF-8.
    return audit_csv(rows).encode("utf-8-sig")


def render_pdf(export) -> bytes:
    from feedback.models import AuditGrade
    from msp_cases.core.pdf import template_to_pdf
    from msp_cases.exports.registry import pdf_context

    scope, rows = _results(export)
    return template_to_pdf(
        "reports/pdf/audits.html",
        {
            "scope": scope,
            "rows": rows,
            "grades": AuditGrade.labels,
            "questions": checklist_columns(),
            "grades_table": GRADES_TABLE,
            "checklist_table": CHECKLIST_TABLE,
            **pdf_context(export),
        },
    )


registry.register(
    ExportKind(
        key="audit_results_csv",
        title="Case-file audit results (CSV)",
        filename="case-file-audits-{from}-to-{to}.csv",
        render=render_csv,
        allowed=allowed_for_reports,
        needs_enquiry=False,
        content_type="text/csv",
    )
)
registry.register(
    ExportKind(
        key="audit_results_pdf",
        title="Case-file audit results (PDF)",
        filename="case-file-audits-{from}-to-{to}.pdf",
        render=render_pdf,
        allowed=allowed_for_reports,
        needs_enquiry=False,
    )
)
