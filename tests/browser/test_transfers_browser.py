"""Transfers between teams in Chromium, as the two teams' staff meet them, at a desktop width and at 320
pixels (WCAG reflow), with axe on every page: South's manager accepts the demo's waiting transfer, and North's
practitioner, finding that South already holds the person they are recording, sends the concern there."""

import re

import pytest
from playwright.sync_api import expect

from enquiries.models import SafeguardingConcern, TeamTransfer

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def _check_both_widths(ui, label: str, problems: list[str]) -> None:
    page = ui.page
    for name, size in (("desktop", DESKTOP), ("320px", NARROW)):
        page.set_viewport_size(size)
        ui.shot(f"{label} {name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            problems.append(f"{label} is {width}px wide at {name}")
        try:
            assert_accessible(page, label=f"{label} at {name}")
        except pytest.fail.Exception as failure:
            problems.append(str(failure))
    page.set_viewport_size(DESKTOP)


def test_the_receiving_manager_reads_the_summary_and_accepts_with_a_lead(ui, demo_cases):
    transfer = TeamTransfer.objects.get()
    ui.use_session_of("manager.south@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto("/team/")
    page.get_by_role("link", name="Transfers waiting for your team").click()
    expect(page.locator("h1")).to_have_text("Transfers between teams")
    _check_both_widths(ui, "transfers list", problems)

    page.get_by_role("link", name="Margaret Hughes").click()
    expect(page.locator("h1")).to_have_text("Concern to transfer to South Locality")
    expect(page.get_by_text("Margaret moved in with her daughter")).to_be_visible()
    _check_both_widths(ui, "transfer detail", problems)

    page.get_by_role("link", name="Decline the transfer").click()
    expect(page.locator("h1")).to_have_text("Decline the transfer")
    _check_both_widths(ui, "decline", problems)
    page.go_back()

    page.get_by_label("Who will lead the work?").select_option(index=1)
    page.get_by_role("button", name="Accept and allocate").click()
    expect(page.locator("h1")).to_have_text(re.compile("^Concern received"))
    expect(page.get_by_text("Sent by North Locality")).to_be_visible()
    _check_both_widths(ui, "the concern, now South's", problems)
    assert SafeguardingConcern.objects.get(pk=transfer.concern_id).team.name == "South Locality"
    assert not problems, "\n".join(problems)


def test_a_practitioner_sends_a_concern_to_the_team_that_holds_the_person(ui, demo_cases):
    """Kwame Boateng is South's (DEMO-002): North's practitioner types him in again."""
    ui.use_session_of("practitioner.north@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto("/people/new/")
    page.get_by_label("Given name").fill("Kwame")
    page.get_by_label("Family name").fill("Boateng")
    page.get_by_label("Day", exact=True).fill("30")
    page.get_by_label("Month", exact=True).fill("7")
    page.get_by_label("Year", exact=True).fill("1988")
    for name, value in (
        ("gender", "male"),
        ("ethnicity", "not_known"),
        ("primary_support_reason", "not_known"),
    ):
        page.locator(f"input[name={name}][value={value}]").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("may already be recorded in another team")).to_be_visible()
    _check_both_widths(ui, "duplicate warning", problems)

    page.get_by_role("button", name="Send the concern to the team that holds them").click()
    expect(page.locator("h1")).to_have_text("Send the concern to the team that holds this person")
    expect(page.get_by_text("South Locality")).to_have_count(0)
    _check_both_widths(ui, "send to holder", problems)

    page.get_by_label("Day", exact=True).fill("5")
    page.get_by_label("Month", exact=True).fill("12")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Time received").fill("09:30")
    page.get_by_label("What happened, in the referrer’s words").fill("His sister says he has no heating.")
    page.get_by_label("Neglect and Acts of Omission").check()
    page.locator("input[name=risk_location][value=own_home]").check()
    page.locator("input[name=risk_source][value=known]").check()
    page.locator("input[name=person_aware][value=yes]").check()
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator("h1")).to_have_text("Transfers between teams")
    expect(page.get_by_role("cell", name="The team that holds the person", exact=True)).to_be_visible()
    ui.shot("sent")
    transfer = TeamTransfer.objects.get(what="referral")
    assert transfer.to_team.name == "South Locality" and transfer.person.local_identifier == "DEMO-002"
    assert not problems, "\n".join(problems)


def test_a_practitioner_asks_for_an_enquiry_to_move_and_its_page_says_it_waits(ui, demo_cases):
    enquiry = demo_cases["DEMO-004"].enquiry
    ui.use_session_of("practitioner.north@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto(f"/enquiries/{enquiry}/")
    page.get_by_role("link", name="Transfer this enquiry to another team").click()
    expect(page.locator("h1")).to_have_text("Transfer this enquiry to another team")
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.get_by_text("Select the team to transfer it to").first).to_be_visible()
    _check_both_widths(ui, "transfer request with errors", problems)

    page.get_by_label("South Locality").check()
    page.get_by_label("Why should it move to this team?").fill("He has moved to a flat in Southtown.")
    page.get_by_role("button", name="Ask for the transfer").click()
    expect(page.locator("#transfer-pending")).to_contain_text("A transfer to South Locality is waiting")
    expect(page.get_by_text("Transfer to South Locality asked for")).to_be_visible()
    _check_both_widths(ui, "enquiry with a transfer waiting", problems)
    assert not problems, "\n".join(problems)
