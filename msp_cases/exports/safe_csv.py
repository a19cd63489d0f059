"""The one way the product writes CSV: cells that a spreadsheet would run as a formula are written as text.

A team named `=HYPERLINK("http://x","y")` or a note starting "@SUM(" would otherwise run in the recipient's
spreadsheet (CSV injection). As OWASP advises, a text cell that starts with = + - @, a tab or a carriage
return gets a single quote in front, which spreadsheets show as text. Numbers stay numbers: a count, a
percentage, "-5" or "-" alone are written as they are. tests/test_csv_safety.py checks that no other module
calls csv.writer or csv.DictWriter."""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def neutralise_cell(value: Any) -> Any:
    """`value`, with a single quote in front if it is text a spreadsheet would take for a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if value == "-" or _NUMBER.fullmatch(value):
        return value
    return "'" + value


class SafeWriter:
    """csv.writer's writerow / writerows, every cell neutralised."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(out, **kwargs) -> SafeWriter:
    """Use instead of csv.writer(out, **kwargs)."""
    return SafeWriter(out, **kwargs)
