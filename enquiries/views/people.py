from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from msp_cases.audit.selectors import access_events_for_person
from msp_cases.audit.services import access_record

from .. import selectors


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    access_record(request=request, obj=person, detail="Person's record")
    return render(
        request,
        "enquiries/person_detail.html",
        {
            "person": person,
            "enquiries": selectors.person_enquiries(user=request.user, person=person),
            "concerns": selectors.person_concerns(user=request.user, person=person),
        },
    )


@require_GET
def person_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has looked at this person's record: unit staff only, for people they may see."""
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("enquiries.view_access_log", person):
        raise Http404
    access_record(request=request, obj=person, detail="Record of access")
    page = Paginator(access_events_for_person(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "enquiries/person_access_log.html", {"person": person, "page": page})


urlpatterns = [
    path("people/<int:pk>/", person_detail, name="person_detail"),
    path("people/<int:pk>/access/", person_access_log, name="person_access_log"),
]
