"""A database that cannot be reached is a service unavailable (503), said plainly, not a broken service (500).

Django hands every uncaught exception, in a view or in a middleware (sessions, sign-in and two-factor all read
the database before any view), to `handler500` (msp_cases/urls.py) while the exception is still being
handled. This handler looks at it: a connection PostgreSQL refused, lost or timed out — a restart, a
failover, a full pool — answers 503 with `Retry-After`, a page that says to try again in a few minutes and
(under /api/) an RFC 9457 problem; anything else is Django's own 500 page. Nothing is waited for: the
request fails as soon as the connection does, and the next request connects afresh
(`CONN_HEALTH_CHECKS`), so the service recovers without a restart once the database is back."""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """OperationalError: refused, lost or timed out connections (and the rare deadlock or cancelled statement,
    for which trying again is the right advice too); InterfaceError: a connection already closed."""
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    if request.path.startswith("/api/"):
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "Service Unavailable",
                "status": 503,
                "detail": "The service cannot take requests now. Try again in a few minutes.",
            }
        )
        response = HttpResponse(body, status=503, content_type="application/problem+json")
    else:
        # A page that needs no database, no session and no context: 503.html is plain markup.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
