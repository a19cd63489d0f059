"""The unit lead's API clients pages in Chromium, with axe at a desktop width and at 320 pixels: from the
navigation bar to a new client (every problem first), its secret shown once, a webhook added, and the client
switched off."""

import pytest
from playwright.sync_api import expect

from .test_documents_browser import _check_both_widths

pytestmark = pytest.mark.browser


def test_a_unit_lead_makes_a_client_gives_it_a_webhook_and_switches_it_off(ui, demo_cases):
    page = ui.page
    problems: list[str] = []

    ui.use_session_of("unit@example.org")
    ui.goto("/")
    page.get_by_role("link", name="API clients").first.click()
    expect(page.locator("h1")).to_have_text("API clients")
    _check_both_widths(ui, "client list, empty", problems)

    page.get_by_role("button", name="Make an API client").click()
    page.get_by_role("button", name="Make the client").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the name of the partner’s system")
    expect(summary).to_contain_text("Select at least one thing the client may do")
    _check_both_widths(ui, "make a client, problems", problems)

    page.get_by_label("Name of the partner’s system").fill("Police referrals")
    page.get_by_label("Send concerns to the front door").check()
    page.get_by_role("button", name="Make the client").click()
    expect(page.locator("h1")).to_have_text("Client made: Police referrals")
    secret = page.get_by_test_id("secret").inner_text()
    assert len(secret) > 20 and secret not in page.url
    _check_both_widths(ui, "client made", problems)

    page.get_by_role("link", name="Go to the client").click()
    expect(page.locator("h1")).to_have_text("Police referrals")
    assert secret not in page.content()
    page.get_by_role("button", name="Add a webhook").click()
    page.get_by_label("Address the partner’s system receives webhooks at").fill(
        "https://police.example.org/hooks"
    )
    page.get_by_label("Concern decided").check()
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.locator("h1")).to_have_text("Webhook added for Police referrals")
    assert page.get_by_test_id("secret").inner_text().startswith("whsec_")
    _check_both_widths(ui, "webhook added", problems)

    page.get_by_role("link", name="Back to Police referrals").click()
    expect(page.get_by_test_id("webhooks")).to_contain_text("https://police.example.org/hooks")
    _check_both_widths(ui, "client page", problems)
    page.get_by_role("link", name="Switch off the webhook to https://police.example.org/hooks").click()
    _check_both_widths(ui, "switch off a webhook", problems)
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("button", name="Switch off the client").click()
    page.get_by_label("Why is it being switched off?").fill("The contract ended")
    _check_both_widths(ui, "switch off", problems)
    page.get_by_role("button", name="Switch off the client").click()
    expect(page.locator("h1")).to_have_text("Police referrals")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Switched off")
    assert problems == []
