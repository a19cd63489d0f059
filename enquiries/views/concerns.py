from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from msp_cases.audit.services import access_record

from .. import selectors


@require_GET
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    access_record(request=request, obj=concern, detail="Safeguarding concern")
    return render(request, "enquiries/concern_detail.html", {"concern": concern, "person": concern.person})


urlpatterns = [path("concerns/<int:pk>/", concern_detail, name="concern_detail")]
