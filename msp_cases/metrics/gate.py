"""Who may read /metrics: a client at one of METRICS_ALLOWED_IPS, or one sending METRICS_TOKEN as a bearer
token. Anyone else is told the page does not exist (404), so the address advertises nothing. With neither
set, nobody may read it."""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest

from msp_cases.core.request import client_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def allowed_networks(entries: list[str]) -> list[Network]:
    """METRICS_ALLOWED_IPS as networks: a single address is a network of one. Raises ValueError for an entry
    that is neither (the system check `metrics.E001` reports it at start)."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _from_allowed_address(request: HttpRequest) -> bool:
    entries = settings.METRICS_ALLOWED_IPS
    if not entries:
        return False
    # The address the record of access keeps, through TRUSTED_PROXY_COUNT proxies: a client cannot choose it.
    address = client_ip(request)
    if not address:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    try:
        networks = allowed_networks(entries)
    except ValueError:
        return False
    return any(client in network for network in networks)


def _with_token(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    # Constant time: how long a wrong token takes says nothing of how much of it was right.
    return hmac.compare_digest(given.strip().encode(), token.encode())


def may_read_metrics(request: HttpRequest) -> bool:
    return _with_token(request) or _from_allowed_address(request)
