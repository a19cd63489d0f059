"""One enquiry from the concern to its signed-off closure, in Chromium.

The practitioner records a concern, decides on a section 42 enquiry, and (once the manager has allocated it
to them) works it with the person: Part 1, two conversations, desired outcomes in the person's words (one
revised), a plan action. Then time passes beyond the next contact they agreed, the drift scan runs as beat
would, and the reminder reaches the practitioner. They record the outcomes' achievement and Part 2 and
propose closure; the closure gate first lists what is missing. The manager returns it once with a comment the
practitioner sees, then approves it with the organisation's perspective. axe-core checks every page; every
step is photographed."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .steps import choose, decide_section_42, fill_date, record_concern, record_conversation

pytestmark = pytest.mark.browser

PRACTITIONER = "practitioner.north@example.org"
MANAGER = "manager.north@example.org"


def _save(page, name="Save"):
    """Submit, and the page after it confirms the save (or the failure names the errors shown)."""
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, f"{page.url}: {errors.first.inner_text()}"
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def _checked_and_shot(ui, label):
    assert_accessible(ui.page, label=label)
    ui.shot(label)


def _allocate_to_practitioner(ui, enquiry_url: str) -> None:
    """The manager, in a tab of their own, allocates the new enquiry to the practitioner."""
    page = ui.page
    ui.sign_out()
    ui.sign_in(MANAGER)
    page.goto(enquiry_url)
    page.get_by_role("button", name="Allocate").click()
    page.get_by_role("group", name="Who should lead the enquiry?").get_by_label(
        re.compile("Priya Shah")
    ).check()
    _checked_and_shot(ui, "manager allocates")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Priya Shah").first).to_be_visible()
    ui.sign_out()
    ui.sign_in(PRACTITIONER)


def _part1(ui, enquiry_url: str, today: datetime.date) -> None:
    page = ui.page
    page.goto(enquiry_url)
    page.get_by_role("link", name="Record Part 1").click()
    choose(page, "How do they want to be involved?", "Meet the chair first")
    choose(page, "How do they want to be kept informed?", "Face to face")
    page.get_by_label("Who do they want involved?").fill("My daughter, Sue.")
    page.get_by_label("Who do they not want told?").fill("The lodger.")
    choose(page, "Who completed Part 1?", "The person", exact=True)
    fill_date(page, "Date completed", today)
    _checked_and_shot(ui, "part 1 form")
    _save(page)
    expect(page.locator(".govuk-notification-banner")).to_be_visible()


def _add_outcome(ui, enquiry_url: str, words: str, said_on: datetime.date) -> None:
    page = ui.page
    page.goto(enquiry_url)
    page.get_by_role("link", name="Add what the person wants to happen").click()
    page.get_by_label("What does the person want to happen, in their own words?").fill(words)
    choose(page, "Who said it?", "The person")
    fill_date(page, "When did they say it?", said_on)
    _checked_and_shot(ui, "desired outcome form")
    _save(page, "Save outcome")
    expect(page.get_by_text(words).first).to_be_visible()


RETURN_COMMENT = "Please say in the closure summary who Eileen can call if the lodger comes back."


def _record_achievements(ui, enquiry_url: str) -> None:
    page = ui.page
    for number, achieved in [(1, "Fully Achieved"), (2, "Partially Achieved")]:
        page.goto(enquiry_url)
        page.get_by_role("link", name=f"Record how far it was achieved (outcome {number})").click()
        choose(page, "How far does the person feel this outcome was achieved?", achieved)
        page.get_by_label("The person’s comment (optional)").fill("I feel much better about it.")
        _checked_and_shot(ui, f"achievement of outcome {number}")
        _save(page)
        expect(page.get_by_text(achieved).first).to_be_visible()


def _part2(ui, enquiry_url: str, on: datetime.date) -> None:
    page = ui.page
    page.goto(enquiry_url)
    page.get_by_role("link", name="Record Part 2").click()
    # "Yes" reveals their answers; the questions for "No" (with a "Yes" of their own) stay hidden.
    page.get_by_role("group", name="Was the person approached for their feedback?").get_by_role(
        "radio", name="Yes", exact=True
    ).first.check()
    expect(page.get_by_label("Who answered in their best interests?")).to_be_hidden()
    for question in [
        "Did you feel listened to?",
        "Did you feel informed?",
        "Do you feel safer?",
        "Are you happy with how your concerns were dealt with?",
    ]:
        choose(page, question, "Yes, completely")
    choose(page, "Is further work needed to help them recover?", "No")
    choose(page, "Who answered?", "The person")
    fill_date(page, "Date completed", on)
    _checked_and_shot(ui, "part 2 form")
    _save(page)
    expect(page.locator(".govuk-notification-banner")).to_be_visible()


def _closure_details(ui, enquiry_url: str) -> None:
    page = ui.page
    page.goto(enquiry_url)
    page.get_by_role("link", name="Change closure details").click()
    choose(page, "Action taken and result", "Risk identified and action taken")
    choose(page, "What happened to the risk?", "Risk reduced")
    page.get_by_label("Closure summary, written to the person").fill(
        "Eileen, your keys are back and your locks are changed. Sue helps you with the bank."
    )
    _checked_and_shot(ui, "closure details")
    _save(page)
    expect(page.locator(".govuk-notification-banner")).to_be_visible()


def _capacity(ui, enquiry_url: str, on: datetime.date) -> None:
    """Mental capacity about the enquiry (SAC SG3a), which the closure gate asks for."""
    page = ui.page
    page.goto(enquiry_url)
    page.get_by_role("link", name="Change risk, capacity, advocacy and outcomes").click()
    choose(
        page,
        "Did the person lack capacity to make decisions about the enquiry?",
        "No, they did not lack capacity",
    )
    page.get_by_label("What decision was their capacity assessed for?").fill(
        "Whether to take part in the enquiry"
    )
    fill_date(page, "When was capacity assessed?", on)
    page.get_by_label("Who assessed capacity?").fill("Priya Shah, social worker")
    _save(page)


def _propose_closure(ui, enquiry_url: str, comment: str) -> None:
    page = ui.page
    page.goto(enquiry_url)
    page.get_by_role("button", name="Propose closure").click()
    expect(page.locator("h1")).to_have_text("Propose closure")
    gate = page.locator(".govuk-error-summary")
    assert gate.count() == 0, gate.inner_text()
    page.get_by_label("Anything the manager should know (optional)").fill(comment)
    _checked_and_shot(ui, "propose closure")
    page.get_by_role("button", name="Propose closure").click()
    expect(page.get_by_text("Closure proposed").first).to_be_visible()
    _checked_and_shot(ui, "closure proposed")


def _sign_off(ui, enquiry_url: str, *, approve: bool, comments: str) -> None:
    page = ui.page
    if "/sign-off/" not in page.url:
        page.goto(enquiry_url)
        page.get_by_role("button", name="Sign off closure").click()
    if approve:  # the return before is in front of the manager who approves
        expect(page.locator("[data-returned]")).to_contain_text(RETURN_COMMENT)
    decision = "Approve: close the enquiry" if approve else "Return it to the lead practitioner with comments"
    choose(page, "Do you approve the closure of this enquiry?", decision)
    page.get_by_label("Comments", exact=True).fill(comments)
    _checked_and_shot(ui, "sign off: approve" if approve else "sign off: return")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()


def _organisation_perspective(ui, enquiry_url: str) -> None:
    page = ui.page
    page.goto(enquiry_url)
    page.get_by_role("link", name="Record the organisation's perspective").click()
    page.get_by_label("What could have been done better?").fill("The bank could have been contacted sooner.")
    page.get_by_label("How well did agencies work together?").fill(
        "Well: the bank and police shared quickly."
    )
    page.get_by_label("What changes do you recommend?").fill("A named contact at each bank.")
    choose(page, "Did systems and processes support Making Safeguarding Personal?", "Yes")
    page.get_by_label("What training needs have you identified?").fill("None this time.")
    _checked_and_shot(ui, "organisation's perspective")
    _save(page)
    expect(page.locator(".govuk-notification-banner")).to_be_visible()


def test_practitioner_takes_an_enquiry_to_a_signed_off_closure(ui, demo_cases):
    from enquiries.models import DriftPolicy, DriftRule

    page = ui.page
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    next_contact = today + datetime.timedelta(days=7)
    person = demo_cases["DEMO-003"]  # Eileen Parry, North

    # Journey 1: the practitioner signs in through the form, records a concern and decides on an enquiry.
    ui.sign_in(PRACTITIONER)
    _checked_and_shot(ui, "signed in")
    record_concern(
        ui, person.person, received=today - datetime.timedelta(days=2),
        what_happened="Eileen's new lodger has taken her bank card and her keys.",
    )  # fmt: skip
    _checked_and_shot(ui, "concern recorded")
    enquiry_url = decide_section_42(ui, "All three criteria are met; Eileen agrees to an enquiry.")
    _checked_and_shot(ui, "enquiry opened")
    _allocate_to_practitioner(ui, enquiry_url)
    page.goto(enquiry_url)
    page.get_by_role("button", name="Start work").click()  # one press, no page to confirm
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Work on the enquiry has started")
    _checked_and_shot(ui, "work started")

    _part1(ui, enquiry_url, today)
    _checked_and_shot(ui, "part 1 recorded")

    page.goto(enquiry_url)
    record_conversation(
        page, on=yesterday, at="10:00", matters="\"I don't want him arrested, I want my keys back.\"",
        wants="To feel safe at home.", next_on=today + datetime.timedelta(days=3),
        check=lambda label: assert_accessible(page, label=label),
    )  # fmt: skip
    _checked_and_shot(ui, "first conversation saved")
    page.goto(enquiry_url)
    record_conversation(
        page, on=yesterday, at="15:00", matters="\"My daughter can help me with the bank.\"",
        wants="To change the locks this week.", next_on=next_contact,
    )  # fmt: skip
    _checked_and_shot(ui, "second conversation saved")

    _add_outcome(ui, enquiry_url, "I want my keys back.", yesterday)
    _add_outcome(ui, enquiry_url, "I want to manage my own money.", yesterday)
    page.get_by_role("link", name="Change the words of outcome 2").click()
    page.get_by_label(re.compile("in their own words")).fill(
        "I want to manage my own money, with Sue's help."
    )
    page.get_by_label("Why has it changed? (optional)").fill("Eileen added that her daughter should help.")
    _checked_and_shot(ui, "revise an outcome")
    _save(page, "Save the new words")
    expect(page.get_by_text("with Sue's help").first).to_be_visible()

    page.goto(enquiry_url)
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("What is the action?").fill("Change the locks at Eileen's home.")
    page.get_by_label("Who will do it?").fill("Sue Parry, her daughter")
    fill_date(page, "By when?", next_contact + datetime.timedelta(days=30))
    choose(page, "Was the action agreed with the person?", "Yes")
    choose(page, "Status", "In progress")
    _checked_and_shot(ui, "plan action form")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("#plan ~ * td", has_text="Change the locks at Eileen's home.").first).to_be_visible()
    _checked_and_shot(ui, "enquiry with outcomes and plan")

    # Journey 2: time passes beyond the agreed contact and its grace; the scan runs as beat would.
    grace = DriftPolicy.objects.get(rule=DriftRule.NEXT_CONTACT).days
    later = next_contact + datetime.timedelta(days=grace + 1)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(11, 0)).astimezone(), tick=True):
        call_command("scan_drift")
        ui.sign_in(PRACTITIONER)  # the session from a fortnight ago has long expired
        badge = page.locator("header .moj-notification-badge")
        expect(badge).to_be_visible()
        assert int(badge.inner_text()) >= 1
        page.locator("header").get_by_role("link", name=re.compile("Notifications")).click()
        _checked_and_shot(ui, "notifications with the reminder")
        row = page.locator("tr", has_text="Eileen Parry").filter(has_text=re.compile("contact", re.I)).first
        expect(row).to_be_visible()
        row.get_by_role("link").first.click()
        expect(page).to_have_url(re.compile(re.escape(enquiry_url.split("//", 1)[1].split("/", 1)[1])))
        _checked_and_shot(ui, "reminder lands on the enquiry")

        # Journey 3: the closure gate says what is missing, then lets the proposal through.
        page.get_by_role("button", name="Propose closure").click()
        gate = page.locator(".govuk-error-summary")
        expect(gate).to_contain_text("Before you can propose closure")
        _checked_and_shot(ui, "closure gate lists what is missing")
        missing = gate.locator("li").all_inner_texts()
        assert missing, "the gate should list what is missing"

        _record_achievements(ui, enquiry_url)
        _part2(ui, enquiry_url, later)
        _capacity(ui, enquiry_url, later)
        _closure_details(ui, enquiry_url)
        _propose_closure(ui, enquiry_url, "Eileen has her keys back and the locks are changed.")

        # Journey 4: the manager returns it once with a comment, then approves it.
        ui.sign_out()
        ui.sign_in(MANAGER)
        ui.goto("/team/sign-off/")
        _checked_and_shot(ui, "sign-off queue")
        queue_row = page.locator("tr", has_text="Eileen Parry")
        expect(queue_row).to_be_visible()
        queue_row.get_by_role("link", name="Sign off or return").click()
        expect(page).to_have_url(re.compile(r"/sign-off/$"))
        _sign_off(ui, enquiry_url, approve=False, comments=RETURN_COMMENT)

        ui.sign_out()
        ui.sign_in(PRACTITIONER)
        ui.goto("/caseload/")
        expect(
            page.locator("tr", has_text="Eileen Parry").locator("[data-returned-comment]")
        ).to_contain_text("Please say in the closure summary")
        _checked_and_shot(ui, "caseload shows the return")
        page.goto(enquiry_url)
        expect(page.locator(".moj-timeline")).to_contain_text(RETURN_COMMENT)
        _checked_and_shot(ui, "practitioner sees the return comment")
        _propose_closure(ui, enquiry_url, "Part 2's answers are now on the record.")

        ui.sign_out()
        ui.sign_in(MANAGER)
        _organisation_perspective(ui, enquiry_url)
        _sign_off(ui, enquiry_url, approve=True, comments="Good work with Eileen.")
        stage = page.locator(".govuk-summary-list__row", has=page.get_by_text("Stage", exact=True)).first
        expect(stage).to_contain_text("Closed")
        _checked_and_shot(ui, "enquiry closed")
