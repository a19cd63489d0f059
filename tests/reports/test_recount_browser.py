"""In a real browser: the SAC return while its figures are first counted, and while they are counted again,
passes axe-core, and its "Refresh this page" link (no automatic refresh) shows the worker's figures. The
broker is stood in for as in test_report_recount.py: what would be published is recorded and run when a
worker would."""

import pytest
from playwright.sync_api import expect

from msp_cases.reports import tasks
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser


def test_the_sac_return_says_its_figures_are_being_counted_and_refreshes_on_request(
    ui,  # noqa: F811 (the fixture imported above)
    monkeypatch,
    settings,
):
    settings.REPORT_COUNT_WAIT_SECONDS = 0
    queued: list[dict] = []
    monkeypatch.setattr(tasks.recount, "apply_async", lambda *, kwargs, **options: queued.append(kwargs))

    def worker_runs():
        while queued:
            tasks.recount.apply(kwargs=queued.pop(0)).get()

    ui.use_session_of("unit@example.org")
    page = ui.page
    ui.goto("/reports/sac/")
    expect(page.get_by_text("The figures are being counted.")).to_be_visible()
    expect(page.get_by_role("button", name="Recalculate now")).to_have_count(0)
    assert_accessible(page, label="SAC return, being counted")
    ui.shot("SAC return being counted")

    worker_runs()
    page.get_by_role("link", name="Refresh this page").first.click()
    expect(page.get_by_text("Figures as at")).to_be_visible()
    expect(page.locator("#SG1f")).to_be_visible()

    # "Recalculate now": queued, said so, and the figures counted before stay on the page meanwhile.
    page.get_by_role("button", name="Recalculate now").click()
    expect(page.get_by_text("The figures are being counted again.").first).to_be_visible()
    expect(page.get_by_text(", being counted again.")).to_be_visible()
    expect(page.locator("#SG1f")).to_be_visible()
    assert_accessible(page, label="SAC return, being counted again")
    ui.shot("SAC return being counted again")

    worker_runs()
    page.get_by_role("link", name="refresh this page").click()
    expect(page.get_by_text(", being counted again.")).to_have_count(0)
    expect(page.get_by_role("button", name="Recalculate now")).to_be_visible()
