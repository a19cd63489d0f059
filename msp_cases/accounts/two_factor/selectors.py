"""Reads for two-factor authentication: whether a request still needs the second step, and what a person's
two-factor state is."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import auth_method
from ..roles import CHANGE_USER, VIEW_RESTRICTED


def needs_second_step(*, user, session) -> bool:
    """True while a signed-in session has given a password but no code yet, and MSP_REQUIRE_2FA is on.

    A session with no recorded method (one signed in by Django's admin login, say) counts as a password one:
    only a session the identity provider signed in is let through without a code."""
    if not settings.MSP_REQUIRE_2FA or not user.is_authenticated:
        return False
    if session.get(auth_method.SESSION_KEY) == auth_method.SSO:
        return False
    return not user.is_verified()


def authenticator_for(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def recovery_device_for(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


@dataclass(frozen=True)
class TwoFactorState:
    set_up: bool
    set_up_at: datetime | None
    last_used_at: datetime | None
    recovery_codes_left: int


def two_factor_state(*, user) -> TwoFactorState:
    """What a person sees of their own two-factor authentication (never the secret, never the codes)."""
    device = authenticator_for(user)
    return TwoFactorState(
        set_up=device is not None,
        set_up_at=device.created_at if device else None,
        last_used_at=device.last_used_at if device else None,
        recovery_codes_left=StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    )


def may_reset_two_factor(user) -> bool:
    """Unit leads and administrators reset a colleague's lost authenticator."""
    return user.is_authenticated and (user.has_perm(VIEW_RESTRICTED) or user.has_perm(CHANGE_USER))
