"""In a real browser: a count of the MSP measures opens the records it counts, and that page passes axe-core
and fits a phone; screenshots at 1280 and 375 pixels are kept in test-artifacts/screenshots."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_count_opens_the_records_it_counts(ui):  # noqa: F811
    ui.use_session_of("unit@example.org")
    page = ui.page
    ui.goto("/reports/msp/")
    table = page.locator("#msp_asked_by_team")
    table.scroll_into_view_if_needed()
    ui.shot("the MSP measures' counts are links")
    figure = table.locator("a").first
    expect(figure).to_have_accessible_name(re.compile(r"^\d+\s+— records counted in Asked about outcomes, "))
    number = int(figure.inner_text().split()[0])
    figure.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records counted in the MSP measures")
    expect(page.locator("#cell-total")).to_contain_text(str(number))
    assert_accessible(page, label="Records counted in an MSP figure")
    ui.shot("records of an MSP count at 1280")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate(FITS)
    ui.shot("records of an MSP count at 375")
    page.get_by_role("link", name="Making Safeguarding Personal").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Making Safeguarding Personal")
