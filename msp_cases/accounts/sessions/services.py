"""Writes for signed-in sessions: record one at sign-in, end one, end all of a user's.

Ending a session deletes Django's session (`SessionStore(key).delete()`, which also empties a cached_db
cache entry); its `SignedInSession` row goes with the session row. The browser that held it is signed out on
its next request, whatever it was doing."""

from importlib import import_module

from django.conf import settings
from django.core import checks
from django.utils import timezone

from msp_cases.core.request import client_ip

from ..models import SignedInSession, User
from .devices import device_summary

# The engines that keep a session row in the database, which a SignedInSession belongs to.
DATABASE_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def _session_store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def session_record(*, user: User, session_key: str | None, ip_address: str | None, user_agent: str) -> None:
    """Note a new signed-in session. Nothing is noted for an engine without a session row (a system check
    already says so)."""
    if not session_key or settings.SESSION_ENGINE not in DATABASE_ENGINES:
        return
    SignedInSession.objects.update_or_create(
        session_id=session_key,
        defaults={
            "user": user,
            "signed_in_at": timezone.now(),
            "device": device_summary(user_agent)[:100],
            "ip_address": ip_address,
        },
    )


def session_end(*, session: SignedInSession) -> None:
    """End one session now: its browser is signed out on its next request."""
    _session_store(session.session_id).delete()
    # Usually gone already with the session row; said again in case a cached engine kept that row.
    SignedInSession.objects.filter(pk=session.pk).delete()


def sessions_end_all(*, user: User, keep: str | None = None) -> int:
    """End every session of `user` but the one keyed `keep` (the page asking, for "sign out everywhere
    else"). Returns how many were ended."""
    sessions = SignedInSession.objects.filter(user=user).exclude(session_id=keep or "")
    keys = list(sessions.values_list("session_id", flat=True))
    for key in keys:
        _session_store(key).delete()
    SignedInSession.objects.filter(session_id__in=keys).delete()
    return len(keys)


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: every way of signing in sends it, after Django has given the session its new key."""
    if request is None or not hasattr(request, "session"):
        return
    session_record(
        user=user,
        session_key=request.session.session_key,
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def on_user_saved(sender, instance: User, **kwargs) -> None:
    """`post_save` of a user: an account saved inactive — by the account review, the scheduled task, the
    admin or a shell — has every session ended at once, so a leaver's laptop is signed out now, not when its
    session would have timed out. (Django's ModelBackend would also refuse an inactive user's session on
    its next request; this deletes the sessions themselves, and their rows.)"""
    if not instance.is_active and not kwargs.get("raw"):
        sessions_end_all(user=instance)


def check_session_engine(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """ "Your sessions" and ending a deactivated user's sessions need the session row in the database."""
    if settings.SESSION_ENGINE in DATABASE_ENGINES:
        return []
    return [
        checks.Error(
            f"SESSION_ENGINE {settings.SESSION_ENGINE!r} keeps no session row in the database.",
            hint="Use django.contrib.sessions.backends.db or cached_db: a signed-in session belongs to it.",
            id="accounts.E001",
        )
    ]
