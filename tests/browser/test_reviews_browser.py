"""The register of Safeguarding Adults Reviews in Chromium, at a desktop width and at 320 pixels, with axe
on every page: the unit lead opens the register from the navigation, adds a review (every problem first),
adds an individual by their record's number and links the review to her enquiry; North's practitioner finds
it read-only on Sandra's enquiry."""

import pytest
from playwright.sync_api import expect

from enquiries.models import Person

from .test_documents_browser import _check_both_widths

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def _phone_shot(ui, label: str) -> None:
    ui.page.set_viewport_size(PHONE)
    ui.shot(f"{label} phone")
    ui.page.set_viewport_size({"width": 1280, "height": 900})


def test_the_unit_keeps_the_register_and_a_practitioner_sees_the_review(ui, demo_cases):
    sandra = Person.objects.get(local_identifier="DEMO-007")
    page = ui.page
    problems: list[str] = []

    ui.use_session_of("unit@example.org")
    ui.goto("/")
    page.get_by_role("link", name="Safeguarding Adults Reviews").first.click()
    expect(page.locator("h1")).to_have_text("Safeguarding Adults Reviews")
    expect(page.get_by_role("link", name="Adult S")).to_be_visible()
    _check_both_widths(ui, "register", problems)
    _phone_shot(ui, "register")

    page.get_by_role("button", name="Add a review").click()
    page.get_by_label("Name of the review").fill("Adult Q")
    page.get_by_role("button", name="Save the review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date it was referred to the board")
    expect(summary).to_contain_text("Select whether one or more individuals died")
    expect(page.get_by_label("Name of the review")).to_have_value("Adult Q")
    _check_both_widths(ui, "add a review with errors", problems)

    referred = page.get_by_role("group", name="Date referred to the board")
    referred.get_by_label("Day").fill("2")
    referred.get_by_label("Month").fill("5")
    referred.get_by_label("Year").fill("2025")
    page.get_by_role("group", name="Did one or more of the individuals die?").get_by_label("No").check()
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator("h1")).to_have_text("Adult Q")
    _check_both_widths(ui, "a review", problems)

    page.get_by_role("link", name="Add an individual").click()
    page.get_by_label("Record number of their person’s record (optional)").fill(str(sandra.pk))
    page.get_by_role("group", name="Did they suffer serious harm?").get_by_label("Yes").check()
    page.get_by_role("group", name="Did they die?").get_by_label("No").check()
    _check_both_widths(ui, "add an individual", problems)
    page.get_by_role("button", name="Add the individual").click()
    expect(page.locator("#individuals + dl")).to_contain_text(sandra.display_name)

    page.get_by_role("link", name="Change the review").click()
    page.get_by_role("group", name="Which enquiries is the review about?").get_by_role(
        "checkbox"
    ).first.check()
    _check_both_widths(ui, "change a review", problems)
    _phone_shot(ui, "change a review")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("“Adult Q” saved")).to_be_visible()

    ui.page.context.clear_cookies()
    ui.use_session_of("practitioner.north@example.org")
    ui.goto(sandra.enquiries.get().get_absolute_url())
    section = page.locator("#safeguarding-adults-reviews")
    expect(section).to_contain_text("Adult S")
    expect(section).to_contain_text("Adult Q")
    expect(section.get_by_role("link")).to_have_count(0)
    section.scroll_into_view_if_needed()
    _check_both_widths(ui, "enquiry with reviews", problems)
    _phone_shot(ui, "enquiry with reviews")
    assert not problems, "\n".join(problems)
