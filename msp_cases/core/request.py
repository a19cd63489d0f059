import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the record of access and the sign-in lockout (AXES_CLIENT_IP_CALLABLE).

    Each of the TRUSTED_PROXY_COUNT reverse proxies in front of the app appends the address it received the
    request from to X-Forwarded-For, so the client's address is the TRUSTED_PROXY_COUNT-th from the right;
    anything further left was written by the client and is never believed. With no trusted proxies (the
    default), or when the header is missing or that entry is not an IP address, it is REMOTE_ADDR."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            try:
                return str(ipaddress.ip_address(hops[-proxies]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None
