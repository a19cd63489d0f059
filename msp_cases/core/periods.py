"""Periods the service counts in, shared by every app that reports or samples over a year."""

import datetime


def financial_year(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The financial year (1 April – 31 March) containing `day`."""
    first = day.year if day.month >= 4 else day.year - 1
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)
