"""Every PDF the product makes is tagged (PDF/UA-1), so a screen reader user gets the document and not a
stream of words: `pdfinfo` says "Tagged: yes", the title is the document's own (not the file name), the
language is British English, headings go h1 → h2 → h3 without a gap, every table cell is tied to its column
and row headers, and a table's header row is repeated on each page it runs onto, never left alone at the foot
of a page with its heading or caption.

One of each kind the export registry knows (a new PDF kind is picked up here as soon as it is registered),
plus the blank easy-read forms the blank_form_pdf command prints. `pdfinfo -struct-text` prints the tag tree
in the order a screen reader reads it."""

import datetime
import io
import itertools
import logging
import re
import subprocess
import zipfile
import zlib

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.utils import timezone

from enquiries.models import PlanAction
from msp_cases.core.pdf import html_to_pdf
from msp_cases.exports import registry
from msp_cases.exports.models import Export
from msp_cases.letters.models import LetterTemplate
from msp_cases.letters.pdf import letter_pdf
from msp_cases.letters.placeholders import fill
from msp_cases.letters.selectors import letter_values
from msp_cases.subject_access.models import SubjectAccessRequest
from tests.exports.conftest import filled_case  # noqa: F401 (a fixture: a case with words, a plan, a decision)
from tests.feedback.test_audits import _results_data

PDF_KINDS = sorted(key for key, kind in registry.REGISTRY.items() if kind.content_type == "application/pdf")
BLANK_FORMS = ["blank_part1", "blank_part2"]
# A letter made from each format of template (msp_cases.letters), filled in from the case.
LETTERS = ["letter_plain", "letter_easy_read"]
# PDFs inside a ZIP export: the subject access pack's index and the person's record.
PACK_PDFS = ["subject_access_index", "subject_access_record"]
PERIOD = {"from": "2025-04-01", "to": "2025-09-30"}


# What the PDF tools say ------------------------------------------------------------------------------------


def pdfinfo(content: bytes, *options: str) -> str:
    return subprocess.run(
        ["pdfinfo", *options, "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def info(content: bytes) -> dict[str, str]:
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in pdfinfo(content).splitlines())
    }


def tags(content: bytes) -> list[tuple[str, str]]:
    """The tag tree in reading order as (tag, text): each element with the words directly inside it."""
    out = []
    for line in pdfinfo(content, "-struct-text").splitlines():
        stripped = line.strip()
        if stripped.startswith('"'):
            if out:
                out[-1] = (out[-1][0], out[-1][1] + stripped.strip('"'))
        elif stripped and not stripped.startswith("/"):
            out.append((stripped.split()[0].rstrip(":"), ""))
    return out


def tagged_text(content: bytes) -> list[str]:
    """The words of the tag tree, in the order a screen reader reads them."""
    return [text for _tag, text in tags(content) if text.strip()]


def headings(content: bytes) -> list[tuple[int, str]]:
    """(level, words) of every heading, in order; a heading's words may sit in its child spans."""
    lines = pdfinfo(content, "-struct-text").splitlines()
    found = []
    for i, line in enumerate(lines):
        match = re.fullmatch(r"(\s*)H([1-6]) \(block\)", line)
        if match:
            depth = len(match.group(1))
            words = []
            for following in lines[i + 1 :]:
                if len(following) - len(following.lstrip()) <= depth:
                    break
                if following.strip().startswith('"'):
                    words.append(following.strip().strip('"'))
            found.append((int(match.group(2)), " ".join(" ".join(words).split())))
    return found


def table_cells(content: bytes) -> list[str]:
    """Each data cell's header ids, e.g. '/Headers [(42-1-0) (42-0-1)]' (empty: tied to no header)."""
    return re.findall(r"/Headers \[(.*?)\]", pdfinfo(content, "-struct-text"))


def catalog_entry(content: bytes, name: bytes) -> bytes | None:
    """An entry of the PDF's catalogue (usually kept in a compressed object stream), e.g. /Lang."""
    # Each stream read by its own /Length: a search for the next "endstream" can start inside another
    # stream's compressed bytes, which may hold "stream" by chance.
    for found in re.finditer(rb"/Length (\d+)[^>]*>>\s*stream\r?\n", content):
        stream = content[found.end() : found.end() + int(found.group(1))]
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            continue
        match = re.search(rb"/Type /Catalog.*?" + re.escape(name) + rb" \((.*?)\)", text, re.S)
        if match:
            return match.group(1)
    # A catalogue written outside any object stream.
    match = re.search(rb"/Type /Catalog[^>]*?" + re.escape(name) + rb" \((.*?)\)", content)
    return match.group(1) if match else None


def page_text(content: bytes, page: int) -> str:
    """The words of one page as laid out (a table row on one line), runs of spaces and lines as one space."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout
    return " ".join(out.decode().split())


def page_count(content: bytes) -> int:
    return int(info(content)["Pages"])


# One of each PDF -------------------------------------------------------------------------------------------


def make_letter(key: str, case) -> bytes:
    template = LetterTemplate.objects.get(
        purpose=LetterTemplate.Purpose.AFTER_FIRST_CONVERSATION, format=key.removeprefix("letter_")
    )
    values = letter_values(user=case.lead_practitioner, enquiry=case)
    return letter_pdf(
        heading=fill(template.heading, values),
        text=fill(template.body, values),
        recipient_name=values["person_name"],
        recipient_address="1 Station Road\nNorthtown",
        team_name=case.team.name,
        easy_read=template.format == LetterTemplate.Format.EASY_READ,
    )


def make_pdf(key: str, world, case) -> bytes:
    if key in LETTERS:
        return make_letter(key, case)
    kind = registry.get(key)
    if kind.needs_enquiry:
        export = Export(kind=key, params={}, requested_by=case.lead_practitioner, enquiry=case)
    else:
        export = Export(kind=key, params=dict(PERIOD), requested_by=world.users["unit"])
    return kind.render(export)


TITLES = {
    "case_summary": "Case summary – enquiry {pk}",
    "experience_part1": "My Safeguarding Experience – Part 1",
    "experience_part2": "My Safeguarding Experience – Part 2",
    "safeguarding_plan": "My safeguarding plan",
    "sac_return_pdf": "SAC return",
    "audit_results_pdf": "Case-file audits",
    "msp_measures_pdf": "Making Safeguarding Personal",
    "experience_measures_pdf": "My Safeguarding Experience (Part 2)",
    "timeliness_measures_pdf": "Timeliness",
    "blank_part1": "My Safeguarding Experience – Part 1",
    "blank_part2": "My Safeguarding Experience – Part 2",
    "subject_access_index": "Subject access pack – index",
    "subject_access_record": "Subject access pack – the person’s record",
    "letter_plain": "What you told us matters to you",
    "letter_easy_read": "What you told us",
}


def pack_pdf(key: str, world, case) -> bytes:
    """A PDF from a subject access pack about the case's person, produced by the unit lead."""
    lead = world.users["unit_lead"]
    request = SubjectAccessRequest.objects.create(
        person=case.person,
        reference="SAR-1",
        received_on=datetime.date(2026, 3, 2),
        due_on=datetime.date(2026, 4, 2),
        reason="Letter from the person",
        requested_by=lead,
        requested_at=timezone.now(),
    )
    export = Export(
        kind="subject_access_pack",
        params={"person": case.person_id, "request": request.pk},
        requested_by=lead,
    )
    archive = zipfile.ZipFile(io.BytesIO(registry.get("subject_access_pack").render(export)))
    return archive.read({"subject_access_index": "index.pdf", "subject_access_record": "record.pdf"}[key])


def test_every_pdf_the_product_makes_is_checked_here():
    """A PDF kind registered later (a letter, say) must be given its title here, so it is checked too."""
    assert set(PDF_KINDS) | set(BLANK_FORMS) | set(PACK_PDFS) | set(LETTERS) == set(TITLES)
    assert {"case_summary", "sac_return_pdf", "safeguarding_plan", "audit_results_pdf"} <= set(PDF_KINDS)


@pytest.mark.parametrize("key", PDF_KINDS + BLANK_FORMS + PACK_PDFS + LETTERS)
def test_every_pdf_is_tagged_with_its_title_and_language_and_headings_in_order(
    key,
    world,
    filled_case,  # noqa: F811
    tmp_path,
    caplog,
):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    if key == "audit_results_pdf":  # audits in the period, so the PDF has its tables, not just "no audits"
        with time_machine.travel(datetime.datetime(2025, 10, 15, 12, tzinfo=datetime.UTC), tick=False):
            _results_data(world)
    if key in BLANK_FORMS:
        path = tmp_path / f"{key}.pdf"
        call_command("blank_form_pdf", key.removeprefix("blank_"), str(path))
        content = path.read_bytes()
    elif key in PACK_PDFS:
        content = pack_pdf(key, world, filled_case)
    else:
        content = make_pdf(key, world, filled_case)

    # WeasyPrint says at ERROR what breaks PDF/UA (an image without alternative text, no language).
    assert [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("weasyprint") and r.levelno >= logging.ERROR
    ] == []
    about = info(content)
    assert about["Tagged"] == "yes"
    assert about["Title"] == TITLES[key].format(pk=filled_case.pk)
    assert catalog_entry(content, b"/Lang") == b"en-GB"  # read aloud in a British English voice
    assert 'pdfuaid:part="1"' in pdfinfo(content, "-meta")  # says it is PDF/UA-1

    levels = [level for level, _words in headings(content)]
    assert levels[0] == 1 and levels.count(1) == 1, headings(content)
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), headings(content)  # no gap

    # Every figure in a table is read with its headers ("18-64, Individuals involved in ..., 0").
    assert all(cell.strip() for cell in table_cells(content))
    # The marking in the margins is not read out on every page, but once, before the document itself.
    words = tagged_text(content)
    if key in LETTERS:  # a letter starts as a letter does: who it is from, then who it is to
        assert words[:2] == [
            filled_case.team.name,
            filled_case.person.given_name + " " + filled_case.person.family_name,
        ]
    elif key not in BLANK_FORMS:
        assert words[0] == "OFFICIAL-SENSITIVE" and words[1] == " · "
    assert words.count("OFFICIAL-SENSITIVE") <= 1


def test_the_sac_return_reads_each_figure_with_its_row_and_column(world):
    content = make_pdf("sac_return_pdf", world, None)
    tree = tags(content)
    caption = tree.index(("Span", "SG1a: Individuals by age"))
    reading = [text for _tag, text in tree[caption : caption + 40] if text]
    # The caption, the column headers, then row by row: the row's label and its figures.
    assert reading[:9] == [
        "SG1a: Individuals by age",
        "Category",
        "Individuals involved in",
        "Safeguarding Concerns",
        "Individuals involved in Section 42",
        "Safeguarding Enquiries",
        "Individuals involved in Other",
        "Safeguarding Enquiries",
        "18-64",
    ]
    structure = pdfinfo(content, "-struct-text")
    first_row = re.search(r'TH <(\S+)>\s+Span \(inline\)\s+"18-64"', structure).group(1)
    first_column = re.search(r'TH <(\S+)>\s+Span \(inline\)\s+"Individuals involved in"', structure).group(1)
    assert f"/Headers [({first_row}) ({first_column})]" in structure


def test_the_audit_results_read_each_figure_with_its_team_quarter_and_column(world):
    with time_machine.travel(datetime.datetime(2025, 10, 15, 12, tzinfo=datetime.UTC), tick=False):
        _results_data(world)
    cells = table_cells(make_pdf("audit_results_pdf", world, None))
    assert cells and all(
        len(cell.split()) == 3 for cell in cells
    )  # "North Locality", "Q1 2025–26 (Apr–Jun 2025)", "Good"


def test_the_case_summary_reads_its_facts_as_label_and_value(world, filled_case):  # noqa: F811
    content = make_pdf("case_summary", world, filled_case)
    reading = tagged_text(content)
    team = reading.index("Team")
    assert reading[team : team + 2] == ["Team", "North Locality"]
    structure = pdfinfo(content, "-struct-text")
    team_header = re.search(r'TH <(\S+)>\s+Span \(inline\)\s+"Team"', structure).group(1)
    assert f'/Headers [({team_header})]\n          Span (inline)\n            "North Locality"' in structure


def test_a_long_plan_repeats_its_header_row_on_every_page(world, filled_case):  # noqa: F811
    lead = filled_case.lead_practitioner
    for n in range(45):
        PlanAction.objects.create(
            enquiry=filled_case,
            what=f"Plan step {n}: ring the bank and the GP surgery with her",
            who="Priya Shah",
            due_on=timezone.localdate() + datetime.timedelta(days=n),
            agreed_with_person=True,
            created_by=lead,
        )
    content = make_pdf("case_summary", world, filled_case)
    pages_with_steps = [p for p in range(1, page_count(content) + 1) if "Plan step" in page_text(content, p)]
    assert len(pages_with_steps) >= 2
    for page in pages_with_steps:
        assert "What Who By when Agreed with them Status" in page_text(content, page), page
    # The heading is on the page where the table starts, not alone at the foot of the one before.
    first = pages_with_steps[0]
    assert "Safeguarding plan What Who By when" in page_text(content, first)
    # The tags are built page by page: each page's part of the table is a table with its own header row, so a
    # step on the last page is still read with "What", "Who", "By when".
    assert tagged_text(content).count("Agreed with them") == len(pages_with_steps)
    structure = pdfinfo(content, "-struct-text")
    last_step = structure.index('"Plan step 44:')
    last_header = structure.rindex('"What"', 0, last_step)
    what = re.findall(
        r'TH <(\S+)>\s+Span \(inline\)\s+"What"', structure[last_header - 80 : last_header + 10]
    )
    assert f"/Headers [({what[0]})]" in structure[last_header:last_step]


# The layout every PDF shares (templates/pdf/base.html) -----------------------------------------------------

SWEEP = engines["django"].from_string(
    """{% extends "pdf/base.html" %}{% block title %}Layout{% endblock %}{% block body %}<h1>Layout</h1>
{% for line in lines %}<p>Filler paragraph {{ line }}.</p>{% endfor %}
<h2>Heading before a table</h2>
<table><caption>The table's caption</caption>
<thead><tr><th scope="col">First column</th><th scope="col">Second column</th></tr></thead>
<tbody>{% for row in rows %}<tr><th scope="row">Row {{ row }}</th><td>figure {{ row }}</td></tr>{% endfor %}
</tbody>
</table>{% endblock %}"""
)


def sweep_pdf(lines: int, rows: int = 60) -> bytes:
    html = SWEEP.render({"lines": range(lines), "rows": range(rows)})
    return html_to_pdf(html, base_url=str(settings.BASE_DIR))


@pytest.mark.parametrize("lines", range(18, 34))
def test_a_heading_and_caption_are_never_left_alone_at_the_foot_of_a_page(lines):
    """Filler pushes the heading down the first page a little further each time, through the page's foot:
    wherever it lands, the heading, the caption, the header row and the first row are on one page."""
    content = sweep_pdf(lines)
    pages = [page_text(content, p) for p in range(1, page_count(content) + 1)]
    (heading_page,) = [text for text in pages if "Heading before a table" in text]
    assert (
        "Heading before a table The table's caption First column Second column Row 0 figure 0" in heading_page
    )
    for text in pages:
        if "figure" in text:
            assert "First column Second column" in text  # the header row on each page the table runs onto
