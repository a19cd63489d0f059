from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from msp_cases.accounts.roles import SCREEN_REFERRAL, VIEW_ENQUIRY


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff and not request.user.has_perm(VIEW_ENQUIRY):
        return redirect("admin:index")
    if request.user.has_perm(SCREEN_REFERRAL) and not request.user.has_perm(VIEW_ENQUIRY):
        return redirect("front_door:queue")  # front-door staff: the referrals waiting are their work
    return redirect("enquiries:caseload")
