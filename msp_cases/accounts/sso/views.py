"""Single sign-on's pages: the start (off to the provider), the callback (back from it), the page that says
why a sign-in was refused, and signing out (of this service, then offering the provider's sign-out)."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from .. import auth_method
from .backends import Refusal, SignInRefused, SingleSignOnBackend, local_passwords_on
from .provider import ProviderUnavailable, oidc_setting, provider, sso_enabled

logger = logging.getLogger(__name__)

BACKEND = f"{SingleSignOnBackend.__module__}.{SingleSignOnBackend.__qualname__}"
# How the session was authenticated (shared with two-factor: only "password" sessions need a second step).
SIGNED_OUT_OF_SSO = "msp_sso_signed_out"


# Each refusal's heading; the page (accounts/sso/refused.html) says why and what to do next.
REFUSAL_HEADINGS = {
    Refusal.STATE: "This sign-in has expired",
    Refusal.PROVIDER_ERROR: "You have not been signed in",
    Refusal.UNAVAILABLE: "Single sign-on is not available",
    Refusal.CODE: "You have not been signed in",
    Refusal.AUDIENCE: "You have not been signed in",
    Refusal.EXPIRED: "This sign-in has expired",
    Refusal.INVALID: "You have not been signed in",
    Refusal.UNKNOWN_ACCOUNT: "You do not have an account",
    Refusal.INACTIVE: "Your account has been deactivated",
}


def refused(request: HttpRequest, reason: Refusal, *, email: str = "") -> HttpResponse:
    """The page that says why single sign-on did not sign this person in, and what to do next."""
    logger.warning("Single sign-on refused: %s", reason.value)
    status = 503 if reason == Refusal.UNAVAILABLE else 403
    context = {
        "reason": reason.value,
        "heading": REFUSAL_HEADINGS[reason],
        "email": email,
        "provider_name": settings.OIDC_PROVIDER_NAME,
    }
    return render(request, "accounts/sso/refused.html", context, status=status)


@method_decorator(login_not_required, name="dispatch")
class SingleSignOnStart(OIDCAuthenticationRequestView):
    """Off to the provider with a new state, nonce and PKCE verifier kept in this session
    (mozilla-django-oidc), and the page to come back to (`next`, checked to be on this site)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # The endpoints are read per request (below), so a provider that is down gets a page, not a 500.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not sso_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization_endpoint
        except ProviderUnavailable:
            return refused(request, Refusal.UNAVAILABLE)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@login_not_required
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider. Each state is used once: taken out of the session before the code is
    exchanged, so a replayed or forged callback finds nothing and is refused."""
    if not sso_enabled():
        raise Http404
    states = request.session.get("oidc_states") or {}
    started = states.pop(request.GET.get("state", ""), None)
    if started is not None:
        request.session["oidc_states"] = states
        request.session.save()
    if request.GET.get("error"):
        return refused(request, Refusal.PROVIDER_ERROR)
    if started is None or not request.GET.get("code"):
        return refused(request, Refusal.STATE)
    try:
        user = SingleSignOnBackend().sign_in(
            request, nonce=started["nonce"], code_verifier=started.get("code_verifier")
        )
    except SignInRefused as refusal:
        return refused(request, refusal.reason, email=refusal.email)
    next_url = request.session.get("oidc_login_next")
    # Django's own login: a new session key, the user_logged_in signal (django-axes records the sign-in)
    # and the same inactivity timeout as a password sign-in.
    auth.login(request, user, backend=BACKEND)
    request.session[auth_method.SESSION_KEY] = auth_method.SSO
    return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class SignOut(auth_views.LogoutView):
    """Django's sign-out (the session ends, user_logged_out fires); after a single sign-on session, a page
    offering to sign out of the provider as well, since the person may still be signed in there."""

    def post(self, request, *args, **kwargs):
        signed_in_by = request.session.get(auth_method.SESSION_KEY)
        was_sso = signed_in_by == auth_method.SSO and request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_sso and sso_enabled():
            request.session[SIGNED_OUT_OF_SSO] = True
            return HttpResponseRedirect(reverse("sso:signed_out"))
        return response


@login_not_required
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    if not request.session.get(SIGNED_OUT_OF_SSO) or request.user.is_authenticated:
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
    try:
        offers_sign_out = bool(provider().end_session_endpoint)
    except ProviderUnavailable:
        offers_sign_out = False
    context = {"provider_name": settings.OIDC_PROVIDER_NAME, "offers_sign_out": offers_sign_out}
    return render(request, "accounts/sso/signed_out.html", context)


@login_not_required
@require_GET
def provider_sign_out(request: HttpRequest) -> HttpResponse:
    """RP-initiated logout: to the provider's end-session endpoint, naming this client and where to come
    back. No ID token goes in the address (it carries the person's name and email); the provider asks the
    person to confirm instead."""
    if not request.session.pop(SIGNED_OUT_OF_SSO, False) or request.user.is_authenticated:
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
    try:
        end_session = provider().end_session_endpoint
    except ProviderUnavailable:
        end_session = None
    if not end_session:
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
    query = urlencode(
        {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("sso:provider_signed_out")),
        }
    )
    return HttpResponseRedirect(f"{end_session}?{query}")


@login_not_required
@require_GET
def provider_signed_out(request: HttpRequest) -> HttpResponse:
    context = {"provider_name": settings.OIDC_PROVIDER_NAME}
    return render(request, "accounts/sso/provider_signed_out.html", context)


def sign_in_context() -> dict:
    """What the sign-in page needs to know: whether to offer single sign-on, and the password form."""
    return {
        "sso_enabled": sso_enabled(),
        "sso_provider_name": settings.OIDC_PROVIDER_NAME,
        "local_passwords_on": local_passwords_on(),
    }
