from django.conf import settings
from django.utils.functional import SimpleLazyObject

from msp_cases.notifications.selectors import unread_count

from .navigation import nav_items_for

CONTRAST_COOKIE = "msp_contrast"


def layout(request):
    """What every page's layout needs: product name, navigation (with the unread notifications count), timeout
    and contrast settings."""
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    user = getattr(request, "user", None)
    items = nav_items_for(user) if user is not None else []

    # The most specific match is current: "Find a person" over "Caseload", whose prefix is all of enquiries:.
    def match_length(item) -> int:
        return max((len(p) for p in item.prefixes if current.startswith(p)), default=0)

    best = max(items, key=match_length, default=None)
    # Lazy: counted only when a template shows it (the page header), not for every partial rendered with a
    # request, and at most once per render.
    unread = (
        SimpleLazyObject(lambda: unread_count(user=user)) if any(i.shows_unread_count for i in items) else 0
    )
    nav = [
        {
            "text": item.text,
            "href": item.href,
            "current": item is best and match_length(item) > 0,
            "unread": unread if item.shows_unread_count else 0,
        }
        for item in items
    ]
    return {
        "product_name": settings.PRODUCT_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_items": nav,
        "unread_notifications": unread,
        "high_contrast": request.COOKIES.get(CONTRAST_COOKIE) == "high",
        "session_timeout_minutes": settings.SESSION_COOKIE_AGE // 60,
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
