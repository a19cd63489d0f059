"""Care providers: finding one (unit and front-door staff), and a provider's page listing the concerns that
name it. Views are thin: enquiries.selectors.providers reads, scoped by msp_cases.access."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from msp_cases.accounts.roles import SCREEN_REFERRAL, VIEW_ALL_CASES
from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor

from ..forms.providers import ProviderSearchForm
from ..selectors.providers import provider_concerns, provider_get_for_user, provider_search

LIST_PAGE_SIZE = 20
CONCERNS_PAGE_SIZE = 50


def may_list_providers(user) -> bool:
    """Every provider, to find one: unit staff and the front door. Practitioners and managers reach a
    provider from a concern of theirs that names it."""
    return user.has_perm(VIEW_ALL_CASES) or user.has_perm(SCREEN_REFERRAL)


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    if not may_list_providers(request.user):
        raise Http404
    form = ProviderSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    providers = provider_search(user=request.user, query=query)
    page = Paginator(providers, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enquiries/providers/list.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "query_prefix": f"{urlencode({'q': query})}&" if query else "",
        },
    )


@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = provider_get_for_user(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    access_record(actor=actor, obj=provider, detail="Care provider's page")
    page = Paginator(provider_concerns(user=request.user, provider=provider), CONCERNS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)  # read once: the page renders these and records them
    # Each concern listed is a read about its adult, named on the page or not.
    access_record_list(
        actor=actor,
        person_ids=[c.person_id for c in page.object_list],
        detail="Concern listed on a care provider's page",
    )
    return render(
        request,
        "enquiries/providers/detail.html",
        {
            "provider": provider,
            "page": page,
            "query_prefix": "",
            "may_list": may_list_providers(request.user),
        },
    )


urlpatterns = [
    path("providers/", provider_list, name="provider_list"),
    path("providers/<int:pk>/", provider_detail, name="provider_detail"),
]
