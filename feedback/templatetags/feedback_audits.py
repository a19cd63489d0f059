"""The enquiry page's case-file audit panel loads its own data, so the enquiry view needs no change."""

from django import template

from feedback.audits.selectors import enquiry_audits

register = template.Library()


@register.simple_tag(takes_context=True)
def enquiry_audits_for(context, enquiry):
    request = context.get("request")
    if request is None:
        return None
    return enquiry_audits(user=request.user, enquiry=enquiry)
