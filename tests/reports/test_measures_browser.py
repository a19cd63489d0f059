"""In a real browser: the MSP measures, Experience (Part 2) and Timeliness pages pass axe-core (charts,
tables, the period form and the export buttons), in normal and in high contrast mode; screenshots of each are
kept in test-artifacts/screenshots."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser

PAGES = [
    ("/reports/msp/", "Making Safeguarding Personal"),
    ("/reports/experience/", "My Safeguarding Experience (Part 2)"),
    ("/reports/timeliness/", "Timeliness"),
]


def test_the_three_measures_pages_in_a_browser(ui):  # noqa: F811
    ui.use_session_of("unit@example.org")
    page = ui.page
    for path, heading in PAGES:
        ui.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("img").first).to_be_visible()
        expect(page.get_by_role("button", name="Download CSV")).to_be_visible()
        assert_accessible(page, label=heading)
        ui.shot(heading)

    # The period form: choosing one team shows its figures only
    ui.goto("/reports/msp/")
    page.get_by_label("Team", exact=True).select_option(label="North Locality")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("row", name="South Locality")).to_have_count(0)
    expect(page.get_by_text("North Locality").first).to_be_visible()
    assert_accessible(page, label="MSP for one team")

    # High contrast mode: charts must still read (yellow bars, white text on black)
    page.get_by_role("button", name="High contrast").click()
    ui.goto("/reports/timeliness/")
    expect(page.locator("html.app-high-contrast")).to_have_count(1)
    assert (
        page.locator(".app-chart__label").first.evaluate("e => getComputedStyle(e).fill")
        == "rgb(255, 255, 255)"
    )
    assert_accessible(page, label="Timeliness, high contrast")
    ui.shot("Timeliness in high contrast")


def test_a_manager_sees_only_their_team_and_a_practitioner_cannot_open_the_reports(ui):  # noqa: F811
    ui.use_session_of("manager.north@example.org")
    ui.goto("/reports/msp/")
    expect(ui.page.get_by_role("row", name="South Locality")).to_have_count(0)
    ui.use_session_of("practitioner.north@example.org")
    response = ui.goto("/reports/timeliness/")
    assert response.status == 403
