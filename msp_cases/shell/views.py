from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from msp_cases.accounts.roles import VIEW_ENQUIRY


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff and not request.user.has_perm(VIEW_ENQUIRY):
        return redirect("admin:index")
    return redirect("enquiries:caseload")
