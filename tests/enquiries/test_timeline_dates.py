"""The enquiry page writes its dates itself (enquiries/templatetags/timeline.py) for speed: the same text
Django's `date` filter gave, in winter and in summer time, for datetimes and for days."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")

MOMENTS = [
    datetime.datetime(2026, 1, 5, 9, 7, 3, tzinfo=UTC),  # winter: local = UTC, single-digit day
    datetime.datetime(2026, 7, 31, 23, 30, tzinfo=UTC),  # summer time: 00:30 on 1 August locally
    datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the last minute before the clocks go forward
    datetime.datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # the hour the clocks go back
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]
DAYS = [datetime.date(2026, 1, 1), datetime.date(2026, 6, 9), datetime.date(999, 12, 25)]


def render(source: str, value) -> str:
    return Template("{% load timeline %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_a_moment_reads_as_the_date_filter_wrote_it(moment, settings):
    settings.TIME_ZONE = "Europe/London"
    with timezone.override(LONDON):
        expected = render(
            """<time datetime="{{ value|date:'c' }}">{{ value|date:"j F Y \\a\\t H:i" }}</time>""", moment
        )
        assert render("{{ value|time_element }}", moment) == expected
        assert render("{{ value|long_date }}", moment) == render('{{ value|date:"j F Y" }}', moment)
        assert render("{{ value|short_date }}", moment) == render('{{ value|date:"j M Y" }}', moment)


def test_an_example_a_reader_can_check():
    with timezone.override(LONDON):
        moment = datetime.datetime(2026, 7, 31, 23, 30, tzinfo=UTC)
        assert render("{{ value|time_element }}", moment) == (
            '<time datetime="2026-08-01T00:30:00+01:00">1 August 2026 at 00:30</time>'
        )


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_day_reads_as_the_date_filter_wrote_it(day):
    expected = render("""<time datetime="{{ value|date:'Y-m-d' }}">{{ value|date:"j F Y" }}</time>""", day)
    assert render("{{ value|time_element }}", day) == expected
    assert render("{{ value|long_date }}", day) == render('{{ value|date:"j F Y" }}', day)
    assert render("{{ value|short_date }}", day) == render('{{ value|date:"j M Y" }}', day)


def test_no_date_is_nothing():
    assert render("{{ value|time_element }}{{ value|long_date }}{{ value|short_date }}", None) == ""


def test_month_names_follow_the_language_as_the_date_filter_does():
    with translation.override("fr"):
        day = datetime.date(2026, 2, 3)
        assert render("{{ value|long_date }}", day) == render('{{ value|date:"j F Y" }}', day)
        assert render("{{ value|short_date }}", day) == render('{{ value|date:"j M Y" }}', day)
