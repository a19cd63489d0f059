"""Case-file audit results (`reports:audits`): by team and quarter, the number audited, the grades and the
% Yes per MSP checklist item. Managers see their teams, the unit every team; the figures come from
feedback.audits.selectors, the samples and audits themselves from the unit's audit pages."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from feedback.audits.selectors import audit_results
from feedback.audits.services import may_audit
from feedback.models import AUDIT_CHECKLIST, AUDIT_CHECKLIST_SHORT, AuditGrade

from .base import period_from_request, reports_required


@require_GET
@reports_required
def audits(request):
    scope, form = period_from_request(request)
    return render(
        request,
        "reports/audits.html",
        {
            "scope": scope,
            "form": form,
            "rows": audit_results(scope=scope),
            "grades": AuditGrade.labels,
            "questions": [(AUDIT_CHECKLIST_SHORT[name], question) for name, question in AUDIT_CHECKLIST],
            "may_audit": may_audit(request.user),
        },
    )


urlpatterns = [path("audits/", audits, name="audits")]
