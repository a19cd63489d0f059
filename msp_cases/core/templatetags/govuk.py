"""Small template helpers for GOV.UK Design System markup."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def page_title(context, title: str) -> str:
    """'<page> – MSP Cases', with 'Error: ' in front when the page shows a form with errors, as the
    GOV.UK error summary pattern asks."""
    form = context.get("form")
    prefix = "Error: " if form is not None and getattr(form, "errors", None) else ""
    return f"{prefix}{title} – {context.get('product_name', 'MSP Cases')}"


@register.filter
def status_tag_colour(status: str) -> str:
    return {
        "open": "govuk-tag--blue",
        "in_progress": "govuk-tag--light-blue",
        "proposed_for_closure": "govuk-tag--yellow",
        "closed": "govuk-tag--grey",
        "pending": "govuk-tag--orange",
        "section_42": "govuk-tag--green",
        "other_enquiry": "govuk-tag--turquoise",
        "no_further_action": "govuk-tag--grey",
    }.get(status, "")


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "")


@register.simple_tag
def error_anchor(bound_field, field_id: str) -> str:
    """Where an error-summary link should land. Radios and checkbox groups have no element with the field's
    own id (crispy-forms-gds numbers the options from 1), so link to the first option, as GOV.UK advises."""
    widget = bound_field.field.widget
    if getattr(widget, "input_type", "") in ("radio", "checkbox") and hasattr(widget, "choices"):
        return f"id_{bound_field.html_name}_1"
    return field_id


@register.simple_block_tag
def table_scroll(content: str, *, label: str = "", labelled_by: str = "") -> str:
    """Wrap a data table in a focusable, named region that scrolls sideways on a narrow screen, so the page
    never does: `{% table_scroll label="Caption" %}<table ...>{% endtable_scroll %}`, or `labelled_by="id"`
    naming the caption or heading that already says what the table is. The markup is in
    includes/table_scroll.html, the only template that writes it."""
    if not (label or labelled_by):
        raise template.TemplateSyntaxError("table_scroll needs a label or labelled_by, for the region's name")
    return render_to_string(
        "includes/table_scroll.html", {"content": content, "label": label, "labelled_by": labelled_by}
    )
