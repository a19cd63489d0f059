"""Every table the SAC return produces is stated in docs/sac.md, label for label and in order: its id and
title (the "### <id> — <title>" heading), its columns ("Columns:"), its rows ("Rows:") and each block the
publication lays out on its own ("Rows under the heading `<heading>`:"). A table the return produces and the
page does not state fails, and a table the page states that the return does not produce fails too."""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from msp_cases.reports.models import SacSubmission
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import ReportScope
from msp_cases.reports.submissions.frozen import figures_frozen, submitted_return

SAC_PAGE = Path(__file__).resolve().parents[2] / "docs" / "sac.md"
TABLE_HEADING = re.compile(r"^### (SG\w+) — (.+)$")
BLOCK = re.compile(r"^Rows under the heading `([^`]+)`:(.*)$", re.DOTALL)
LABELS = re.compile(r"`([^`]+)`")


@dataclass
class Documented:
    id: str
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (first row, heading), as SacTable's


def documented_tables(text: str) -> dict[str, Documented]:
    """The "### SGxx — title" sections of docs/sac.md, each read paragraph by paragraph (a label may wrap at
    the end of a line)."""
    tables: dict[str, Documented] = {}
    current = None
    for paragraph in re.split(r"\n\s*\n", text):
        lines = paragraph.strip().splitlines()
        if not lines:
            continue
        if lines[0].startswith("#"):
            heading = TABLE_HEADING.match(lines[0])
            current = Documented(id=heading[1], title=heading[2]) if heading else None
            if current:
                assert current.id not in tables, f"docs/sac.md states {current.id} twice"
                tables[current.id] = current
            continue
        if current is None:
            continue
        flat = " ".join(line.strip() for line in lines)
        if block := BLOCK.match(flat):
            rows = LABELS.findall(block[2])
            current.sections.append((rows[0], block[1]))
            current.rows.extend(rows)
        elif flat.startswith(("Columns:", "Column:")):
            assert not current.columns, f"{current.id}: two Columns paragraphs"
            current.columns = LABELS.findall(flat.split(":", 1)[1])
        elif flat.startswith("Rows:"):
            assert not current.rows, f"{current.id}: the Rows paragraph must come before its blocks"
            current.rows = LABELS.findall(flat.split(":", 1)[1])
    return tables


def test_the_page_is_read_as_written():
    """The reader on a made-up section: wrapped labels, a block under its heading, other sections ignored."""
    text = """## Intro

### SG9z — A table

Columns: `One`;
`Two`.

Rows: `A`; `B
wrapped`.

Rows under the heading `Of which`:
`C`; `D`.

A note that mentions `E`, not a label.

### Not a table

Rows: `X`.
"""
    assert documented_tables(text) == {
        "SG9z": Documented(
            id="SG9z",
            title="A table",
            columns=["One", "Two"],
            rows=["A", "B wrapped", "C", "D"],
            sections=[("C", "Of which")],
        )
    }


def _any_return():
    # Labels do not depend on the figures: any period and no team will do.
    return sac_return(
        scope=ReportScope(start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31), team_ids=())
    )


@pytest.mark.django_db
def test_every_table_of_the_return_is_documented_label_for_label():
    figures = _any_return()
    documented = documented_tables(SAC_PAGE.read_text())
    produced = [table.id for table in figures.tables]
    assert sorted(set(produced) - set(documented)) == [], "produced by the return, not stated in docs/sac.md"
    assert sorted(set(documented) - set(produced)) == [], "stated in docs/sac.md, not produced by the return"
    assert list(documented) == produced, "docs/sac.md states the tables in another order than the return"
    for table in figures.tables:
        page = documented[table.id]
        assert page.title == table.title, table.id
        assert page.columns == list(table.columns), table.id
        assert page.rows == list(table.rows), table.id
        assert page.sections == [tuple(section) for section in table.sections], table.id


@pytest.mark.django_db
def test_a_submitted_version_keeps_the_blocks_and_their_headings():
    figures = _any_return()
    submission = SacSubmission(
        period_start=figures.scope.start, period_end=figures.scope.end, figures=figures_frozen(figures)
    )
    rebuilt = submitted_return(submission)
    assert [(t.id, t.rows, t.sections) for t in rebuilt.tables] == [
        (t.id, t.rows, t.sections) for t in figures.tables
    ]
    assert rebuilt.table("SG4a").sections
