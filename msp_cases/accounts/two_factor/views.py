"""The second step's pages. Thin: each parses its form, calls a service, and redirects.

Pages a session reaches after its password alone are marked `@second_step_page` and show no navigation
(whose links would lead back here, and whose counts are about case work)."""

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_ratelimit.core import is_ratelimited

from msp_cases.core.request import client_ip

from .. import auth_method
from ..models import User
from ..selectors import may_view_role_changes
from .forms import AuthenticatorCodeForm, ConfirmPasswordForm, RecoveryCodeForm, ResetForm, SavedCodesForm
from .middleware import safe_next, second_step_page, second_step_url
from .selectors import (
    authenticator_for,
    may_reset_two_factor,
    needs_second_step,
    two_factor_state,
)
from .services import (
    CodeCheck,
    TwoFactorRefused,
    authenticator_setup_begin,
    authenticator_setup_confirm,
    recovery_codes_replace,
    second_step_check,
    two_factor_reset,
)

# New recovery codes wait here, in the server-side session, until the person says they have saved them.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
AFTER_CODES_SESSION_KEY = "two_factor_after_codes"

WRONG_CODE = "The code is not correct. Enter the code your authenticator app shows now"
WRONG_RECOVERY_CODE = "The recovery code is not correct, or it has been used. Enter one you have not used"
TOO_MANY = (
    "You have tried too many codes. Try again later, or ask a unit lead or administrator to reset your "
    "two-factor authentication"
)


def _half_signed_in(context: dict) -> dict:
    return {"nav_items": [], **context}


def _wait_message(seconds: int) -> str:
    unit = "second" if seconds == 1 else "seconds"
    return f"You have entered a wrong code too many times. Wait {seconds} {unit}, then try again"


def _credentials(user: User) -> dict:
    # The lockout's email half (AXES_USERNAME_FORM_FIELD): a wrong code counts as a failed sign-in of the same
    # account from the same address as a wrong password does.
    return {settings.AXES_USERNAME_FORM_FIELD: user.email}


def _locked_out(request: HttpRequest, credentials: dict) -> HttpResponse:
    logout(request)
    return get_lockout_response(request, None, credentials)


def _code_refused(request: HttpRequest, form, check: CodeCheck, wrong: str) -> HttpResponse | None:
    """Say why a code was not accepted; a wrong code counts towards the sign-in lockout, and the lockout
    ends the session (returned as the page to show)."""
    if check.wait_seconds:
        form.add_error("code", _wait_message(check.wait_seconds))
        return None
    credentials = _credentials(request.user)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        return _locked_out(request, credentials)
    form.add_error("code", wrong)
    return None


def _rate_limited(request: HttpRequest) -> bool:
    """Codes tried by this account, whatever the address and however often the password is given again."""
    rate = settings.MSP_2FA_RATE
    return is_ratelimited(
        request, group="two_factor.code", key="user", rate=rate, method="POST", increment=True
    )


def _code_page(request: HttpRequest, *, recovery: bool) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next")
    if not needs_second_step(user=request.user, session=request.session):
        return redirect(safe_next(request, next_url))
    user = request.user
    if not recovery and authenticator_for(user) is None:
        setup = reverse("two_factor:setup")
        return redirect(f"{setup}?{request.GET.urlencode()}" if request.GET else setup)
    credentials = _credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request, credentials)
    form_class = RecoveryCodeForm if recovery else AuthenticatorCodeForm
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if _rate_limited(request):
            form.add_error("code", TOO_MANY)
        else:
            check = second_step_check(user=user, code=form.cleaned_data["code"], recovery=recovery)
            if check.accepted:
                otp_login(request, check.device)
                AxesProxyHandler.reset_attempts(username=user.email, ip_address=client_ip(request))
                if recovery:
                    left = two_factor_state(user=user).recovery_codes_left
                    messages.warning(
                        request,
                        f"You signed in with a recovery code. You have {left} left: get new ones from "
                        "Two-factor authentication, under your account.",
                    )
                return redirect(safe_next(request, next_url))
            refused = _code_refused(request, form, check, WRONG_RECOVERY_CODE if recovery else WRONG_CODE)
            if refused is not None:
                return refused
    template = "accounts/two_factor/recovery.html" if recovery else "accounts/two_factor/verify.html"
    return render(request, template, _half_signed_in({"form": form, "next": next_url or ""}))


@second_step_page
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: 'Enter the 6-digit code from your authenticator app'."""
    return _code_page(request, recovery=False)


@second_step_page
@require_http_methods(["GET", "POST"])
def recovery(request: HttpRequest) -> HttpResponse:
    """After the password, without the phone: one of the recovery codes, each of which works once."""
    return _code_page(request, recovery=True)


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@second_step_page
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The first password sign-in, or the first after a reset: scan the QR code (drawn here, as SVG, by
    segno: the secret never leaves the server for a QR service), or type the secret; confirm with a code."""
    if not settings.MSP_REQUIRE_2FA or request.session.get(auth_method.SESSION_KEY) == auth_method.SSO:
        raise Http404
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next")
    if authenticator_for(user) is not None:
        if needs_second_step(user=user, session=request.session):
            return redirect(second_step_url(next_url))
        return redirect("two_factor:account")
    credentials = _credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request, credentials)
    device = authenticator_setup_begin(user=user)
    form = AuthenticatorCodeForm(
        request.POST if request.method == "POST" else None,
        label="Enter the 6-digit code your app shows",
        heading=False,
    )
    if form.is_bound and form.is_valid():
        if _rate_limited(request):
            form.add_error("code", TOO_MANY)
        else:
            check, codes = authenticator_setup_confirm(user=user, code=form.cleaned_data["code"])
            if check.accepted:
                otp_login(request, check.device)
                request.session[NEW_CODES_SESSION_KEY] = codes
                request.session[AFTER_CODES_SESSION_KEY] = safe_next(request, next_url)
                return redirect("two_factor:recovery_codes")
            refused = _code_refused(request, form, check, WRONG_CODE)
            if refused is not None:
                return refused
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url or "",
        "qr_svg": qr.svg_inline(scale=5, border=4, dark="#0b0c0c", light="#ffffff"),
        "secret": _grouped(b32encode(device.bin_key).decode()),
    }
    return render(request, "accounts/two_factor/setup.html", _half_signed_in(context))


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once: kept in the session until the person says they have saved them."""
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if not codes:
        return redirect("two_factor:account")
    form = SavedCodesForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        del request.session[NEW_CODES_SESSION_KEY]
        after = request.session.pop(AFTER_CODES_SESSION_KEY, None)
        messages.success(request, "Two-factor authentication is set up. Your recovery codes are saved.")
        return redirect(safe_next(request, after) if after else "two_factor:account")
    context = {"form": form, "codes": [_grouped(code) for code in codes]}
    return render(request, "accounts/two_factor/recovery_codes.html", context)


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """A person's own two-factor authentication: whether it is set up, when last used, recovery codes left;
    new recovery codes after giving their password again."""
    user = request.user
    state = two_factor_state(user=user)
    form = None
    if state.set_up:
        form = ConfirmPasswordForm(request.POST if request.method == "POST" else None, user=user)
        if form.is_bound:
            credentials = _credentials(user)
            if AxesProxyHandler.is_locked(request, credentials):
                return _locked_out(request, credentials)
            if form.is_valid():
                request.session[NEW_CODES_SESSION_KEY] = recovery_codes_replace(user=user)
                request.session[AFTER_CODES_SESSION_KEY] = reverse("two_factor:account")
                return redirect("two_factor:recovery_codes")
            if "password" in form.errors and form.data.get("password"):
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                if getattr(request, "axes_locked_out", False):
                    return _locked_out(request, credentials)
    elif request.method == "POST":
        return redirect("two_factor:account")
    return render(
        request,
        "accounts/two_factor/account.html",
        {
            "state": state,
            "form": form,
            "required": settings.MSP_REQUIRE_2FA,
            "single_sign_on": request.session.get(auth_method.SESSION_KEY) == auth_method.SSO,
        },
    )


@require_http_methods(["GET", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """A colleague's lost device, reset by a unit lead or an administrator; anyone else is told it does not
    exist. Recorded with the role changes."""
    if not may_reset_two_factor(request.user):
        raise Http404
    initial = {}
    chosen = request.GET.get("user", "")
    if chosen.isdigit() and len(chosen) < 19:
        person = User.objects.filter(pk=int(chosen)).first()
        if person is not None:
            initial["email"] = person.email
    form = ResetForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        person = form.cleaned_data["email"]
        try:
            two_factor_reset(
                actor=request.user,
                user=person,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
        except TwoFactorRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request,
                f"Two-factor authentication has been reset for {person.full_name or person.email}. They will "
                "set up their authenticator app again when they next sign in.",
            )
            return redirect("two_factor:reset")
    return render(
        request,
        "accounts/two_factor/reset.html",
        {"form": form, "may_view_role_changes": may_view_role_changes(request.user)},
    )
