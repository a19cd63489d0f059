"""Signing a webhook request, as Standard Webhooks and most providers do: HMAC-SHA256, keyed with the
subscription's secret, over `timestamp + "." + body`, sent as

    Webhook-Id: <the event's id, the same on every retry: the receiver's key for "already handled">
    Webhook-Timestamp: <seconds since the epoch, when this attempt was signed>
    Webhook-Signature: v1=<hex digest>

The receiver computes the same digest from the raw body and compares in constant time, and refuses a
timestamp far from its clock (a replayed request). `signature_valid` is that check, as a receiver would write
it (docs/api.md shows it on its own)."""

import base64
import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
SCHEME = "v1"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return SECRET_PREFIX + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signed_headers(
    *, event_id: str, secret: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "User-Agent": "MSP-Cases-Webhooks/1",
        "Webhook-Id": event_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret=secret, timestamp=timestamp, body=body),
    }


def signature_valid(*, secret: str, headers, body: bytes, now: float | None = None) -> bool:
    """What a receiver checks. `headers`: any mapping with case-insensitive get (or exact names)."""
    try:
        timestamp = int(headers.get("Webhook-Timestamp", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    # A receiver may be sent several (a secret being rotated): any one that matches will do.
    given = headers.get("Webhook-Signature", "").split()
    return any(hmac.compare_digest(expected, candidate) for candidate in given)
