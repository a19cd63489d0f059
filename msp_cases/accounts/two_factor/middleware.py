"""After the password alone, nothing but the second step (MSP_REQUIRE_2FA).

Runs after django-otp's OTPMiddleware (which says whether the session has given a code) and Django's
LoginRequiredMiddleware (which sends a signed-out person to sign in). A session that still needs its second
step reaches only:
- the second step's own pages (views marked `@second_step_page`);
- signing out, and the session's keep-alive (it shows nothing);
- pages anyone may open signed out (`login_not_required`: the public "Report a concern" form, the health
  check), except the admin's own sign-in, which would be a way round;
everything else, pages and posts alike, is sent to the second step."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import DEVICE_ID_SESSION_KEY

from .. import auth_method
from .selectors import needs_second_step

ALWAYS_ALLOWED = frozenset({"logout", "keepalive"})


def second_step_page(view):
    """Mark a view as a page of the second step (or its set-up): reachable after the password alone."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.second_step_page = True
    return wrapper


def safe_next(request, value: str | None) -> str:
    """Where to go once the second step is done: a path on this site, or home."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def second_step_url(next_url: str | None = None) -> str:
    url = reverse("two_factor:verify")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def after_password_sign_in(request, success_url: str):
    """Called by the sign-in page once the password is accepted: records how the session was signed in (the
    single sign-on callback records "sso") and, with two-factor on, sends the person to the second step.
    A code given before in this browser does not carry over to a new password sign-in."""
    request.session[auth_method.SESSION_KEY] = auth_method.PASSWORD
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if settings.MSP_REQUIRE_2FA:
        return redirect(second_step_url(success_url))
    return None


class SecondStepRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MSP_REQUIRE_2FA:
            return None
        if getattr(view_func, "second_step_page", False):
            return None
        match = request.resolver_match
        if match.view_name in ALWAYS_ALLOWED:
            return None
        if not getattr(view_func, "login_required", True) and match.namespace != "admin":
            return None
        if not needs_second_step(user=request.user, session=request.session):
            return None
        return redirect(second_step_url(request.get_full_path() if request.method == "GET" else None))
