from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from msp_cases.audit.services import access_record

from .. import selectors


@require_GET
def enquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = selectors.enquiry_get_for_user(user=request.user, pk=pk)
    access_record(request=request, obj=enquiry, detail="Enquiry")
    return render(request, "enquiries/enquiry_detail.html", {"enquiry": enquiry, "person": enquiry.person})


urlpatterns = [path("enquiries/<int:pk>/", enquiry_detail, name="enquiry_detail")]
