"""In a real browser, with the demo data: a practitioner records a concern naming a care provider through the
form's conditional questions; the concern page then counts the repeat concerns about that provider; unit staff
find the provider from the navigation and open its page. Every page passes axe and fits a 320-pixel window."""

import re

import pytest
from playwright.sync_api import expect

from enquiries.models import CareProvider
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], page.url


def test_naming_a_care_provider_and_seeing_its_repeat_concerns(ui, demo_cases):  # noqa: F811
    page = ui.page
    CareProvider.objects.create(name="Elm House Nursing Home", cqc_location_id="1-2000000002")
    ui.use_session_of("practitioner.north@example.org")
    ui.goto(f"/concerns/new/?person={demo_cases['DEMO-001'].person}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a safeguarding concern")

    # The provider's questions show only once "A care provider" is chosen.
    provider_list = page.get_by_label("Care provider", exact=True)
    expect(provider_list).to_be_hidden()
    page.get_by_role("radio", name="A care provider").check()
    expect(provider_list).to_be_visible()
    expect(page.get_by_label("Their name")).to_be_hidden()
    assert_accessible(page, label="concern form, care provider revealed")
    ui.shot("the alleged-harm questions")
    page.set_viewport_size(NARROW)
    _fits(page)
    assert_accessible(page, label="concern form, care provider revealed, 320px")
    page.set_viewport_size(DESKTOP)

    # Nothing chosen or typed: the error summary leads to the list, still revealed.
    page.get_by_role("button", name="Save concern").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the care provider, or enter the name of a new one")
    expect(page.get_by_label("Care provider", exact=True)).to_be_visible()
    assert_accessible(page, label="concern form with errors")
    ui.shot("the concern form's errors")

    page.get_by_label("Day").first.fill("1")
    page.get_by_label("Month").first.fill("12")
    page.get_by_label("Year").first.fill("2026")
    page.get_by_label("Time received").fill("09:30")
    page.get_by_label("What happened, in the referrer’s words").fill("Left without food or drink all day.")
    page.get_by_label("Neglect and Acts of Omission").check()
    page.get_by_label("A care home with nursing").check()
    page.get_by_label("A paid care or support provider").check()
    page.get_by_role("radio", name="Yes", exact=True).last.check()
    # The search box shortens the list to the providers whose name has the words typed.
    page.get_by_label("Search the care providers").fill("oak")
    expect(page.get_by_role("status").filter(has_text="found")).to_have_text("1 care provider found")
    assert provider_list.locator("option").all_text_contents() == [
        "Not listed: add a new care provider",
        "Oakfield Care Home",
    ]
    provider_list.select_option(label="Oakfield Care Home")
    page.get_by_role("button", name="Save concern").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Concern received"))
    # Oakfield's two North concerns are the practitioner's team's; South's is not theirs to see.
    expect(page.get_by_role("link", name="2 other concerns about this provider")).to_be_visible()
    expect(page.get_by_role("link", name="Oakfield Care Home").first).to_be_visible()
    assert_accessible(page, label="concern naming a provider")
    ui.shot("the concern with its repeat concerns")
    page.set_viewport_size(NARROW)
    _fits(page)
    assert_accessible(page, label="concern naming a provider, 320px")
    page.set_viewport_size(DESKTOP)

    # Unit staff: every concern naming the provider, found from the navigation.
    ui.use_session_of("unit@example.org")
    ui.goto("/caseload/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Care providers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Care providers")
    page.get_by_label("Name or CQC location ID").fill("oakfeld")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page, label="care providers")
    ui.shot("care providers found")
    page.set_viewport_size(NARROW)
    _fits(page)
    assert_accessible(page, label="care providers, 320px")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Oakfield Care Home").click()
    expect(page.get_by_role("heading", level=2, name="4 concerns name this provider")).to_be_visible()
    assert_accessible(page, label="care provider")
    ui.shot("the provider's page")
    page.set_viewport_size(NARROW)
    _fits(page)
    assert_accessible(page, label="care provider, 320px")
    ui.shot("the provider's page at 320px")
