"""The SAC return's exports: CSV (one row per cell: table, row, column, value) and PDF (the shared layout).
Rendered by the export task as the requester, over the teams they may see when it runs."""

import csv
import datetime
import io

from msp_cases.exports import registry
from msp_cases.exports.registry import ExportKind

from .common import allowed_for_reports

CSV_HEADER = ("table", "row", "column", "value")


def _parse(params: dict) -> tuple[datetime.date, datetime.date, int | None, bool] | None:
    try:
        start = datetime.date.fromisoformat(params["from"])
        end = datetime.date.fromisoformat(params["to"])
        team = int(params["team"]) if params.get("team") not in (None, "") else None
    except (KeyError, TypeError, ValueError):
        return None
    if end < start or (end - start).days > 366 * 5:
        return None
    return start, end, team, str(params.get("suppress", "")) == "1"


def allowed(user, enquiry, params) -> bool:
    """A well-formed period (and team, if any, one of the user's): anything else is refused ("Page not
    found"), not a server error."""
    return _parse(params) is not None and allowed_for_reports(user, enquiry, params)


def _figures(export):
    from msp_cases.accounts.models import Team

    from ..sac import sac_return
    from ..scope import scope_for

    start, end, team_id, suppress = _parse(export.params)
    team = Team.objects.get(pk=team_id) if team_id is not None else None
    scope = scope_for(user=export.requested_by, start=start, end=end, team=team)
    return sac_return(scope=scope), suppress


def sac_csv(figures, *, suppress: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(figures.rows(suppress=suppress))
    return out.getvalue()


def render_csv(export) -> bytes:
    figures, suppress = _figures(export)
    # With a byte order mark, so spreadsheet programs read the labels' characters as UTF-8.
    return sac_csv(figures, suppress=suppress).encode("utf-8-sig")


def render_pdf(export) -> bytes:
    from msp_cases.exports.pdf import template_to_pdf
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
        allowed=allowed,
        needs_enquiry=False,
        content_type="text/csv",
    )
)
registry.register(
    ExportKind(
        key="sac_return_pdf",
        title="SAC return (PDF)",
        filename="sac-return-{from}-to-{to}.pdf",
        render=render_pdf,
        allowed=allowed,
        needs_enquiry=False,
    )
)
