"""Letters in Chromium, at a desktop width and at 320 pixels, with axe on every page: the unit lead changes a
template (a mistyped placeholder first, then a preview), and North's practitioner makes a letter from the
enquiry page, changes its words, and finds it filed with the documents and on the timeline."""

import pytest
from playwright.sync_api import expect

from msp_cases.documents.models import Document

from .test_documents_browser import _check_both_widths, _north_enquiry

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def _phone_shot(ui, label: str) -> None:
    ui.page.set_viewport_size(PHONE)
    ui.shot(f"{label} phone")
    ui.page.set_viewport_size({"width": 1280, "height": 900})


def test_a_unit_lead_changes_a_template_with_a_preview(ui, demo_cases):
    ui.use_session_of("unit@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto("/")
    page.get_by_role("link", name="Letter templates").click()
    expect(page.locator("h1")).to_have_text("Letter templates")
    _check_both_widths(ui, "letter templates", problems)
    _phone_shot(ui, "letter templates")

    page.get_by_role("link", name="What you told us matters to you (easy read)").click()
    expect(page.locator("h1")).to_have_text("Change a letter template")
    body = page.get_by_label("Words of the letter")
    body.fill("Dear {person_first_name},\n\nYou told us:\n{what_matters}\n\nFrom {practitioner_nmae}")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("{practitioner_nmae} is not a placeholder")
    _check_both_widths(ui, "template with an error", problems)

    body.fill("Dear {person_first_name},\n\nYou told us:\n{what_matters}\n\nFrom {practitioner_name}")
    page.get_by_role("button", name="Preview the letter").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Dear Sam,")
    expect(preview).to_contain_text("Seeing my grandson on Sundays and keeping my dog")
    _check_both_widths(ui, "template preview", problems)
    _phone_shot(ui, "template preview")

    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("“What you told us matters to you” saved")).to_be_visible()
    assert not problems, "\n".join(problems)


def test_a_practitioner_makes_a_letter_changes_it_and_finds_it_filed(ui, demo_cases):
    enquiry = _north_enquiry()
    ui.use_session_of("practitioner.north@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto(enquiry.get_absolute_url())
    page.get_by_role("link", name="Make a letter").click()
    expect(page.locator("h1")).to_have_text("Make a letter")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select which letter to make")
    _check_both_widths(ui, "choose a letter with an error", problems)
    _phone_shot(ui, "choose a letter")

    page.get_by_label("Closure letter (easy read), to the person").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Make a letter: Closure letter")
    text = page.get_by_label("Words of the letter")
    person = enquiry.person
    assert text.input_value().startswith(f"Dear {person.preferred_name or person.given_name},")
    expect(page.get_by_label("Who is the letter to?")).to_have_value(
        f"{person.given_name} {person.family_name}"
    )
    _check_both_widths(ui, "make a letter", problems)
    _phone_shot(ui, "make a letter")

    # The case has no closure summary yet: the letter says so, and cannot be made until it is replaced.
    assert "[not recorded]" in text.input_value()
    page.get_by_role("button", name="Make the letter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Replace each [not recorded]")
    _check_both_widths(ui, "make a letter with an error", problems)

    text.fill(
        text.input_value().replace("[not recorded]", "We talked to the bank with you. Your card is stopped.")
    )
    page.get_by_role("button", name="Make the letter").click()
    expect(
        page.get_by_text("Letter made: “Closure letter (easy read)” is filed with the documents")
    ).to_be_visible()
    table = page.get_by_test_id("documents-table")
    expect(table).to_contain_text("Closure letter (easy read)")
    expect(page.locator(".moj-timeline__title", has_text="Letter made")).to_have_count(1)
    _check_both_widths(ui, "enquiry page with the letter", problems)

    table.get_by_role("link", name="Closure letter (easy read)").click()
    expect(page.locator("#scan-status")).to_have_text("Made by this service: no virus scan needed")
    _check_both_widths(ui, "the letter's document page", problems)
    document = Document.objects.get(kind=Document.Kind.LETTER, enquiry=enquiry)
    assert document.is_servable
    assert not problems, "\n".join(problems)
