from urllib.parse import urlencode

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from msp_cases.accounts.roles import VIEW_ACCESS_LOG
from msp_cases.core.actor import Actor

from .forms import AccessFilterForm
from .selectors import NAMED_IN_THE_RECORD, access_events_filtered, people_shown, person_for_filter
from .services import access_record, access_record_list

PAGE_SIZE = 50


@require_GET
@permission_required(VIEW_ACCESS_LOG, raise_exception=True)
def recent(request: HttpRequest) -> HttpResponse:
    """The unit's view of reads and exports across the service, newest first, filtered by person, member of
    staff and dates. A person's name is shown to whoever may see that person, and that it was shown is
    recorded, as every list that names people records it; filtering by one person is a read of their Record
    of access, recorded as their own page records it."""
    form = AccessFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # any error is shown in the summary; the fields that are valid still filter
        filters = form.cleaned_data
    person = person_for_filter(user=request.user, pk=filters["person"]) if filters.get("person") else None
    events = access_events_filtered(
        user=request.user,
        person=person,
        name=filters.get("name", ""),
        who=filters.get("who", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        include_own=filters.get("include_own", False),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    visible = people_shown(user=request.user, events=page.object_list)
    for event in page.object_list:
        event.person_shown = event.person if event.person_id in visible else None
    actor = Actor.from_request(request)
    if person is not None:
        access_record(actor=actor, obj=person, detail="Record of access")
    else:
        access_record_list(actor=actor, person_ids=sorted(visible), detail=NAMED_IN_THE_RECORD)
    kept = [(key, value) for key, value in request.GET.items() if key != "page"]
    return render(
        request,
        "audit/recent.html",
        {
            "form": form,
            "page": page,
            "person": person,
            "is_filtered": bool(kept),
            "query_prefix": urlencode(kept) + "&" if kept else "",
            "selected": _selected(request, filters, person),
        },
    )


def _selected(request: HttpRequest, filters: dict, person) -> list[tuple[str, str, str]]:
    """The filters in force as (heading, value, the address without it), for the filter's "Selected" tags."""
    chosen = []
    labels = {"name": "Person’s name", "who": "Member of staff", "date_from": "From", "date_to": "To"}
    if person is not None:
        chosen.append(("Person", person.display_name, ("person",)))
    for key, heading in labels.items():
        value = filters.get(key)
        if value:
            shown = value.strftime("%-d %B %Y") if hasattr(value, "strftime") else value
            chosen.append((heading, shown, (key, f"{key}_0", f"{key}_1", f"{key}_2")))
    base = reverse("audit:recent")
    result = []
    for heading, shown, keys in chosen:
        rest = [(k, v) for k, v in request.GET.items() if k not in keys and k != "page"]
        result.append((heading, shown, f"{base}?{urlencode(rest)}" if rest else base))
    return result
