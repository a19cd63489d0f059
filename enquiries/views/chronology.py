"""The person's chronology: every significant event of their concerns and enquiries that the user may see, in
date order, filterable by date, kind and record. Reading it is a read of the person's records, recorded as
the person page is."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor

from .. import selectors
from ..forms.chronology import ChronologyFilterForm
from ..selectors.chronology import CHRONOLOGY_KINDS, person_chronology

PAGE_SIZE = 100


@require_GET
def person_chronology_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    access_record(actor=Actor.from_request(request), obj=person, detail="Person's chronology")
    chronology = person_chronology(user=request.user, person=person)
    form = ChronologyFilterForm(request.GET or None, records=chronology.records)
    filters = {}
    if form.is_bound:
        form.is_valid()  # the filters given correctly apply even beside one in error, which the page names
        filters = form.cleaned_data
    entries, counts = chronology.filtered(
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        kinds=filters.get("kinds"),
        record=filters.get("record", ""),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]
    return render(
        request,
        "enquiries/person_chronology.html",
        {
            "person": person,
            "form": form,
            "page": page,
            "entries": page.object_list,
            "total": len(entries),
            "kind_counts": [(label, counts[value]) for value, label in CHRONOLOGY_KINDS.items()],
            "is_filtered": bool(filters and any(filters.values())),
            "query_prefix": f"{urlencode(query)}&" if query else "",
        },
    )


urlpatterns = [
    path("people/<int:pk>/chronology/", person_chronology_view, name="person_chronology"),
]
