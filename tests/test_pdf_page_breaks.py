"""A table's heading never sits alone at the foot of a page, in the PDFs with the longest tables: the case
summary with a long safeguarding plan, and the SAC return. templates/pdf/base.html keeps headings and
captions with what follows (`break-after: avoid`), rows whole (`break-inside: avoid`) and repeats a table's
header row (`thead { display: table-header-group }`); tests/test_pdf_tagged.py sweeps a heading through a
page's foot. Here, page by page as pdftotext lays it out, the last line of each page's body is never one
of the document's headings, and every page a table runs onto starts with its header row."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from enquiries.models import PlanAction
from tests.exports.conftest import filled_case  # noqa: F401 (a fixture: a case with words, a plan, a decision)
from tests.test_pdf_tagged import headings, make_pdf, page_count

pytestmark = pytest.mark.django_db


def body_lines(content: bytes, page: int) -> list[str]:
    """The page's lines as laid out, without the marking, running title and page number in its margins."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    lines = [" ".join(line.split()) for line in out.splitlines()]
    return [line for line in lines if line and "OFFICIAL-SENSITIVE" not in line and "Page " not in line]


def long_plan(case, steps: int = 45) -> None:
    for n in range(steps):
        PlanAction.objects.create(
            enquiry=case,
            what=f"Plan step {n}: ring the bank and the GP surgery with her",
            who="Priya Shah",
            due_on=timezone.localdate() + datetime.timedelta(days=n),
            agreed_with_person=True,
            created_by=case.lead_practitioner,
        )


@pytest.mark.parametrize("key", ["case_summary", "sac_return_pdf"])
def test_no_page_ends_with_a_heading(key, world, filled_case):  # noqa: F811
    if key == "case_summary":
        long_plan(filled_case)
    content = make_pdf(key, world, filled_case)
    pages = page_count(content)
    assert pages >= 2  # long enough to break
    titles = {words for _level, words in headings(content)}
    for page in range(1, pages + 1):
        lines = body_lines(content, page)
        assert lines, f"page {page} is empty"
        assert lines[-1] not in titles, f"page {page} ends with the heading “{lines[-1]}”"


def test_the_plan_table_starts_each_page_it_runs_onto_with_its_header_row(world, filled_case):  # noqa: F811
    long_plan(filled_case)
    content = make_pdf("case_summary", world, filled_case)
    for page in range(1, page_count(content) + 1):
        lines = body_lines(content, page)
        steps = [i for i, line in enumerate(lines) if line.startswith("Plan step")]
        if steps:
            assert lines[steps[0] - 1].startswith("What Who By when"), (page, lines[: steps[0]])
