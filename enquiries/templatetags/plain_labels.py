"""`{{ concern.risk_source|plain_label:"RiskSource" }}`: the plain words for a SAC-coded value, as the forms
label it (enquiries.models.choices.PLAIN_LABELS); "" for no value, so `|default:"Not recorded"` follows."""

from django import template

from ..models import choices

register = template.Library()


@register.filter
def plain_label(value: str, choices_name: str) -> str:
    return choices.plain_label(getattr(choices, choices_name), value)
