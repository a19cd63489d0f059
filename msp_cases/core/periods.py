"""Periods the service counts in, shared by every app that reports or samples over a year."""

import datetime


def financial_year(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The financial year (1 April – 31 March) containing `day`."""
    first = day.year if day.month >= 4 else day.year - 1
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


def quarter_name(day: datetime.date) -> str:
    """The financial quarter containing `day` as every report names it: its number, the financial year and
    its months, "Q1 2026–27 (Apr–Jun 2026)" (Q1 April–June … Q4 January–March)."""
    first_month = ((day.month - 1) // 3) * 3 + 1
    number = {4: 1, 7: 2, 10: 3, 1: 4}[first_month]
    year_start, _ = financial_year(day)
    first, last = datetime.date(day.year, first_month, 1), datetime.date(day.year, first_month + 2, 1)
    return f"Q{number} {year_start.year}–{(year_start.year + 1) % 100:02d} ({first:%b}–{last:%b %Y})"
