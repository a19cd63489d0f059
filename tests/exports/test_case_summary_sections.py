"""The case summary tells the whole case: the concern in the referrer's words, mental capacity and advocacy,
My Safeguarding Experience Part 1 and Part 2 in the person's words, and the organisation's perspective; and
its last page is never a row or two left over from the page before."""

import datetime

import pytest

from enquiries.models import RiskTypeOption
from tests.exports.conftest import filled_case, pdf_text  # noqa: F401 (a fixture: a case with words and a plan)
from tests.feedback.factories_feedback import OrganisationPerspectiveFactory, Part1Factory, Part2Factory
from tests.test_pdf_page_breaks import body_lines
from tests.test_pdf_tagged import headings, make_pdf, page_count

pytestmark = pytest.mark.django_db


def whole_case(case) -> None:
    concern = case.concern
    concern.referrer_name = "Sam Brown"
    concern.referrer_role = "District nurse"
    concern.referrer_organisation = "Community health"
    concern.summary = "Ada told me her nephew takes her pension card every week."
    concern.save()
    concern.risk_types.add(RiskTypeOption.objects.get(code="financial"))
    case.lacks_capacity = "no"
    case.capacity_decision = "Whether to tell the bank"
    case.capacity_assessed_on = datetime.date(2025, 3, 4)
    case.capacity_assessed_by = "Priya Shah"
    case.substantial_difficulty = "yes"
    case.capacity_support = "advocate"
    case.advocacy_referral_on = datetime.date(2025, 3, 5)
    case.save()
    Part1Factory(
        enquiry=case,
        involvement=["attend_meetings"],
        informed_by=["phone"],
        who_not_told="My nephew",
        completed_on=datetime.date(2025, 3, 6),
    )
    Part2Factory(enquiry=case, listened_comment="They let me finish", completed_on=datetime.date(2025, 4, 1))
    OrganisationPerspectiveFactory(
        enquiry=case, could_be_better="Ring the bank on day one", training_needs="Financial abuse"
    )


def test_the_summary_has_every_section_in_the_persons_and_referrers_words(world, filled_case):  # noqa: F811
    whole_case(filled_case)
    content = make_pdf("case_summary", world, filled_case)
    text = pdf_text(content)
    sections = [words for level, words in headings(content) if level == 2]
    assert sections == [
        "What matters to me",
        "The concern, in the referrer’s words",
        "My desired outcomes",
        "Mental capacity and advocacy",
        "Conversations",
        "Safeguarding plan",
        "Decisions and who made them",
        "Closure",
        "My Safeguarding Experience",
        "The organisation’s perspective",
    ]
    assert "raised by Sam Brown (District nurse, Community health)" in text
    assert "Ada told me her nephew takes her pension card every week." in text
    assert "Type of abuse Financial or Material Abuse" in text
    assert "Lacked capacity about the enquiry No, they did not lack capacity" in text
    assert "Whether to tell the bank" in text
    assert "4 March 2025 by Priya Shah" in text
    assert "Advocacy referral Made on 5 March 2025" in text
    assert "How they want to be involved Attend meetings" in text
    assert "Who they do not want told My nephew" in text
    assert "Did you feel listened to? Yes, completely They let me finish" in text
    assert "Ring the bank on day one" in text
    assert "Training needs Financial abuse" in text


def test_a_person_not_asked_for_feedback_says_why(world, filled_case):  # noqa: F811
    Part2Factory(
        enquiry=filled_case,
        approached=False,
        not_approached_reason="danger",
        decided_by=filled_case.lead_practitioner,
    )
    text = pdf_text(make_pdf("case_summary", world, filled_case))
    assert "Not asked for feedback It would place them in danger" in text
    assert "The organisation’s perspective Recorded by the manager who signs off the closure." in text


def test_the_last_page_is_never_a_row_or_two_left_over(world, filled_case):  # noqa: F811
    """The closing sections are kept whole with their headings: split, the perspective's last row made a
    last page of one line."""
    whole_case(filled_case)
    content = make_pdf("case_summary", world, filled_case)
    pages = page_count(content)
    assert pages >= 2
    last = body_lines(content, pages)
    assert len(last) >= 5, last
