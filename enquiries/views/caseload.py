from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from msp_cases.accounts.roles import VIEW_ALL_CASES, VIEW_ENQUIRY
from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor

from .. import selectors
from ..models import Enquiry
from ..selectors.caseload import CASELOAD_SORTS, caseload_enquiries
from .base import may_record_concerns

PAGE_SIZE = 25

CASELOAD_VIEWS = {
    "mine": "Allocated to me",
    "open": "All open",
    "closed": "Closed",
}


@require_GET
@permission_required(VIEW_ENQUIRY, raise_exception=True)
def caseload(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    if show not in CASELOAD_VIEWS:
        # Practitioners land on their own work; managers and unit staff on everything open they can see.
        leads_any = selectors.enquiry_list(user=request.user, mine_only=True).exists()
        show = "mine" if leads_any and not request.user.has_perm(VIEW_ALL_CASES) else "open"
    open_statuses = [s for s in Enquiry.Status.values if s != Enquiry.Status.CLOSED]
    sort = request.GET.get("sort", "")
    sort = sort if sort in CASELOAD_SORTS else ""
    descending = sort != "" and request.GET.get("order") == "desc"
    enquiries = caseload_enquiries(
        user=request.user,
        statuses=[Enquiry.Status.CLOSED] if show == "closed" else open_statuses,
        mine_only=show == "mine",
        sort=sort,
        descending=descending,
    )
    page = Paginator(enquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    # Column headers that sort the whole list (server-side, so it works across pages and without JavaScript).
    columns = []
    for key, (label, _) in CASELOAD_SORTS.items():
        current = "descending" if key == sort and descending else "ascending" if key == sort else "none"
        next_order = "desc" if key == sort and not descending else "asc"
        columns.append(
            {
                "key": key,
                "label": label,
                "aria_sort": current,
                "url": "?" + urlencode({"show": show, "sort": key, "order": next_order}),
            }
        )
    # Read once: the page renders these, and the people they name are recorded as shown.
    page.object_list = list(page.object_list)
    concerns = list(selectors.concern_list(user=request.user, pending_only=True)[:PAGE_SIZE])
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[c.person_id for c in concerns] + [e.person_id for e in page.object_list],
        detail="Name shown in a caseload",
    )
    return render(
        request,
        "enquiries/caseload.html",
        {
            "page": page,
            "show": show,
            "views": CASELOAD_VIEWS,
            "caseload_views": [(label, f"?show={key}", key == show) for key, label in CASELOAD_VIEWS.items()],
            "concerns": concerns,
            "counts": selectors.caseload_counts(user=request.user),
            "columns": columns,
            "query_prefix": urlencode({"show": show, "sort": sort, "order": "desc" if descending else "asc"})
            + "&",
            "today": timezone.localdate(),
            "may_record_concern": may_record_concerns(request.user),
        },
    )


urlpatterns = [path("caseload/", caseload, name="caseload")]
