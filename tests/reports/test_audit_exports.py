"""The case-file audit results' downloads: the unit asks for the CSV from the page and gets, once the export
has rendered, every figure the page shows (one row per cell); the PDF carries the marking, page numbers and
the figures; a manager's export covers only their team; a practitioner cannot ask for one."""

import csv
import datetime
import io
import subprocess
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from feedback.models import AUDIT_CHECKLIST
from msp_cases.exports.models import Export

from ..feedback.test_audits import _results_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 10, 15, 12, 0, tzinfo=datetime.UTC)
PERIOD = {"from": "2025-04-01", "to": "2025-09-30"}
PAGE = reverse("reports:audits") + "?start_0=1&start_1=4&start_2=2025&end_0=30&end_1=9&end_2=2025&team="


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def results(world):
    _results_data(world)


class _Tables(HTMLParser):
    """The page's tables by id: header cells and each body row's cells, as text."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_cells(html: str) -> set[tuple[str, str, str, str]]:
    """(table caption, "team, quarter", column, value) for every figure on the page, values as the CSV gives
    them: "75%" → "75", "– (applied to none)" → ""."""
    parser = _Tables()
    parser.feed(html)
    captions = {"audit-grades": "Audits and grades", "audit-checklist": "Checklist: % answered Yes"}
    cells = set()
    for table_id, caption in captions.items():
        header, *body = parser.tables[table_id]
        for row in body:
            for column, value in zip(header[2:], row[2:], strict=True):
                value = "" if value.startswith("–") else value.removesuffix("%")
                cells.add((caption, f"{row[0]}, {row[1]}", column, value))
    return cells


def ask(client, django_capture_on_commit_callbacks, kind: str, **params) -> Export:
    """Press the page's button (a POST to exports:request) and let the eager task render it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:request"), {"kind": kind, **PERIOD, **params})
    assert response.status_code == 302
    export = Export.objects.get(kind=kind, requested_by=client.user)
    assert response.url == reverse("exports:detail", args=[export.pk])
    return export


def download(client, export: Export) -> bytes:
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark, for spreadsheet programs
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


@pytest.fixture
def client_of(world, client_for):
    def make(name):
        client = client_for(world.users[name])
        client.user = world.users[name]
        return client

    return make


def test_the_page_offers_both_downloads_with_its_period(world, results, client_of):
    page = client_of("unit").get(PAGE).content.decode()
    assert 'value="audit_results_csv"' in page and 'value="audit_results_pdf"' in page
    assert "Download CSV" in page and "Download PDF" in page
    assert 'name="from" value="2025-04-01"' in page and 'name="to" value="2025-09-30"' in page


def test_the_units_csv_holds_exactly_the_pages_figures(
    world, results, client_of, django_capture_on_commit_callbacks
):
    client = client_of("unit")
    export = ask(client, django_capture_on_commit_callbacks, "audit_results_csv")
    assert export.status == Export.Status.READY
    assert export.filename == "case-file-audits-2025-04-01-to-2025-09-30.csv"

    rows = csv_rows(download(client, export))
    assert rows[0] == ["table", "row", "column", "value"]
    cells = {tuple(row) for row in rows[1:]}
    assert len(cells) == len(rows) - 1  # one row per cell, none twice
    assert cells == page_cells(client.get(PAGE).content.decode())
    # 4 result rows (3 team-quarters and the total) × (audited + 4 grades + 6 checklist items)
    assert len(cells) == 4 * (1 + 4 + len(AUDIT_CHECKLIST))
    assert ("Audits and grades", "All teams shown, Whole period", "Audited", "4") in cells
    assert ("Checklist: % answered Yes", "All teams shown, Whole period", "Part 2", "75") in cells
    assert ("Checklist: % answered Yes", "All teams shown, Whole period", "Advocacy", "100") in cells
    # An item that applied to no audit is empty, not 0.
    assert ("Checklist: % answered Yes", "North Locality, Q1 2025–26 (Apr–Jun 2025)", "Advocacy", "") in cells


def test_the_pdf_is_marked_numbered_and_shows_the_figures(
    world, results, client_of, django_capture_on_commit_callbacks
):
    client = client_of("unit")
    export = ask(client, django_capture_on_commit_callbacks, "audit_results_pdf")
    assert export.status == Export.Status.READY
    content = download(client, export)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of" in text
    assert "Generated by" in text
    assert "1 April 2025 to 30 September 2025, all teams" in text
    assert "All teams shown Whole period 4 1 1 1 1" in text
    assert "75%" in text
    assert "South Locality" in text


def test_a_managers_export_covers_only_their_team(
    world, results, client_of, django_capture_on_commit_callbacks
):
    client = client_of("manager_north")
    export = ask(client, django_capture_on_commit_callbacks, "audit_results_csv")
    rows = csv_rows(download(client, export))
    labels = {row[1] for row in rows[1:]}
    assert labels == {
        "North Locality, Q1 2025–26 (Apr–Jun 2025)",
        "North Locality, Q2 2025–26 (Jul–Sep 2025)",
        "All teams shown, Whole period",
    }
    assert ["Audits and grades", "All teams shown, Whole period", "Audited", "3"] in rows
    assert cells_equal_page(client, rows)

    pdf = ask(client, django_capture_on_commit_callbacks, "audit_results_pdf")
    assert "South Locality" not in pdf_text(download(client, pdf))

    # Asking for another team's figures is "Page not found", and nothing is made.
    response = client.post(
        reverse("exports:request"), {"kind": "audit_results_csv", **PERIOD, "team": str(world.south.pk)}
    )
    assert response.status_code == 404
    assert Export.objects.filter(requested_by=client.user).count() == 2


def cells_equal_page(client, rows) -> bool:
    return {tuple(row) for row in rows[1:]} == page_cells(client.get(PAGE).content.decode())


@pytest.mark.parametrize("kind", ["audit_results_csv", "audit_results_pdf"])
def test_a_practitioner_cannot_ask_for_it(world, results, client_of, kind):
    response = client_of("practitioner_north").post(reverse("exports:request"), {"kind": kind, **PERIOD})
    assert response.status_code == 404
    assert not Export.objects.exists()


def test_a_malformed_period_is_not_found(world, client_of):
    response = client_of("unit").post(
        reverse("exports:request"), {"kind": "audit_results_csv", "from": "not-a-date", "to": "2025-09-30"}
    )
    assert response.status_code == 404
    assert not Export.objects.exists()


def test_the_unit_choosing_one_team_gets_that_teams_figures(
    world, results, client_of, django_capture_on_commit_callbacks
):
    client = client_of("unit")
    export = ask(client, django_capture_on_commit_callbacks, "audit_results_csv", team=str(world.south.pk))
    assert export.params == {**PERIOD, "team": str(world.south.pk)}
    rows = csv_rows(download(client, export))
    assert {row[1] for row in rows[1:]} == {
        "South Locality, Q1 2025–26 (Apr–Jun 2025)",
        "All teams shown, Whole period",
    }
    assert ["Audits and grades", "All teams shown, Whole period", "Outstanding", "1"] in rows


def test_a_period_without_audits_gives_a_header_only_csv_and_says_so_in_the_pdf(
    world, client_of, django_capture_on_commit_callbacks
):
    client = client_of("unit")
    export = ask(client, django_capture_on_commit_callbacks, "audit_results_csv")
    assert csv_rows(download(client, export)) == [["table", "row", "column", "value"]]
    pdf = ask(client, django_capture_on_commit_callbacks, "audit_results_pdf")
    assert "No case files of these teams were audited in this period." in pdf_text(download(client, pdf))
