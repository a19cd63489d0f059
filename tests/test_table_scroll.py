"""Data tables on screen scroll sideways inside their own region on a narrow window, never the page (WCAG 2.2
reflow). The region's markup is written once, in includes/table_scroll.html, through {% table_scroll %}; the
browser test (tests/browser/test_reflow.py) measures the pages at 320 pixels."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# PDFs are printed, not scrolled; the report pages wrap their figures tables in their own regions
# (reports/_chart_table.html and reports/sac_table.html). The subject access pack is PDFs too.
NOT_ON_A_SCREEN = ("pdf/", "exports/pdf/", "feedback/pdf/", "letters/pdf/", "reports/", "subject_access/pdf/")


def _render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_a_table_is_wrapped_in_a_focusable_region_named_by_its_caption():
    html = _render(
        '{% table_scroll label=caption %}<table class="govuk-table"></table>{% endtable_scroll %}',
        caption="Open <enquiries> & more",
    )
    assert html.strip() == (
        '<div class="app-table-scroll" role="region" aria-label="Open &lt;enquiries&gt; &amp; more" '
        'tabindex="0"><table class="govuk-table"></table></div>'
    )


def test_a_region_can_be_named_by_the_caption_it_holds():
    html = _render('{% table_scroll labelled_by="caseload-caption" %}<table></table>{% endtable_scroll %}')
    assert 'role="region" aria-labelledby="caseload-caption" tabindex="0"><table></table></div>' in html
    assert "aria-label=" not in html


def test_a_region_without_a_name_is_refused():
    with pytest.raises(TemplateSyntaxError, match="needs a label"):
        _render("{% table_scroll %}<table></table>{% endtable_scroll %}")


def test_the_region_is_written_in_one_template():
    writers = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r'<div class="app-table-scroll"[^>]*role="region"', path.read_text())
    )
    assert writers == ["includes/table_scroll.html"]


def test_every_table_on_a_screen_is_inside_a_region():
    unwrapped = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        if name.startswith(NOT_ON_A_SCREEN):
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "<table" in line and (number == 0 or "{% table_scroll" not in lines[number - 1]):
                unwrapped.append(f"{name}:{number + 1}")
    assert unwrapped == []
