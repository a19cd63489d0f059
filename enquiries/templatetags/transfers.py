"""`{% concern_transfers concern %}`: on the concern page, the enquiry it joined, where it was sent from,
a transfer waiting, and the links to add it to an open enquiry or ask for a transfer."""

from django import template

from ..selectors.transfers import concern_panel_context

register = template.Library()


@register.inclusion_tag("enquiries/transfers/_concern_panel.html", takes_context=True)
def concern_transfers(context, concern) -> dict:
    return concern_panel_context(user=context["request"].user, concern=concern)
