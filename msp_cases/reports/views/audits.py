"""Case-file audit results (`reports:audits`): by team and quarter, the number audited, the grades and the
% Yes per MSP checklist item, and buttons asking for the CSV and PDF exports (msp_cases.reports.kinds.audits).
Managers see their teams, the unit every team; the figures come from feedback.audits.selectors, the samples
and audits themselves from the unit's audit pages."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from feedback.audits.selectors import audit_results
from feedback.audits.services import may_audit
from feedback.models import AuditGrade

from ..kinds.audits import checklist_columns
from .base import period_from_request, reports_required


@require_GET
@reports_required
def audits(request):
    scope, form = period_from_request(request)
    if scope is None:
        return render(request, "reports/audits.html", {"scope": None, "form": form})
    return render(
        request,
        "reports/audits.html",
        {
            "scope": scope,
            "form": form,
            "rows": audit_results(scope=scope),
            "grades": AuditGrade.labels,
            "questions": checklist_columns(),
            "export_params": scope.params(),
            "may_audit": may_audit(request.user),
        },
    )


urlpatterns = [path("audits/", audits, name="audits")]
