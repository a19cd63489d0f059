"""A date of death in Chromium, at a desktop width and at 320 pixels, with axe on every page: North's
practitioner records it on the person's details (a date in the future first, refused in the error summary),
sees it on the person's page and in the identity bar, and is warned on the letter page; the unit's SAC return
shows SG3a's support and SG4a's achievement as blocks under their headings."""

import pytest
from playwright.sync_api import expect

from .test_documents_browser import _check_both_widths, _north_enquiry

pytestmark = pytest.mark.browser


def _date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day", exact=True).fill(day)
    group.get_by_label("Month", exact=True).fill(month)
    group.get_by_label("Year", exact=True).fill(year)


def test_a_practitioner_records_that_the_person_died(ui, demo_cases):
    enquiry = _north_enquiry()
    ui.use_session_of("practitioner.north@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto(enquiry.person.get_absolute_url())
    page.get_by_role("link", name="Change their details").click()
    _date(page, "Date of death (optional)", "3", "3", "2099")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date of death must be today or in the past")
    _check_both_widths(ui, "date of death in the future", problems)

    _date(page, "Date of death (optional)", "3", "3", "2026")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".app-identity-bar")).to_contain_text("Died 3 March 2026")
    expect(page.locator(".govuk-summary-list__row", has_text="Date of death")).to_contain_text("3 March 2026")
    _check_both_widths(ui, "person who died", problems)

    ui.goto(enquiry.get_absolute_url())
    page.get_by_role("link", name="Make a letter").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("This person has died: 3 March 2026")
    _check_both_widths(ui, "letter for a person who died", problems)
    assert not problems, "\n".join(problems)


def test_the_sac_return_shows_its_blocks_under_their_headings(ui, demo_cases):
    ui.use_session_of("unit@example.org")
    page = ui.page
    problems: list[str] = []
    ui.goto("/reports/sac/")
    expect(page.locator("#SG3a th[scope=rowgroup]")).to_have_text("Support, of the enquiries recorded as Yes")
    expect(page.locator("#SG4a th[scope=rowgroup]")).to_have_text(
        "Of the enquiries where outcomes were expressed, were they achieved?"
    )
    page.locator("#SG3a").scroll_into_view_if_needed()
    _check_both_widths(ui, "sac return", problems)
    assert not problems, "\n".join(problems)
