"""Requests per client (API_THROTTLE_RATE, docs/configuration.md), counted in the cache by OAuth application:
one partner's burst never slows another's."""

from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None or not getattr(token, "application_id", None):
            return None  # refused before any work: authentication answers 401
        return self.cache_format % {"scope": self.scope, "ident": token.application_id}
