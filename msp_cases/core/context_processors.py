from django.conf import settings

from .navigation import nav_items_for

CONTRAST_COOKIE = "msp_contrast"


def layout(request):
    """What every page's layout needs: product name, navigation, timeout and contrast settings."""
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    user = getattr(request, "user", None)
    nav = [
        {"text": item.text, "href": item.href, "current": current.startswith(item.prefixes)}
        for item in (nav_items_for(user) if user is not None else [])
    ]
    return {
        "product_name": settings.PRODUCT_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_items": nav,
        "high_contrast": request.COOKIES.get(CONTRAST_COOKIE) == "high",
        "session_timeout_minutes": settings.SESSION_COOKIE_AGE // 60,
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
