"""`{% record_documents record %}`: the documents panel on a page whose view knows nothing of documents
(the concern and conversation pages): the list the user may see and the link to add one."""

from django import template

from ..panels import record_panel_context

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def record_documents(context, record):
    return {"documents_panel": record_panel_context(user=context["request"].user, record=record)}
