"""`{{ label|quarter_lines }}`: a quarter's name (msp_cases.core.periods.quarter_name) that wraps, where a
column is narrow, only between its two halves: "Q1 2026–27" over "(Apr–Jun 2026)". Any other label as it
is."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def quarter_lines(label: str) -> str:
    number_and_year, found, months = str(label).partition(" (")
    if not found:
        return label
    return format_html(
        '<span class="app-nowrap">{}</span> <span class="app-nowrap">({}</span>', number_and_year, months
    )
