from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import health
from .context_processors import CONTRAST_COOKIE

# The probes (msp_cases/core/health.py): answered by its middleware before sign-in; routed here too, so they
# can be reversed by name and anything but GET or HEAD is refused.
healthz = login_not_required(require_GET(health.healthz))
readyz = login_not_required(require_GET(health.readyz))


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """'Stay signed in' in the timeout warning: any authenticated request renews the session."""
    return HttpResponse(status=204)


@login_not_required
@require_POST
def contrast_toggle(request: HttpRequest) -> HttpResponse:
    """Switch high contrast on or off. Kept in a cookie for a year so it persists across sign-ins and
    applies on the sign-in page too."""
    turn_on = request.COOKIES.get(CONTRAST_COOKIE) != "high"
    back = request.POST.get("next", "")
    # A path on this site only: anything else (a view name, a number) would be looked up as a view name.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=False
    ):
        back = "/"
    response = redirect(back)
    if turn_on:
        response.set_cookie(
            CONTRAST_COOKIE,
            "high",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(CONTRAST_COOKIE, samesite="Lax")
    return response
