"""Reads for the unit leads' pages on partners' systems. Anyone without `MANAGE_API_CLIENTS` is told
"Page not found", as for a record out of their scope. Nothing here is personal data: client names, scopes,
teams, addresses, and deliveries as ids, statuses and a few words of error."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from msp_cases.accounts.roles import MANAGE_API_CLIENTS
from msp_cases.api.models import ApiClient
from msp_cases.core.exceptions import NotFound

from .models import WebhookDelivery, WebhookSubscription

RECENT_DELIVERIES = 50


def may_manage_clients(user) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE_API_CLIENTS)


def require_client_manager(user) -> None:
    if not may_manage_clients(user):
        raise NotFound("Page not found")


def client_list(*, user) -> QuerySet[ApiClient]:
    require_client_manager(user)
    return (
        ApiClient.objects.select_related("created_by", "user")
        .prefetch_related("user__teams")
        .annotate(
            webhooks=Count("webhook_subscriptions", filter=Q(webhook_subscriptions__is_active=True)),
        )
        .order_by("-is_active", "name")
    )


def client_get(*, user, pk: int) -> ApiClient:
    require_client_manager(user)
    return get_object_or_404(
        ApiClient.objects.select_related("created_by", "user", "application").prefetch_related(
            "user__teams",
            Prefetch(
                "webhook_subscriptions",
                queryset=WebhookSubscription.objects.select_related("created_by", "deactivated_by").order_by(
                    "-is_active", "-created_at"
                ),
            ),
        ),
        pk=pk,
    )


def subscription_get(*, user, client: ApiClient, pk: int) -> WebhookSubscription:
    require_client_manager(user)
    return get_object_or_404(WebhookSubscription, client=client, pk=pk)


def delivery_list(*, user, client: ApiClient) -> list[WebhookDelivery]:
    require_client_manager(user)
    return list(
        WebhookDelivery.objects.filter(subscription__client=client)
        .select_related("event", "subscription")
        .order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    )


def delivery_counts(*, user, client: ApiClient) -> dict[str, int]:
    require_client_manager(user)
    counts = dict(
        WebhookDelivery.objects.filter(subscription__client=client)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in WebhookDelivery.Status.values}
