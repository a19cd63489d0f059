"""In a real browser, with the demo data: a manager finds their team's dashboard from the navigation, it and
the sign-off queue pass axe, the allocation link leads to the allocation page and the queue's link to the
sign-off page, where a closure returned with comments reaches the practitioner's caseload; unit staff see
every team without allocation links."""

import re

import pytest
from playwright.sync_api import expect

from msp_cases.core.context_processors import CONTRAST_COOKIE
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser

MANAGER = "manager.north@example.org"
PRACTITIONER = "practitioner.north@example.org"
UNIT = "unit@example.org"


def test_the_team_dashboard_and_sign_off_queue_in_a_browser(ui, demo_cases):  # noqa: F811
    ui.use_session_of(MANAGER)
    page = ui.page
    ui.goto("/caseload/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team dashboard")
    expect(page.get_by_text("North Locality").first).to_be_visible()
    for caption in (
        "Open concerns and enquiries by stage",
        "Open reminders by rule",
        "Open enquiries led by each member of the team",
        "Open enquiries",
    ):
        expect(page.locator("caption", has_text=caption).first).to_be_visible()
    assert_accessible(page, label="team dashboard")
    ui.shot("the team dashboard")

    # Allocation from the dashboard: the enquiry's own allocation page.
    page.get_by_role("link", name=re.compile(r"^(Re-allocate|Allocate) the enquiry about")).first.click()
    expect(page).to_have_url(re.compile(r"/enquiries/\d+/allocate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocate the enquiry")
    page.go_back()

    page.get_by_role("link", name="View the sign-off queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-off queue")
    expect(page.get_by_role("row").filter(has_text="Cole")).to_have_count(1)  # DEMO-006, North
    expect(page.get_by_role("row").filter(has_text="Young")).to_have_count(0)  # DEMO-010, South
    assert_accessible(page, label="sign-off queue")
    ui.shot("the sign-off queue")

    page.get_by_role("link", name=re.compile(r"^Sign or return|^Sign off or return")).first.click()
    expect(page).to_have_url(re.compile(r"/enquiries/\d+/sign-off/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off closure")
    page.get_by_label("Return it to the lead practitioner with comments").check()
    page.get_by_role("textbox", name="Comments").fill("Check Brian agrees with the closure letter")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Check Brian agrees with the closure letter")).to_be_visible()  # the timeline

    # The lead practitioner sees the comments in their caseload.
    page.context.clear_cookies()
    ui.use_session_of(PRACTITIONER)
    ui.goto("/caseload/?show=mine")
    expect(page.get_by_role("row").filter(has_text="Cole")).to_contain_text(
        "Closure returned: Check Brian agrees with the closure letter"
    )
    assert_accessible(page, label="caseload with a returned closure")
    ui.shot("the practitioner's caseload shows the returned closure")


def test_unit_staff_see_every_team_read_only_in_a_browser(ui, demo_cases):  # noqa: F811
    ui.use_session_of(UNIT)
    page = ui.page
    ui.goto("/caseload/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team dashboard")
    expect(page.get_by_text("read-only")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Allocate"))).to_have_count(0)
    # Over every team the figures are kept a few minutes: the page says when they were counted, and
    # counts them again when asked.
    expect(page.locator("#figures-as-at")).to_contain_text("Figures as at")
    assert_accessible(page, label="team dashboard, unit staff, every team")
    page.get_by_role("button", name="Recalculate now").click()
    expect(page.get_by_text("Figures recalculated")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team dashboard")
    ui.shot("the unit's figures recalculated")
    page.get_by_label("Team", exact=True).select_option(label="South Locality")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("South Locality")
    expect(page.locator("#figures-as-at")).to_have_count(0)  # one team's figures are counted as it opens
    assert_accessible(page, label="team dashboard, unit staff")
    ui.shot("the unit's view of one team")
    page.context.add_cookies([{"name": CONTRAST_COOKIE, "value": "high", "url": ui.base_url}])
    page.reload()
    assert_accessible(page, label="team dashboard, high contrast")
    ui.shot("high contrast")
