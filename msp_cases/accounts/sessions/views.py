"""Your sessions: every browser signed in as you, and a way to end any of them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..models import SignedInSession
from .selectors import session_get_for_user, session_list
from .services import session_end, sessions_end_all


@require_GET
def your_sessions(request: HttpRequest) -> HttpResponse:
    sessions = session_list(user=request.user, current_key=request.session.session_key)
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": sessions, "timeout_minutes": settings.SESSION_TIMEOUT_MINUTES},
    )


@require_POST
def session_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session = session_get_for_user(user=request.user, pk=pk)
    except SignedInSession.DoesNotExist:
        raise Http404 from None
    if session.session_id == request.session.session_key:
        logout(request)  # this browser: an ordinary sign-out, with its signal
        return redirect("login")
    session_end(session=session)
    messages.success(request, f"{session.device or 'The session'} has been signed out")
    return redirect("accounts:sessions")


@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = sessions_end_all(user=request.user, keep=request.session.session_key)
    if ended:
        messages.success(request, "Every other session has been signed out")
    return redirect("accounts:sessions")
