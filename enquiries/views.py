from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from msp_cases.audit.selectors import access_events_for_person
from msp_cases.audit.services import access_record

from . import selectors
from .models import Enquiry

PAGE_SIZE = 25

CASELOAD_VIEWS = {
    "mine": "Allocated to me",
    "open": "All open",
    "closed": "Closed",
}


@require_GET
@permission_required("enquiries.view_enquiry", raise_exception=True)
def caseload(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    if show not in CASELOAD_VIEWS:
        # Practitioners land on their own work; managers and unit staff on everything open they can see.
        show = (
            "mine"
            if not request.user.has_perm("enquiries.view_all_cases") and _leads_any(request)
            else "open"
        )
    open_statuses = [s for s in Enquiry.Status.values if s != Enquiry.Status.CLOSED]
    enquiries = selectors.enquiry_list(
        user=request.user,
        statuses=[Enquiry.Status.CLOSED] if show == "closed" else open_statuses,
        mine_only=show == "mine",
    )
    page = Paginator(enquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    concerns = selectors.concern_list(user=request.user, pending_only=True)[:PAGE_SIZE]
    return render(
        request,
        "enquiries/caseload.html",
        {
            "page": page,
            "show": show,
            "views": CASELOAD_VIEWS,
            "concerns": concerns,
            "counts": selectors.caseload_counts(user=request.user),
        },
    )


def _leads_any(request: HttpRequest) -> bool:
    return selectors.enquiry_list(user=request.user, mine_only=True).exists()


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
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_get_for_user(user=request.user, pk=pk)
    access_record(request=request, obj=concern, detail="Safeguarding concern")
    return render(request, "enquiries/concern_detail.html", {"concern": concern, "person": concern.person})


@require_GET
def enquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = selectors.enquiry_get_for_user(user=request.user, pk=pk)
    access_record(request=request, obj=enquiry, detail="Enquiry")
    return render(request, "enquiries/enquiry_detail.html", {"enquiry": enquiry, "person": enquiry.person})


@require_GET
def person_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has looked at this person's record: unit staff only, for people they may see."""
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("enquiries.view_access_log", person):
        raise Http404
    access_record(request=request, obj=person, detail="Record of access")
    page = Paginator(access_events_for_person(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "enquiries/person_access_log.html", {"person": person, "page": page})
