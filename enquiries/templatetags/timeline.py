"""Dates on the enquiry timeline, written as `|date` writes them, at a fraction of its cost.

A long timeline shows about a thousand dates. Django's `date` filter reads its format string character by
character on every call (about 40 µs for "j F Y \\a\\t H:i"), which made the dates alone more than a tenth
of a long enquiry page's time. These filters write the same text directly: the day without a leading zero,
the month's name as `MONTHS` translates it, the year, and the local time as hours and minutes."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

register = template.Library()


def _local(value: datetime.date) -> datetime.date:
    """A datetime in the current time zone (as templates show it); a date as it is."""
    if isinstance(value, datetime.datetime):
        return timezone.template_localtime(value)
    return value


def _day(value: datetime.date) -> str:
    return f"{value.day} {MONTHS[value.month]!s} {value.year:04d}"


@register.filter
def long_date(value: datetime.date | None) -> str:
    """The day as `|date:"j F Y"` writes it ("6 December 2026"); "" for no date."""
    if not value:
        return ""
    return _day(_local(value))


@register.filter
def short_date(value: datetime.date | None) -> str:
    """The day as `|date:"j M Y"` writes it ("6 Dec 2026"), for tables; "" for no date."""
    if not value:
        return ""
    local = _local(value)
    return f"{local.day} {str(MONTHS_3[local.month]).title()} {local.year:04d}"


@register.filter
def time_element(value: datetime.date | None) -> str:
    """`<time datetime="…">6 December 2026 at 14:05</time>` for a datetime (`|date:"c"` and
    `|date:"j F Y \\a\\t H:i"`), or `<time datetime="2026-12-06">6 December 2026</time>` for a date."""
    if not value:
        return ""
    local = _local(value)
    if isinstance(local, datetime.datetime):
        shown = f"{_day(local)} at {local.hour:02d}:{local.minute:02d}"
    else:
        shown = _day(local)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), shown)


def _lines(value: str) -> str:
    """`value|linebreaksbr`: escaped, each line break a <br>."""
    return escape(normalize_newlines(value)).replace("\n", "<br>")


def _said(label: str, text: str) -> str:
    return f'<p class="govuk-body"><strong>{label}</strong> {_lines(text)}</p>'


def _conversation_parts(entry) -> list[str]:
    """What the timeline shows of a conversation or of an amendment to one (a ConversationLog), as HTML."""
    parts = []
    if entry.method or entry.location:
        where = f" · {escape(entry.location)}" if entry.location else ""
        parts.append(
            f'<p class="govuk-body-s govuk-!-margin-bottom-2">{escape(entry.get_method_display())}{where}</p>'
        )
    if entry.what_matters:
        parts.append(_said("What matters to the person:", entry.what_matters))
    if entry.wants_to_happen:
        parts.append(_said("What they want to happen:", entry.wants_to_happen))
    if entry.decisions:
        made_by = escape(str(entry.get_decision_made_by_display()).lower())
        parts.append(
            f'<p class="govuk-body"><strong>Decisions made</strong> ({made_by}): '
            f"{_lines(entry.decisions)}</p>"
        )
    if entry.decision_made_by == "against_wishes" and entry.against_wishes_reason:
        parts.append(_said("Why against the person’s wishes:", entry.against_wishes_reason))
    if entry.next_contact_on:
        how = f", {escape(entry.next_contact_how)}" if entry.next_contact_how else ""
        parts.append(
            '<p class="govuk-body"><strong>Next contact agreed:</strong> '
            f"{long_date(entry.next_contact_on)}{how}</p>"
        )
    return parts


@register.simple_tag
def conversation_entry(item) -> str:
    """A conversation on the timeline, with its amendments under it (a correction never hides what was first
    recorded). Written here rather than as an included template: it is the timeline's most numerous item (a
    long enquiry has hundreds) and the template cost five times as much per entry as this."""
    obj = item.obj
    whom = obj.with_whom
    title = f" with {escape(', '.join(whom))}" if whom else ""
    # Such as "Imported from Mosaic" (enquiries.panels.ConversationTag).
    tags = "".join(
        f'<strong class="govuk-tag govuk-tag--grey">{escape(tag)}</strong>'
        for tag in item.extra.get("tags", ())
    )
    amendments = "".join(
        f'<div class="govuk-inset-text" data-amendment="{amendment.pk}">'
        f'<p class="govuk-body"><strong>Amended on {long_date(amendment.recorded_at)} by '
        f"{escape(amendment.recorded_by)}:</strong> {_lines(amendment.amendment_reason)}</p>"
        + "".join(_conversation_parts(amendment))
        + "</div>"
        for amendment in obj.amendments_list
    )
    return mark_safe(  # noqa: S308 -- every value above is escaped as it is written in
        '<div class="moj-timeline__item" data-kind="conversation">'
        '<div class="moj-timeline__header">'
        f'<h3 class="moj-timeline__title">Conversation{title}</h3>'
        f"{tags}"
        f'<p class="moj-timeline__byline">recorded by {escape(obj.recorded_by)}</p>'
        "</div>"
        f'<p class="moj-timeline__date">{time_element(item.at)}</p>'
        '<div class="moj-timeline__description">'
        + "".join(_conversation_parts(obj))
        + amendments
        + f'<p class="govuk-body"><a class="govuk-link" href="{escape(item.extra["url"])}">'
        f'View the conversation<span class="govuk-visually-hidden"> of {long_date(obj.occurred_at)}</span>'
        "</a></p>"
        "</div></div>"
    )
