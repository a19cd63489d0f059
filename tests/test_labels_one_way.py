"""Words said one way: a missing value is "Not recorded" on every page, quarters are named alike in every
report ("Q1 2026–27 (Apr–Jun 2026)"), an audit sample's number is its "Sample number" (never "Seed"), and
SAC-coded choices are asked in plain words with the SAC category as each choice's hint."""

import datetime
import re
from pathlib import Path

import pytest

from enquiries.forms.sac_choices import sac_choices
from enquiries.models.choices import PLAIN_LABELS, ActionResult, RiskLocation, RiskSource, plain_label
from feedback.audits.selectors import ResultRow
from msp_cases.core.periods import quarter_name
from msp_cases.core.templatetags.periods import quarter_lines
from msp_cases.reports.figures.periods import quarters

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# The person's own easy-read forms (printed for them to write on) mark an unanswered question with a dash.
PERSONS_OWN_FORMS = ("feedback/pdf/",)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (datetime.date(2026, 4, 1), "Q1 2026–27 (Apr–Jun 2026)"),
        (datetime.date(2026, 6, 30), "Q1 2026–27 (Apr–Jun 2026)"),
        (datetime.date(2026, 8, 15), "Q2 2026–27 (Jul–Sep 2026)"),
        (datetime.date(2026, 12, 31), "Q3 2026–27 (Oct–Dec 2026)"),
        (datetime.date(2027, 1, 1), "Q4 2026–27 (Jan–Mar 2027)"),
        (datetime.date(2000, 3, 31), "Q4 1999–00 (Jan–Mar 2000)"),
    ],
)
def test_a_quarter_is_named_by_number_financial_year_and_months(day, name):
    assert quarter_name(day) == name


def test_every_report_names_its_quarters_with_the_one_helper():
    # The measures' tables (MSP, experience, timeliness), a period clipped at both ends.
    labels = [q.label for q in quarters(datetime.date(2025, 5, 15), datetime.date(2026, 1, 10))]
    assert labels == [
        "Q1 2025–26 (Apr–Jun 2025)",
        "Q2 2025–26 (Jul–Sep 2025)",
        "Q3 2025–26 (Oct–Dec 2025)",
        "Q4 2025–26 (Jan–Mar 2026)",
    ]
    # The case-file audit results, on the page, in the PDF and in the CSV.
    row = ResultRow(team="North", quarter=datetime.date(2025, 7, 1), audited=1, grades=[], items=[])
    assert row.quarter_label == "Q2 2025–26 (Jul–Sep 2025)"


def _screen_and_print_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        yield str(path.relative_to(TEMPLATES)), path.read_text()


def test_a_missing_value_is_written_not_recorded_everywhere():
    other_words = re.compile(
        r'default:"(Not known|Not known yet|Not given|None recorded|Nothing recorded|None|\(empty\)|[–—-])"'
    )
    found = [
        f"{name}: {match.group(0)}"
        for name, text in _screen_and_print_templates()
        if not name.startswith(PERSONS_OWN_FORMS)
        for match in other_words.finditer(text)
    ]
    assert not found, "a missing value said another way than 'Not recorded':\n" + "\n".join(found)


def test_no_page_calls_an_audit_samples_number_its_seed():
    """In the words of any template (its variables aside, such as the model's `sample.seed`)."""
    words = ((name, re.sub(r"{{.*?}}|{%.*?%}", "", text)) for name, text in _screen_and_print_templates())
    found = [name for name, text in words if re.search(r"\bseed\b", text, re.I)]
    assert not found


def test_sac_coded_choices_are_plain_words_with_the_sac_category_as_hint():
    choices = {choice.value: choice for choice in sac_choices(RiskSource)}
    known = choices[RiskSource.KNOWN]
    assert (known.label, known.hint) == ("Someone known to the person", "SAC: Other - Known to individual")
    # The stored values and SAC's names (which the return prints) are unchanged.
    assert RiskSource.KNOWN == "known" and RiskSource.KNOWN.label == "Other - Known to individual"
    assert [c.value for c in sac_choices(RiskLocation)] == RiskLocation.values
    # A choice already in plain words has no hint.
    assert not hasattr({c.value: c for c in sac_choices(ActionResult)}[ActionResult.RISK_ACTION], "hint")


def test_a_page_shows_the_same_plain_words_as_the_form():
    assert plain_label(RiskSource, "unknown") == "Someone the person does not know"
    assert plain_label(RiskLocation, "care_home_nursing") == "A care home with nursing"
    assert plain_label(ActionResult, "risk_action") == "Risk identified and action taken"
    assert plain_label(RiskSource, "") == ""
    for choices, plain in PLAIN_LABELS.items():
        assert set(plain) <= set(choices.values)


def test_a_quarter_in_a_narrow_column_wraps_only_between_its_halves():
    assert quarter_lines("Q1 2026–27 (Apr–Jun 2026)") == (
        '<span class="app-nowrap">Q1 2026–27</span> <span class="app-nowrap">(Apr–Jun 2026)</span>'
    )
    assert quarter_lines("Total") == "Total"
