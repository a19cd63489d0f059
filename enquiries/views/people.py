"""The person (the adult at risk): their record, recording and changing their details, their network, and
finding them. Views are thin: forms parse, enquiries.services.people writes, enquiries.selectors read."""

import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.accounts.roles import ADD_PERSON, EDIT_CASE, VIEW_PERSON, VIEW_RECORD_ACCESS_LOG
from msp_cases.audit.selectors import access_events_for_person
from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page

from .. import selectors
from ..forms.people import NetworkMemberForm, PersonForm, PersonSearchForm
from ..models import Person
from ..panels import PERSON_PAGE, page_context
from ..selectors.people import network_member_get_for_user, person_network, person_search
from ..services import people as services
from ..validators import format_nhs_number
from .base import require_edit

SEARCH_PAGE_SIZE = 20
SEARCH_LIMIT = 100


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    access_record(actor=Actor.from_request(request), obj=person, detail="Person's record")
    return render(
        request,
        "enquiries/person_detail.html",
        {
            "person": person,
            "can_edit": request.user.has_perm(EDIT_CASE, person),
            "network": person_network(user=request.user, person=person),
            "nhs_number_display": format_nhs_number(person.nhs_number),
            "record_concern_url": _record_concern_url(person),
            "enquiries": selectors.person_enquiries(user=request.user, person=person),
            "concerns": selectors.person_concerns(user=request.user, person=person),
            # What the feedback app adds: the communication support asked for in Part 1 (enquiries.panels).
            **page_context(PERSON_PAGE, user=request.user, person=person),
        },
    )


@require_GET
def person_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has looked at this person's record: unit staff only, for people they may see."""
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm(VIEW_RECORD_ACCESS_LOG, person):
        raise Http404
    access_record(actor=Actor.from_request(request), obj=person, detail="Record of access")
    page = Paginator(access_events_for_person(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "enquiries/person_access_log.html", {"person": person, "page": page})


def _record_concern_url(person: Person) -> str:
    """Recording a person is the first step of recording a concern about them."""
    return f"{reverse('enquiries:concern_create')}?{urlencode({'person': person.pk})}"


@require_http_methods(["GET", "POST"])
@permission_required(ADD_PERSON, raise_exception=True)
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(
            actor=Actor.from_request(request), fields=form.person_fields(), restricted_to=form.named_staff()
        )
        messages.success(request, "Person recorded. Now record the concern about them.")
        return redirect(_record_concern_url(person))
    return render(
        request,
        "enquiries/people/person_form.html",
        {
            "form": form,
            "heading": "Record a person",
            "submit_label": "Save and continue",
            "cancel_url": reverse("enquiries:person_search"),
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    require_edit(request, person)
    return versioned_form_page(
        request,
        form_class=PersonForm,
        # A copy: the form writes what was typed onto its instance, and the service changes the person itself.
        form_kwargs=lambda record: {"instance": copy.copy(record), "user": request.user},
        record=person,
        template="enquiries/people/person_form.html",
        context={
            "person": person,
            "heading": "Change their details",
            "submit_label": "Save changes",
            "cancel_url": person.get_absolute_url(),
        },
        audit=lambda: access_record(actor=actor, obj=person, detail="Change person's details"),
        save=lambda form: services.person_update(
            actor=actor,
            person=person,
            expected_version=form.cleaned_data["version"],
            fields=form.person_fields(),
            restricted_to=form.named_staff(),
        ),
        success_message="Their details have been changed",
        success_url=person.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def network_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    require_edit(request, person)
    form = NetworkMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.network_member_add(actor=actor, person=person, fields=form.member_fields())
        messages.success(request, "Added to their network")
        return redirect(f"{person.get_absolute_url()}#network")
    if request.method == "GET":
        access_record(actor=actor, obj=person, detail="Add to network")
    return render(
        request,
        "enquiries/people/network_form.html",
        {
            "form": form,
            "person": person,
            "heading": "Add someone to their network",
            "submit_label": "Add to network",
            "cancel_url": f"{person.get_absolute_url()}#network",
        },
    )


@require_http_methods(["GET", "POST"])
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    member = network_member_get_for_user(user=request.user, pk=pk)
    person = member.person
    require_edit(request, person)
    network_url = f"{person.get_absolute_url()}#network"
    return versioned_form_page(
        request,
        form_class=NetworkMemberForm,
        form_kwargs=lambda record: {"instance": copy.copy(record)},
        record=member,
        template="enquiries/people/network_form.html",
        context={
            "person": person,
            "heading": "Change someone in their network",
            "submit_label": "Save changes",
            "cancel_url": network_url,
        },
        audit=lambda: access_record(actor=actor, obj=member, detail="Change network member"),
        save=lambda form: services.network_member_update(
            actor=actor,
            member=member,
            expected_version=form.cleaned_data["version"],
            fields=form.member_fields(),
        ),
        success_message="Their network has been changed",
        success_url=network_url,
    )


@require_GET
@permission_required(VIEW_PERSON, raise_exception=True)
def person_search_view(request: HttpRequest) -> HttpResponse:
    """Find a person the user may see. The search words stay in the query string and are never logged."""
    form = PersonSearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        page = _best_matches(person_search(user=request.user, query=query)).get_page(request.GET.get("page"))
        shown = [p.pk for p in page.object_list]
        access_record_list(
            actor=Actor.from_request(request), person_ids=shown, detail="Name shown in search results"
        )
    return render(
        request,
        "enquiries/people/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "query_prefix": f"{urlencode({'q': query})}&" if query else "",
            "can_create": request.user.has_perm(ADD_PERSON),
        },
    )


def _best_matches(results) -> Paginator:
    """Pages of the first SEARCH_LIMIT matches, best first, read in one query: the matches in order with one
    more row, which says whether the list goes on (`has_more`: the page then asks the user to narrow the
    search). Every match has to be scored to find the best, so a separate count (BoundedPaginator's) would be
    a second pass over all of them: at 1,000,000 concerns that pass was half a practitioner's search."""
    matches = list(results[: SEARCH_LIMIT + 1])
    paginator = Paginator(matches[:SEARCH_LIMIT], SEARCH_PAGE_SIZE)
    paginator.has_more = len(matches) > SEARCH_LIMIT
    return paginator


urlpatterns = [
    path("people/search/", person_search_view, name="person_search"),
    path("people/new/", person_create, name="person_create"),
    path("people/<int:pk>/", person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", person_edit, name="person_edit"),
    path("people/<int:pk>/access/", person_access_log, name="person_access_log"),
    path("people/<int:pk>/network/new/", network_add, name="network_add"),
    path("network/<int:pk>/edit/", network_edit, name="network_edit"),
]
