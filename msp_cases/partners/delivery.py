"""Sending one delivery: the row claimed under a lock, its status re-read, the signed request sent, the
outcome written, all before the lock is let go. So a delivery already delivered is never sent again (a task
run twice, a message redelivered after a worker was killed, the sweep): the second run finds it delivered, or
finds it locked by the run still sending it and leaves it. A worker killed mid-request leaves the row as it
was (the transaction rolls back) and the message unacknowledged (acks_late), so it is tried again: the
partner may then get the same event twice, and its `Webhook-Id` says so.

The body holds ids, the event's type and time and one coded value: never a name, never case content."""

import ipaddress
import json
import logging
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import EventType, WebhookDelivery
from .signing import signed_headers

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status


@dataclass(frozen=True)
class Attempt:
    status: str  # the delivery's status after this attempt ("" when nothing was sent)
    retry_in: int | None = None  # seconds until the next attempt, when there is one


def webhook_payload(delivery: WebhookDelivery) -> dict:
    event = delivery.event
    data: dict = {"referral_id": delivery.referral_id}
    if event.type == EventType.REFERRAL_RECEIVED:
        data |= {"state": event.code, "concern_id": event.concern_id}
    elif event.type == EventType.CONCERN_DECIDED:
        data |= {"concern_id": event.concern_id, "decision": event.code, "enquiry_id": event.enquiry_id}
    elif event.type == EventType.ENQUIRY_CONCLUDED:
        data |= {
            "concern_id": event.concern_id,
            "enquiry_id": event.enquiry_id,
            "outcome": event.code or None,
        }
    return {
        "id": str(event.pk),
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "data": data,
    }


def webhook_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(webhook_payload(delivery), separators=(",", ":"), sort_keys=True).encode()


def retry_delay(attempts: int) -> int:
    """Exponential: WEBHOOK_RETRY_SECONDS, then twice that, and so on, at most WEBHOOK_RETRY_MAX_SECONDS
    (kept under the broker's visibility timeout, after which Redis would hand a waiting retry out again)."""
    return min(settings.WEBHOOK_RETRY_SECONDS * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_MAX_SECONDS)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: the signed body goes only to the address the unit checked."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _resolves_inside(url: str) -> bool:
    """Whether the address's host name now resolves to this network's own addresses (private, loopback,
    link-local): a public name pointed inwards is not sent to, however it was when the webhook was added.
    Allowed only where WEBHOOK_HTTP_LOOPBACK is (development and the tests)."""
    if settings.WEBHOOK_HTTP_LOOPBACK:
        return False
    parts = urllib.parse.urlsplit(url)
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False  # not found: the request itself says "Host not found"
    return any(not ipaddress.ip_address(info[4][0].split("%", 1)[0]).is_global for info in found)


def _post(url: str, body: bytes, headers: dict[str, str]) -> str:
    """An empty string when the receiver answered 2xx; otherwise what went wrong, in a few words that name
    neither the address nor anything the receiver said."""
    if _resolves_inside(url):
        return "Address resolves to a private network"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (https, or loopback http in development)
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except urllib.error.URLError as error:
        return _reason(error.reason, timeout)
    except (TimeoutError, OSError) as error:
        return _reason(error, timeout)
    return "" if 200 <= status < 300 else f"HTTP {status}"


def _reason(reason, timeout: int) -> str:
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"No answer within {timeout} seconds"
    if isinstance(reason, ConnectionRefusedError):
        return "Connection refused"
    if isinstance(reason, ConnectionResetError):
        return "Connection reset"
    if isinstance(reason, socket.gaierror):
        return "Host not found"
    if isinstance(reason, ssl.SSLError):
        return "TLS error"
    return "Could not connect"


def webhook_delivery_attempt(*, delivery_id: int) -> Attempt:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "subscription", "subscription__client")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Status.PENDING:
            return Attempt(status="")  # being sent by another run, already delivered or failed, or gone
        now = timezone.now()
        subscription = delivery.subscription
        switched_off = not (subscription.is_active and subscription.client.is_active)
        if switched_off:
            error = "Switched off before it was sent"  # nothing sent; no more tries
        else:
            body = webhook_body(delivery)
            headers = signed_headers(event_id=str(delivery.event_id), secret=subscription.secret, body=body)
            error = _post(subscription.url, body, headers)
            delivery.attempts += 1
            delivery.last_attempt_at = now
        retry_in = None
        if not error:
            delivery.status, delivery.delivered_at, delivery.last_error = Status.DELIVERED, now, ""
            delivery.next_attempt_at = None
        elif switched_off or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status, delivery.last_error, delivery.next_attempt_at = Status.FAILED, error, None
        else:
            retry_in = retry_delay(delivery.attempts)
            delivery.last_error = error
            delivery.next_attempt_at = now + timezone.timedelta(seconds=retry_in)
        delivery.save(
            update_fields=[
                "status",
                "attempts",
                "last_error",
                "last_attempt_at",
                "next_attempt_at",
                "delivered_at",
            ]
        )
    # Ids and the outcome only: no address, no body.
    logger.info(
        "Webhook delivery %s: %s after %s attempt(s)%s",
        delivery.pk,
        delivery.status,
        delivery.attempts,
        f" ({error})" if error else "",
    )
    return Attempt(status=delivery.status, retry_in=retry_in)


def webhook_deliveries_overdue(*, minutes: int = 5) -> list[int]:
    """Pending deliveries whose attempt is well overdue: their message was never sent or was lost."""
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    return list(
        WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lt=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )


def webhook_delivery_scheduled(*, delivery_id: int, seconds: int = 0) -> None:
    """Note when the next attempt is due (the sweep leaves a delivery alone until it is overdue)."""
    WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
        next_attempt_at=timezone.now() + timezone.timedelta(seconds=seconds)
    )
