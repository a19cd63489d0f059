"""The periods figures are grouped by: financial quarters, clipped to a report's period."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Value, When
from django.utils import timezone

from msp_cases.core.periods import quarter_name


@dataclass(frozen=True)
class Quarter:
    """A financial quarter (Q1 April–June … Q4 January–March), clipped to the report's period. `label`: the
    whole quarter's name (msp_cases.core.periods.quarter_name), clipped or not."""

    label: str
    start: datetime.date
    end: datetime.date

    @property
    def end_before(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min)
        )


def quarters(start: datetime.date, end: datetime.date) -> list[Quarter]:
    """The financial quarters that overlap [start, end], in order, each clipped to the period. Financial
    quarters fall on calendar quarters: Q1 April–June, Q2 July–September, Q3 October–December,
    Q4 January–March."""
    result = []
    year, month = start.year, ((start.month - 1) // 3) * 3 + 1
    while (q_start := datetime.date(year, month, 1)) <= end:
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
        q_end = datetime.date(year, month, 1) - datetime.timedelta(days=1)
        result.append(Quarter(label=quarter_name(q_start), start=max(q_start, start), end=min(q_end, end)))
    return result


def quarter_index(field_name: str, periods: list[Quarter]) -> Case:
    """Which quarter a row falls in, by one of its times (rows already limited to the period)."""
    whens = [When(**{f"{field_name}__lt": q.end_before}, then=Value(i)) for i, q in enumerate(periods[:-1])]
    return Case(*whens, default=Value(len(periods) - 1))
