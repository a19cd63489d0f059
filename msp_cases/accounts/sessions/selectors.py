"""Reads of signed-in sessions, always of the user asking."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .. import auth_method
from ..models import SignedInSession, User

# django_otp's session key, set by `otp_login` once a second factor is verified (its DEVICE_ID_SESSION_KEY),
# named here so "Your sessions" reads it whether or not two-factor sign-in is installed.
OTP_DEVICE_SESSION_KEY = "otp_device_id"


@dataclass(frozen=True)
class SessionView:
    pk: int
    device: str
    ip_address: str | None
    signed_in_at: datetime
    last_active_at: datetime
    method: str
    is_current: bool


def auth_method_label(data: dict) -> str:
    """How the session was signed in, in words, from what the sign-in paths keep in it."""
    if data.get(auth_method.SESSION_KEY) == auth_method.SSO:
        return "Single sign-on"
    if data.get(OTP_DEVICE_SESSION_KEY):
        return "Password and authenticator app"
    return "Password"


def session_list(*, user: User, current_key: str | None) -> list[SessionView]:
    """The user's sessions that have not ended, this one first, then the most recently active. One query.

    A session lasts SESSION_COOKIE_AGE from the last request its person made (the session is saved then,
    msp_cases.core.middleware.SessionActivityMiddleware), so its expiry less that age is its last use."""
    now = timezone.now()
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = SignedInSession.objects.filter(user=user, session__expire_date__gt=now).select_related("session")
    views = [
        SessionView(
            pk=row.pk,
            device=row.device or "Unknown browser",
            ip_address=row.ip_address,
            signed_in_at=row.signed_in_at,
            last_active_at=min(row.session.expire_date - age, now),
            method=auth_method_label(row.session.get_decoded()),
            is_current=row.session_id == current_key,
        )
        for row in rows
    ]
    return sorted(views, key=lambda v: (not v.is_current, -v.last_active_at.timestamp()))


def session_get_for_user(*, user: User, pk: int) -> SignedInSession:
    """One of the user's own sessions; another's, or one that has ended, does not exist."""
    return SignedInSession.objects.get(user=user, pk=pk)
