"""Steps the browser journeys share, written as a person would take them: by labels and button names."""

import datetime
import re

from playwright.sync_api import expect

from .accessibility import assert_accessible


def fill_date(page, group: str, day: datetime.date, *, within=None) -> None:
    fieldset = (within or page).get_by_role("group", name=group, exact=True)
    fieldset.get_by_label("Day", exact=True).fill(str(day.day))
    fieldset.get_by_label("Month", exact=True).fill(str(day.month))
    fieldset.get_by_label("Year", exact=True).fill(str(day.year))


def choose(page, group, option: str, *, exact: bool = True) -> None:
    """Tick one radio or checkbox inside the fieldset whose legend is `group`."""
    page.get_by_role("group", name=group).get_by_label(option, exact=exact).check()


def record_concern(ui, person_id: int, *, received: datetime.date, what_happened: str) -> None:
    """A new concern about a person, started from their record; ends on the concern's page."""
    page = ui.page
    ui.goto(f"/people/{person_id}/")
    assert_accessible(page, label="person page")
    page.get_by_role("link", name=re.compile("Record a new concern")).click()
    fill_date(page, "Date received", received)
    page.get_by_label("Time received").fill("09:30")
    choose(page, "Does the referrer want to stay anonymous?", "No")
    page.get_by_label("Referrer’s name (optional)").fill("Jo Bloggs")
    page.get_by_label("What happened, in the referrer’s words").fill(what_happened)
    page.get_by_label("Financial or Material Abuse").check()
    choose(page, "Location of risk", "Their own home")
    choose(page, "Source of risk", "Someone known to the person")
    choose(page, "Does the person know about the concern?", "Yes")
    assert_accessible(page, label="concern form")
    ui.shot("concern form filled")
    page.get_by_role("button", name="Save concern").click()
    expect(page.locator("h1")).to_contain_text("oncern")


def decide_section_42(ui, why: str = "All three criteria are met; the person agrees.") -> str:
    """From the concern's page: a section 42 enquiry with the three criteria; returns the enquiry's URL."""
    page = ui.page
    page.get_by_role("link", name=re.compile("decision", re.I)).first.click()
    for question in [
        "Does the person have needs for care and support?",
        "Are they experiencing, or at risk of, abuse or neglect?",
        re.compile("unable to protect themselves"),
    ]:
        choose(page, question, "Yes")
    choose(page, "What is the decision?", "Section 42 enquiry")
    page.get_by_label("Why was this decision made?").fill(why)
    assert_accessible(page, label="decision form")
    ui.shot("section 42 decision")
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(re.compile(r"/enquiries/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Enquiry")
    return page.url


def record_conversation(
    page, *, on: datetime.date, at: str, matters: str, wants: str, next_on: datetime.date, check=None
) -> None:
    """From the enquiry's page: a conversation with the person, with what matters and a next agreed
    contact. `check(label)` runs axe on the filled form before it is saved."""
    page.locator("a", has_text="Record a conversation").first.click()  # a link styled as a button
    expect(page.locator("h1")).to_contain_text("conversation")
    fill_date(page, "Date of the conversation", on)
    page.get_by_label("Time of the conversation").fill(at)
    choose(page, "Who was the conversation with?", "The person")
    choose(page, "How did the conversation happen?", "Face to face")
    page.get_by_label("What matters to the person, in their words").fill(matters)
    page.get_by_label("What they want to happen").fill(wants)
    page.get_by_label("Decisions made").fill("To take it one step at a time.")
    choose(page, "Who made the decisions?", "The person")
    fill_date(page, "Date of the next contact agreed with the person", next_on)
    page.get_by_label("How the next contact will happen").fill("Visit at home")
    page.get_by_label("I involved the person").check()
    if check:
        check("conversation form")
    page.get_by_role("button", name="Save conversation").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()


def form_outline(page) -> str:
    """Legends, labels and buttons of the page's main form, for a failing step's message."""
    return "\n".join(
        page.locator("main").locator("legend, label, button, .govuk-error-summary").all_inner_texts()
    )
