"""`{% enquiry_exports enquiry %}`: the exports panel on the enquiry page, without the enquiry view having to
know about exports (one query: the user's recent exports of this case)."""

from django import template
from django.conf import settings

from ..selectors import enquiry_exports_for_user

register = template.Library()


@register.inclusion_tag("exports/_enquiry_exports_panel.html", takes_context=True)
def enquiry_exports(context, enquiry) -> dict:
    request = context["request"]
    return {
        "enquiry": enquiry,
        "recent_exports": enquiry_exports_for_user(user=request.user, enquiry=enquiry),
        "expire_days": settings.EXPORTS_EXPIRE_DAYS,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
