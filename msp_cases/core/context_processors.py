from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import nav_items_for, registered_nav_items

CONTRAST_COOKIE = "msp_contrast"


def layout(request):
    """What every page's layout needs: product name, navigation (with its counts, such as unread
    notifications), timeout and contrast settings."""
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
    counts = {item.count_name: 0 for item in registered_nav_items() if item.count is not None}
    for item in items:
        if item.count is not None:
            counts[item.count_name] = SimpleLazyObject(lambda count=item.count: count(user=user))
    nav = [
        {
            "text": item.text,
            "href": item.href,
            "current": item is best and match_length(item) > 0,
            "unread": counts[item.count_name] if item.count is not None else 0,
        }
        for item in items
    ]
    return {
        "product_name": settings.PRODUCT_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_items": nav,
        **counts,
        "high_contrast": request.COOKIES.get(CONTRAST_COOKIE) == "high",
        "session_timeout_minutes": settings.SESSION_COOKIE_AGE // 60,
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
