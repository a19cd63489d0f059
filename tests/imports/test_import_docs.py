"""docs/import.md is what an extract is written from: its column tables are the import's own, and the SAC
labels it maps coded values to are the SAC's, verbatim."""

from pathlib import Path

from msp_cases.imports.columns import COLUMNS, KINDS
from msp_cases.imports.reference import column_tables

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_page_lists_every_column_as_the_import_reads_it():
    page = (DOCS / "import.md").read_text()
    assert column_tables() in page, "docs/import.md's column tables differ: write them from column_tables()"
    for kind in KINDS:
        for column in COLUMNS[kind]:
            assert f"| `{column.name}` |" in page


def test_every_sac_label_a_coded_column_takes_is_the_sac_pages_own():
    sac = (DOCS / "sac.md").read_text()
    mapped = [column for kind in KINDS for column in COLUMNS[kind] if column.about.startswith("SAC")]
    assert {column.name for column in mapped} >= {
        "gender",
        "ethnicity",
        "risk_types",
        "action_result",
        "achievement",
    }
    missing = [
        f"{column.name}: {label}"
        for column in mapped
        for _, label in column.choices.choices
        if str(label) not in sac
    ]
    assert missing == []
