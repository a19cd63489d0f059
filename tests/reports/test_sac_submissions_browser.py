"""In a real browser: unit staff mark the demo's SAC return as submitted, a concern arrives afterwards, and
the comparison with the figures now names the person newly counted. Each page passes axe-core and fits a
phone; screenshots at 1280 and 375 pixels are kept in test-artifacts/screenshots."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from msp_cases.accounts.models import Team
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)
from tests.factories import ConcernFactory, PersonFactory

pytestmark = pytest.mark.browser

FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def _both_widths(ui, label: str) -> None:  # noqa: F811 (ui is passed, not the fixture)
    page = ui.page
    assert_accessible(page, label=label)
    ui.shot(f"{label} at 1280")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate(FITS)
    ui.shot(f"{label} at 375")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_submitted_return_is_compared_with_the_figures_now(ui):  # noqa: F811
    ui.use_session_of("unit@example.org")
    page = ui.page
    ui.goto("/reports/sac/")
    page.get_by_role("link", name="Mark as submitted").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark the SAC return as submitted")

    # Without the confirmation: the error summary, nothing saved.
    page.get_by_role("button", name="Mark as submitted").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Confirm that this return has been submitted")
    _both_widths(ui, "Mark as submitted with an error")

    page.get_by_label("Note (optional)").fill("SDCS reference 2026-SAC-0042")
    page.get_by_label("I confirm this return has been submitted").check()
    page.get_by_role("button", name="Mark as submitted").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SAC return as submitted")
    expect(page.locator(".govuk-summary-list")).to_contain_text("SDCS reference 2026-SAC-0042")
    _both_widths(ui, "A submitted version")

    # The records move on: a concern about someone new arrives after the return was sent.
    person = PersonFactory(given_name="Nadia", family_name="Afterwards")
    ConcernFactory(person=person, team=Team.objects.get(name="North Locality"), received_at=timezone.now())

    page.get_by_role("link", name="Compare with the figures now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SAC return: submitted and now")
    expect(page.locator("#comparison-summary")).to_contain_text("changed")
    expect(page.get_by_role("link", name="Nadia Afterwards").first).to_be_visible()
    _both_widths(ui, "The comparison with the figures now")
    page.get_by_role("link", name="Show every figure").click()
    expect(page.locator("#comparison-summary")).to_contain_text("Every figure is shown")

    page.get_by_role("link", name="Version 1 as submitted").click()
    page.get_by_role("link", name="Submitted versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submitted versions of the SAC return")
    _both_widths(ui, "The submitted versions")
