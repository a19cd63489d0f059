"""Allocating several waiting concerns and enquiries at once: a manager ticks them on the team dashboard,
chooses the practitioner here and confirms. All or none (enquiries.services.bulk_allocation). Thin: parse the
choice, read it in scope, call one service, back to the dashboard."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor

from ..forms.concern_allocation import BulkAllocateForm
from ..selectors.bulk_allocation import chosen_for_allocation
from ..selectors.dashboard import may_allocate_from_dashboard
from ..services.bulk_allocation import BULK_MAX, BulkAllocationRefused, allocations_bulk, bulk_candidates

NOTHING_CHOSEN = "Select the concerns and enquiries to allocate"


def _ids(values: list[str]) -> list[int]:
    """Record ids from the address or the form; anything else is no record (404), never a server error."""
    if len(values) > BULK_MAX:
        raise Http404
    if not all(v.isascii() and v.isdigit() and len(v) <= 18 for v in values):
        raise Http404
    return [int(v) for v in values]


@require_http_methods(["GET", "POST"])
def bulk_allocate(request: HttpRequest) -> HttpResponse:
    if not may_allocate_from_dashboard(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    concern_ids, enquiry_ids = _ids(data.getlist("concern")), _ids(data.getlist("enquiry"))
    concerns, enquiries = chosen_for_allocation(
        user=request.user, concern_ids=concern_ids, enquiry_ids=enquiry_ids
    )
    team_ids = {c.team_id for c in concerns} | {e.team_id for e in enquiries}
    form = BulkAllocateForm(request.POST or None, candidates=bulk_candidates(team_ids=team_ids))
    problems = [] if concerns or enquiries else [NOTHING_CHOSEN]
    status = 200
    if request.method == "POST" and not problems and form.is_valid():
        practitioner = form.cleaned_data["practitioner"]
        try:
            done = allocations_bulk(
                actor=Actor.from_request(request),
                concern_ids=concern_ids,
                enquiry_ids=enquiry_ids,
                practitioner=practitioner,
            )
        except BulkAllocationRefused as refused:
            problems, status = refused.problems, 409
            # What they are now, with who holds them: the page shows the choice as it stands.
            concerns, enquiries = chosen_for_allocation(
                user=request.user, concern_ids=concern_ids, enquiry_ids=enquiry_ids
            )
        else:
            records = "record" if done.count == 1 else "records"
            messages.success(request, f"{done.count} {records} allocated to {practitioner}")
            return redirect("enquiries:team_dashboard")
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[c.person_id for c in concerns] + [e.person_id for e in enquiries],
        detail="Name shown when allocating from the team dashboard",
    )
    return render(
        request,
        "enquiries/dashboard/bulk_allocate.html",
        {
            "form": form,
            "concerns": concerns,
            "enquiries": enquiries,
            "count": len(concerns) + len(enquiries),
            "problems": problems,
            "cancel_url": reverse("enquiries:team_dashboard"),
        },
        status=status,
    )


urlpatterns = [
    path("team/allocate/", bulk_allocate, name="bulk_allocate"),
]
