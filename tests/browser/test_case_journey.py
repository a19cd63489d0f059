"""A practitioner's journey through a case, in Chromium: record a concern about a person,
decide on a section 42 enquiry with the three criteria, log two conversations in the person's words, and see
them on the enquiry's timeline. axe-core checks every page on the way."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


def _fill_date(page, group: str, day: datetime.date) -> None:
    fieldset = page.get_by_role("group", name=group, exact=True)
    fieldset.get_by_label("Day", exact=True).fill(str(day.day))
    fieldset.get_by_label("Month", exact=True).fill(str(day.month))
    fieldset.get_by_label("Year", exact=True).fill(str(day.year))


def _record_conversation(
    page, *, on: datetime.date, at: str, matters: str, wants: str, next_on: datetime.date
):
    page.locator("a", has_text="Record a conversation").first.click()  # a link styled as a button
    expect(page.locator("h1")).to_contain_text("conversation")
    _fill_date(page, "Date of the conversation", on)
    page.get_by_label("Time of the conversation").fill(at)
    page.get_by_role("group", name="Who was the conversation with?").get_by_label("The person").check()
    page.get_by_role("group", name="How did the conversation happen?").get_by_label("Face to face").check()
    page.get_by_label("What matters to the person, in their words").fill(matters)
    page.get_by_label("What they want to happen").fill(wants)
    page.get_by_label("Decisions made").fill("To take it one step at a time.")
    page.get_by_role("group", name="Who made the decisions?").get_by_label("The person", exact=True).check()
    _fill_date(page, "Date of the next contact agreed with the person", next_on)
    page.get_by_label("How the next contact will happen").fill("Visit at home")
    page.get_by_label("I involved the person").check()
    page.get_by_role("button", name="Save conversation").click()


def test_practitioner_records_a_concern_decides_section_42_and_logs_two_conversations(ui, demo_cases):
    page = ui.page
    today = datetime.date.today()
    person = demo_cases["DEMO-003"]  # Eileen Parry, North: an earlier concern ended with no further action
    ui.sign_in("practitioner.north@example.org")

    # Record a new concern about her, starting from her record.
    ui.goto(f"/people/{person.person}/")
    assert_accessible(page, label="person page")
    page.get_by_role("link", name=re.compile("Record a new concern")).click()
    _fill_date(page, "Date received", today - datetime.timedelta(days=2))
    page.get_by_label("Time received").fill("09:30")
    page.get_by_role("group", name="Does the referrer want to stay anonymous?").get_by_label("No").check()
    page.get_by_label("Referrer’s name (optional)").fill("Jo Bloggs")
    page.get_by_label("What happened, in the referrer’s words").fill(
        "Eileen's new lodger has taken her bank card <b>and</b> her keys."
    )
    page.get_by_label("Financial or Material Abuse").check()
    page.get_by_role("group", name="Location of risk").get_by_label("Their own home").check()
    page.get_by_role("group", name="Source of risk").get_by_label("Someone known to the person").check()
    page.get_by_role("group", name="Does the person know about the concern?").get_by_label("Yes").check()
    assert_accessible(page, label="concern form")
    ui.shot("concern form filled")
    page.get_by_role("button", name="Save concern").click()
    expect(page.get_by_text("her bank card <b>and</b> her keys", exact=False)).to_be_visible()  # escaped
    ui.shot("concern recorded")

    # Decide: a section 42 enquiry, with the three criteria recorded explicitly.
    page.get_by_role("link", name=re.compile("decision", re.I)).first.click()
    for question in [
        "Does the person have needs for care and support?",
        "Are they experiencing, or at risk of, abuse or neglect?",
        re.compile("unable to protect themselves"),
    ]:
        page.get_by_role("group", name=question).get_by_label("Yes").check()
    page.get_by_role("group", name="What is the decision?").get_by_label("Section 42 enquiry").check()
    page.get_by_label("Why was this decision made?").fill("All three criteria are met; Eileen agrees.")
    assert_accessible(page, label="decision form")
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(re.compile(r"/enquiries/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Enquiry")
    enquiry_url = page.url
    ui.shot("enquiry opened")

    # Two conversations, in her words, each started from the enquiry page.
    yesterday = today - datetime.timedelta(days=1)
    _record_conversation(
        page, on=yesterday, at="10:00", matters="\"I don't want him arrested, I want my keys back.\"",
        wants="To feel safe at home.", next_on=today + datetime.timedelta(days=7),
    )  # fmt: skip
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    ui.shot("first conversation saved")
    page.goto(enquiry_url)
    _record_conversation(
        page, on=yesterday, at="15:00", matters="\"My daughter can help me with the bank.\"",
        wants="To change the locks this week.", next_on=today + datetime.timedelta(days=14),
    )  # fmt: skip

    # Both are on the timeline, and "What matters to me" quotes her latest words.
    page.goto(enquiry_url)
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("I don't want him arrested, I want my keys back.")
    expect(timeline).to_contain_text("My daughter can help me with the bank.")
    expect(page.get_by_text("My daughter can help me with the bank.").first).to_be_visible()
    assert_accessible(page, label="enquiry timeline")
    ui.shot("timeline with two conversations")
