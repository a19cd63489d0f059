"""Allocation and revealed questions in Chromium, at a desktop width and at 320 pixels (WCAG reflow), with axe
on every page: South's manager ticks the waiting records on the team dashboard ("Select all" from MOJ
Frontend's multi-select), allocates them together, then re-allocates one concern on its own page with a
reason; the decision on a concern reveals only what the chosen answer needs, without aria-expanded."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases.accounts.models import Team, User

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


def _waiting_in_south() -> list[SafeguardingConcern]:
    """Two more concerns nobody holds in South, about people South already has."""
    south = Team.objects.get(name="South Locality")
    people = Person.objects.filter(concerns__team=south, is_restricted=False).distinct()[:2]
    return [
        SafeguardingConcern.objects.create(
            person=person, team=south, received_at=timezone.now(), summary="A neighbour is worried."
        )
        for person in people
    ]


def test_the_manager_allocates_the_ones_ticked_then_re_allocates_one_with_a_reason(ui, demo_cases):
    added = _waiting_in_south()
    waiting = list(
        SafeguardingConcern.objects.filter(
            team__name="South Locality",
            decision="pending",
            allocated_to__isnull=True,
            person__is_restricted=False,
        )
    )
    assert len(waiting) >= 2
    ui.use_session_of("manager.south@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto("/team/")
    table = page.locator("#unallocated table")
    select_all = table.get_by_label("Select all")
    expect(select_all).to_be_visible()  # MOJ Frontend's multi-select, added by its script
    select_all.check()
    for concern in waiting:
        expect(page.locator(f"#choose-concern-{concern.pk}")).to_be_checked()
    _check_both_widths(ui, "dashboard with the waiting records ticked", problems)

    page.get_by_role("button", name="Allocate the ones ticked").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Allocate \d+ records$"))
    _check_both_widths(ui, "allocate the records chosen", problems)
    page.get_by_role("button", name="Allocate", exact=True).click()  # nobody chosen yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who to allocate them to")
    try:
        assert_accessible(page, label="allocate the records chosen, with an error")
    except pytest.fail.Exception as failure:
        problems.append(str(failure))

    practitioner = User.objects.get(email="practitioner.south@example.org")
    page.get_by_role("group", name="Who should they be allocated to?").get_by_label(
        practitioner.full_name
    ).check()
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"allocated to {practitioner.full_name}"
    )
    assert all(SafeguardingConcern.objects.get(pk=c.pk).allocated_to_id == practitioner.pk for c in waiting)
    assert (
        not Enquiry.objects.filter(team__name="South Locality", lead_practitioner__isnull=True)
        .exclude(status="closed")
        .exists()
    )

    # Re-allocating one on its own page asks why, and keeps the history.
    concern = added[0]
    ui.goto(f"/concerns/{concern.pk}/allocate/")
    expect(page.locator("h1")).to_have_text(re.compile("^Re-allocate the concern about"))
    expect(page.get_by_text("Allocation history")).to_be_visible()
    _check_both_widths(ui, "re-allocate a concern", problems)
    assert not problems, "\n".join(problems)


def test_the_decision_reveals_only_what_the_answer_needs(ui, demo_cases):
    concern = SafeguardingConcern.objects.filter(team__name="South Locality", decision="pending").first()
    ui.use_session_of("manager.south@example.org")
    page = ui.page
    problems: list[str] = []
    ui.goto(f"/concerns/{concern.pk}/decision/")
    lead = page.get_by_label("Lead practitioner for the enquiry (optional)")
    offered = page.get_by_role("textbox", name=re.compile("advice, signposting or other services"))
    expect(lead).to_be_hidden()
    expect(offered).to_be_hidden()
    short = page.evaluate("document.body.scrollHeight")

    decision = page.get_by_role("group", name="What is the decision?")
    decision.get_by_role("radio", name="Section 42 enquiry").check()
    expect(lead).to_be_visible()
    expect(offered).to_be_hidden()
    decision.get_by_role("radio", name="No further safeguarding action").check()
    expect(lead).to_be_hidden()
    expect(offered).to_be_visible()
    assert page.evaluate("document.body.scrollHeight") > short
    # The radio points at what it reveals; aria-expanded, which ARIA does not allow on a radio, is never set.
    assert page.locator("input[type=radio][aria-controls]").count() == 3
    assert page.locator("[aria-expanded]").count() == 0
    _check_both_widths(ui, "decision with no further action chosen", problems)
    assert not problems, "\n".join(problems)
