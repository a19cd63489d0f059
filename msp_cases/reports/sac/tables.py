"""A SAC table and the whole return, as the page, the CSV, the JSON and the PDF read them."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..scope import ReportScope
from .suppression import NOT_APPLICABLE, shown

NOT_RECORDED = "Not recorded"
TOTAL = "Total"


@dataclass(frozen=True)
class SacTable:
    id: str
    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]  # cells[row][column]
    notes: tuple[str, ...] = ()
    # Groups of rows the publication shows as "[x]" (not applicable) when every cell of the group is 0: SG4a's
    # "were they asked" rows, and its achievement rows.
    blocks: tuple[tuple[int, ...], ...] = ()
    # Parts of a table the publication lays out as blocks of their own, each under a heading: (the label of
    # the block's first row, its heading). SG3a's support and SG4a's achievement.
    sections: tuple[tuple[str, str], ...] = ()

    def cell(self, row: str, column: str) -> int:
        return self.cells[self.rows.index(row)][self.columns.index(column)]

    def flat(self):
        """(row label, column label, value) for every cell, in reading order."""
        for row, values in zip(self.rows, self.cells, strict=True):
            for column, value in zip(self.columns, values, strict=True):
                yield row, column, value

    def shown_cells(self, *, suppress: bool = False) -> list[list[int | str]]:
        """Every cell as the return shows it: the count, or under disclosure control "[c]", the count to the
        nearest 5, or "[x]" for a block of rows that is all zeros."""
        if not suppress:
            return [list(values) for values in self.cells]
        empty = {i for block in self.blocks if not any(any(self.cells[i]) for i in block) for i in block}
        return [
            [NOT_APPLICABLE if i in empty else shown(v, suppress=True) for v in values]
            for i, values in enumerate(self.cells)
        ]

    def display(self, *, suppress: bool = False) -> list[tuple[str, list[int | str]]]:
        return list(zip(self.rows, self.shown_cells(suppress=suppress), strict=True))


@dataclass(frozen=True)
class SacReturn:
    scope: ReportScope
    tables: tuple[SacTable, ...] = field(default_factory=tuple)

    def table(self, table_id: str) -> SacTable:
        return next(t for t in self.tables if t.id == table_id)

    def rows(self, *, suppress: bool = False):
        """One row per cell, as the CSV and the JSON give them: (table, row, column, value shown)."""
        for table in self.tables:
            for row, values in table.display(suppress=suppress):
                for column, value in zip(table.columns, values, strict=True):
                    yield table.id, row, column, value

    def as_dict(self, *, suppress: bool = False) -> dict:
        return {
            "period": {"from": self.scope.start.isoformat(), "to": self.scope.end.isoformat()},
            "team": self.scope.team.name if self.scope.team else None,
            "suppressed": suppress,
            "tables": [
                {
                    "id": t.id,
                    "title": t.title,
                    "rows": list(t.rows),
                    "columns": list(t.columns),
                    "cells": t.shown_cells(suppress=suppress),
                    "notes": list(t.notes),
                    "sections": [list(section) for section in t.sections],
                }
                for t in self.tables
            ],
        }


def aggregate(queryset: QuerySet, counts: dict) -> dict:
    """`queryset.aggregate(**counts)` for keys that are labels (SQL aliases may not contain spaces)."""
    aliases = {f"n{i}": key for i, key in enumerate(counts)}
    result = queryset.aggregate(**{alias: counts[key] for alias, key in aliases.items()})
    return {key: result[alias] for alias, key in aliases.items()}
