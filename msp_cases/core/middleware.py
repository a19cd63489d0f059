from functools import wraps

from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreMiddleware:
    """Pages about people at risk must not be kept by the browser's or a proxy's cache: a shared computer's
    back button should not show a case after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


def passive(view):
    """Mark a view as one a page's script calls on its own (polling an export's status, say), not one a
    person asks for: a request to it does not extend the session (SessionActivityMiddleware). A passive view
    must only read (or keep what the person typed as their draft: msp_cases.drafts); it answers while the
    session lasts, and once the session has ended it gets the sign-in redirect like any other."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.passive = True
    return wrapper


class SessionActivityMiddleware:
    """Only a person's own action extends their session.

    The session ends SESSION_COOKIE_AGE (SESSION_TIMEOUT_MINUTES) after it was last saved, and the cookie is
    a browser-session cookie, so saving the session is what extends it. Django's SESSION_SAVE_EVERY_REQUEST
    would save on every request, including a page's background polling, so it is off; this middleware
    asks for the save on every request except those to views marked @passive. A passive request still saves
    the session if it changed it (nothing is lost), but the passive views here never do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.is_passive = False
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not request.is_passive:
            session.modified = True  # SessionMiddleware saves it, renewing the expiry, if it is not empty
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.is_passive = getattr(view_func, "passive", False)
