"""The unit leads' pages on partners' systems, under /api-clients/ (`MANAGE_API_CLIENTS`; anyone else gets
"Page not found"). Thin: the form, one service, then the next page.

A secret is shown once, on the page that answers the form that made it: never in an address, a redirect or a
message kept in the session, and the page is not cached (Cache-Control: no-store)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.core.actor import Actor

from . import selectors, services
from .forms import ClientForm, DeactivateClientForm, SubscriptionForm

LIST_TITLE = "API clients"


def _problems_on(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _form_page(request, form, *, title: str, submit_label: str, cancel_url: str, **context) -> HttpResponse:
    return render(
        request,
        "partners/form.html",
        {"form": form, "title": title, "submit_label": submit_label, "cancel_url": cancel_url, **context},
    )


def _secret_page(request, template: str, context: dict) -> HttpResponse:
    response = render(request, template, context)
    add_never_cache_headers(response)
    return response


@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    clients = list(selectors.client_list(user=request.user))
    return render(request, "partners/client_list.html", {"clients": clients, "title": LIST_TITLE})


@require_http_methods(["GET", "POST"])
def client_add(request: HttpRequest) -> HttpResponse:
    selectors.require_client_manager(request.user)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = services.partner_client_create(
                actor=Actor.from_request(request),
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                teams=list(form.cleaned_data["teams"]),
            )
        except ValidationError as error:
            _problems_on(form, error)
        else:
            return _secret_page(
                request,
                "partners/client_made.html",
                {"client": client, "secret": secret, "title": f"Client made: {client.name}"},
            )
    return _form_page(
        request,
        form,
        title="Make an API client",
        submit_label="Make the client",
        cancel_url=reverse("partners:list"),
    )


@require_GET
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    return render(
        request,
        "partners/client_detail.html",
        {
            "client": client,
            "subscriptions": list(client.webhook_subscriptions.all()),
            "deliveries": selectors.delivery_list(user=request.user, client=client),
            "counts": selectors.delivery_counts(user=request.user, client=client),
            "recent": selectors.RECENT_DELIVERIES,
            "title": f"API client: {client.name}",
        },
    )


@require_http_methods(["GET", "POST"])
def client_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    if not client.is_active:
        return redirect(reverse("partners:detail", args=[client.pk]))
    form = DeactivateClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_client_deactivate(
                actor=Actor.from_request(request), client=client, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _problems_on(form, error)
        else:
            messages.success(request, f"{client.name} is switched off: its tokens no longer work")
            return redirect(reverse("partners:detail", args=[client.pk]))
    return _form_page(
        request,
        form,
        title=f"Switch off {client.name}",
        submit_label="Switch off the client",
        cancel_url=reverse("partners:detail", args=[client.pk]),
        warning="Its tokens stop working at once and no more webhooks are sent to it. It is kept, with "
        "everything it sent and read; it cannot be switched on again: make a new client instead.",
    )


@require_http_methods(["GET", "POST"])
def subscription_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = services.webhook_subscription_create(
                actor=Actor.from_request(request),
                client=client,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as error:
            _problems_on(form, error)
        else:
            return _secret_page(
                request,
                "partners/subscription_made.html",
                {
                    "client": client,
                    "subscription": subscription,
                    "secret": secret,
                    "title": f"Webhook added for {client.name}",
                },
            )
    return _form_page(
        request,
        form,
        title=f"Add a webhook for {client.name}",
        submit_label="Add the webhook",
        cancel_url=reverse("partners:detail", args=[client.pk]),
    )


@require_http_methods(["GET", "POST"])
def subscription_deactivate(request: HttpRequest, pk: int, subscription_pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    subscription = selectors.subscription_get(user=request.user, client=client, pk=subscription_pk)
    if request.method == "POST":
        services.webhook_subscription_deactivate(actor=Actor.from_request(request), subscription=subscription)
        messages.success(request, "The webhook is switched off: nothing more is sent to it")
        return redirect(reverse("partners:detail", args=[client.pk]))
    return render(
        request,
        "partners/subscription_deactivate.html",
        {"client": client, "subscription": subscription, "title": "Switch off this webhook"},
    )
