"""What unit leads do with partners' systems in the app (`MANAGE_API_CLIENTS`): make a client (through the
API's own service, the one `manage.py api_client create` calls, so each is made the same way and its service
account's role and teams are recorded as given by this unit lead), switch one off (never deleted: what it sent
and what it read stay attributed to it), and give a client webhooks or take them away.

A unit lead makes clients for partners' systems, never an account for themselves: the client acts as its own
service account, which cannot sign in to the pages."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from msp_cases.accounts.models import Team
from msp_cases.accounts.roles import MANAGE_API_CLIENTS
from msp_cases.accounts.services import user_active_set
from msp_cases.api.models import ApiClient
from msp_cases.api.services import api_client_create, api_client_create_problems
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotPermitted

from .models import EventType, WebhookSubscription
from .signing import new_secret

MSG_REASON = "Enter why the client is being switched off"
MSG_EVENTS = "Select at least one event"
MSG_URL = "Enter the address the partner’s system receives webhooks at, starting https://"
MSG_URL_HTTPS = "The address must start https://"
MSG_URL_INVALID = "Enter a real web address, like https://partner.example.org/webhooks"
MSG_URL_CREDENTIALS = "The address must not hold a user name or password"
MSG_URL_LOCAL = "The address must be on the partner’s server, not this network’s own"
MSG_CLIENT_OFF = "This client is switched off: it can have no new webhooks"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
# The API's own service names its problems by its command's options.
_FIELDS = {"name": "name", "scope": "scopes", "team": "teams"}


def _check(actor: Actor) -> None:
    if not actor.user.has_perm(MANAGE_API_CLIENTS):
        raise NotPermitted("Only unit leads manage partners’ API clients")


def partner_client_create_problems(
    *, name: str, scopes: list[str], teams: list[Team]
) -> dict[str, list[str]]:
    """The API's own rule (`api_client_create_problems`), by the form's field names."""
    problems = api_client_create_problems(name=name, scopes=scopes, team_names=[team.name for team in teams])
    return {_FIELDS.get(key, key): messages for key, messages in problems.items()}


def partner_client_create(
    *, actor: Actor, name: str, scopes: list[str], teams: list[Team]
) -> tuple[ApiClient, str]:
    """The client and its secret, in clear this once (stored hashed)."""
    _check(actor)
    if problems := partner_client_create_problems(name=name, scopes=scopes, teams=teams):
        raise ValidationError(problems)
    return api_client_create(actor=actor, name=name, scopes=scopes, team_names=[team.name for team in teams])


def partner_client_deactivate(*, actor: Actor, client: ApiClient, reason: str) -> ApiClient:
    """Switch the client off: its tokens are revoked, its service account deactivated (recorded with the
    reason, as any account's), its webhooks no longer sent. Nothing of it is deleted."""
    _check(actor)
    if not reason.strip():
        raise ValidationError({"reason": [MSG_REASON]})
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().select_related("user").get(pk=client.pk)
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        user_active_set(
            actor=actor.user,
            user=locked.user,
            active=False,
            reason=f"API client switched off: {reason.strip()}"[:500],
            ip_address=actor.ip_address,
        )
        get_access_token_model().objects.filter(application_id=locked.application_id).delete()
    return locked


def webhook_url_problems(url: str) -> list[str]:
    """https only; plain http only to this machine, and only where WEBHOOK_HTTP_LOOPBACK allows it
    (development and the tests). Never this network's own addresses over https either."""
    if not url.strip():
        return [MSG_URL]
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return [MSG_URL_INVALID]
    if parts.scheme not in ("https", "http"):
        return [MSG_URL_HTTPS if parts.netloc else MSG_URL_INVALID]
    try:
        URLValidator(schemes=["https", "http"])(url.strip())
    except ValidationError:
        return [MSG_URL_INVALID]
    loopback_http = settings.WEBHOOK_HTTP_LOOPBACK and parts.scheme == "http" and host in LOOPBACK_NAMES
    if parts.scheme != "https" and not loopback_http:
        return [MSG_URL_HTTPS]
    if parts.username or parts.password:
        return [MSG_URL_CREDENTIALS]
    if not host:
        return [MSG_URL]
    if not loopback_http:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            if host in LOOPBACK_NAMES or host.endswith((".localhost", ".local", ".internal")):
                return [MSG_URL_LOCAL]
        else:
            if not address.is_global:
                return [MSG_URL_LOCAL]
    return []


def webhook_subscription_create(
    *, actor: Actor, client: ApiClient, url: str, events: list[str]
) -> tuple[WebhookSubscription, str]:
    """A webhook for the client, and the secret its requests are signed with, in clear this once (kept as it
    is: signing needs it)."""
    _check(actor)
    problems: dict[str, list[str]] = {}
    if url_problems := webhook_url_problems(url):
        problems["url"] = url_problems
    known = set(EventType.values)
    if not events or set(events) - known:
        problems["events"] = [MSG_EVENTS]
    if not client.is_active:
        problems["__all__"] = [MSG_CLIENT_OFF]
    if problems:
        raise ValidationError(problems)
    secret = new_secret()
    subscription = WebhookSubscription(
        client=client,
        url=url.strip(),
        events=" ".join(event for event in EventType.values if event in events),
        secret=secret,
        created_by=actor.user,
    )
    subscription.full_clean()
    subscription.save()
    return subscription, secret


def webhook_subscription_deactivate(
    *, actor: Actor, subscription: WebhookSubscription
) -> WebhookSubscription:
    """No more deliveries to it; those not yet sent fail when their turn comes ("Switched off")."""
    _check(actor)
    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.is_active:
            locked.is_active = False
            locked.deactivated_at = timezone.now()
            locked.deactivated_by = actor.user
            locked.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
    return locked
