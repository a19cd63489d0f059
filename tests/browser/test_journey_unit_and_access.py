"""Three journeys in Chromium, with axe-core on every page:

1. The safeguarding adults unit runs the SAC return for the day a demo section 42 enquiry was closed (so the
   test does not depend on today's date), sees it counted, and downloads the CSV and the PDF through the
   export page, checking the counted cell in both.
2. A practitioner of the other team tries that enquiry's address, its export and its notification and gets
   "Page not found" each time.
3. A conversation recorded with the keyboard alone; the high-contrast switch, kept across a page load; the
   session-timeout warning.
"""

import csv
import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.db.models import Q
from django.utils import timezone
from playwright.sync_api import expect

from msp_cases.core.actor import Actor

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

UNIT = "unit@example.org"
NORTH_PRACTITIONER = "practitioner.north@example.org"
SOUTH_PRACTITIONER = "practitioner.south@example.org"
CLOSED_CASE = "DEMO-007"  # Sandra Mills, North: a section 42 enquiry about self-neglect, closed (signed off)
SELF_NEGLECT = "Self-Neglect"
TOTAL = "Total"


def _sg2a_total(page, row: str) -> str:
    """SG2a (type of risk by source of risk): the Total column of `row`, as the page shows it."""
    header = page.get_by_role("rowheader", name=row, exact=True)
    cell = page.locator("table#SG2a tr").filter(has=header).locator("td").last
    # What is seen: the figure, without the words a screen reader hears after it (the link to its records).
    return cell.evaluate(
        "td => { const seen = td.cloneNode(true);"
        " seen.querySelectorAll('.govuk-visually-hidden').forEach(hidden => hidden.remove());"
        " return seen.textContent.trim(); }"
    )


def _download_export(ui, button: str, step: str, download_button: str):
    """Request → export page ("Your file is ready") → Download, as a user does; returns the download."""
    page = ui.page
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    expect(page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    assert_accessible(page, label=f"export page: {step}")
    ui.shot(f"{step} ready")
    export_url = page.url
    with page.expect_download() as info:
        # The title names the format already: no "(PDF)" added to a CSV's button.
        page.get_by_role("button", name=download_button, exact=True).click()
    return info.value, export_url


def test_unit_runs_the_sac_return_and_another_team_cannot_reach_the_enquiry(ui, demo_cases, tmp_path):
    from enquiries.models import Enquiry
    from msp_cases.accounts.models import Team, User
    from msp_cases.exports import services as export_services
    from msp_cases.notifications.models import Notification

    page = ui.page
    enquiry = Enquiry.objects.get(pk=demo_cases[CLOSED_CASE].enquiry)
    assert enquiry.status == Enquiry.Status.CLOSED and enquiry.closed_at is not None
    # The period is the day it was closed, in the service's time zone: whatever today is, it is in it, and
    # the only North enquiry closed that day.
    closed_on = timezone.localdate(enquiry.closed_at)
    north = Team.objects.get(pk=enquiry.team_id)

    # Journey 1: the unit's SAC return for that day and team.
    ui.sign_in(UNIT)
    ui.goto("/reports/sac/")
    expect(page.locator("h1")).to_contain_text("SAC")
    assert_accessible(page, label="SAC return, default period")
    for group, day in (("From", closed_on), ("To", closed_on)):
        fieldset = page.get_by_role("group", name=group, exact=True)
        fieldset.get_by_label("Day", exact=True).fill(str(day.day))
        fieldset.get_by_label("Month", exact=True).fill(str(day.month))
        fieldset.get_by_label("Year", exact=True).fill(str(day.year))
    page.get_by_label("Team", exact=True).select_option(label=north.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    expect(
        page.get_by_text(f"{closed_on:%-d %B %Y} to {closed_on:%-d %B %Y}", exact=False).first
    ).to_be_visible()
    assert _sg2a_total(page, SELF_NEGLECT) == "1"
    assert _sg2a_total(page, "Physical Abuse") == "0"
    assert_accessible(page, label="SAC return for the day of the closure")
    ui.shot("SAC return counts the closed enquiry")
    sac_url = page.url

    download, csv_export_url = _download_export(ui, "Download CSV", "CSV export", "Download SAC return (CSV)")
    assert download.suggested_filename == f"sac-return-{closed_on}-to-{closed_on}.csv"
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["table", "row", "column", "value"]
    assert ["SG2a", SELF_NEGLECT, TOTAL, "1"] in rows
    assert ["SG2a", "Physical Abuse", TOTAL, "0"] in rows

    page.goto(sac_url)
    download, pdf_export_url = _download_export(ui, "Download PDF", "PDF export", "Download SAC return (PDF)")
    assert download.suggested_filename == f"sac-return-{closed_on}-to-{closed_on}.pdf"
    pdf = tmp_path / "sac.pdf"
    download.save_as(pdf)
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the PDF"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of" in text
    assert "SG2a" in text
    # The Self-Neglect row of SG2a: one enquiry, under "Other - Unknown to individual" and in the total.
    assert re.search(rf"^\s*{SELF_NEGLECT}(\s+0)*\s+1(\s+0)*\s+1\s*$", text, re.M), text
    ui.sign_out()

    # Journey 2: South's practitioner tries the enquiry, an export of it and a notification about it.
    north_practitioner = User.objects.get(email=NORTH_PRACTITIONER)
    summary = export_services.export_request(
        actor=Actor.of(north_practitioner),
        kind="case_summary",
        enquiry=enquiry,
        params={"enquiry": enquiry.pk},
    )
    notification = Notification.objects.filter(Q(export=summary) | Q(reminder__enquiry=enquiry)).first()
    addresses = [
        f"/enquiries/{enquiry.pk}/",
        f"/enquiries/{enquiry.pk}/conversations/new/",
        f"/exports/{summary.pk}/",
        f"/exports/{summary.pk}/download/",
        csv_export_url.removeprefix(ui.base_url),
        pdf_export_url.removeprefix(ui.base_url),
    ]
    assert notification is not None  # "Your export is ready", linking to the export
    addresses.append(f"/notifications/{notification.pk}/open/")
    ui.sign_in(SOUTH_PRACTITIONER)
    for number, address in enumerate(addresses):
        response = ui.goto(address)
        assert response.status == 404, f"{address}: {response.status}"
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page.get_by_text("Sandra")).to_have_count(0)
        assert_accessible(page, label=f"page not found: {address}")
        if number == 0:
            ui.shot("other team gets page not found")


# Journey 3 ------------------------------------------------------------------------------------------------

KEYBOARD_CASE = "DEMO-004"  # Joseph Wright, North: an open section 42 enquiry
HIGH_CONTRAST = re.compile(r"\bapp-high-contrast\b")

# What the focused element is, as a keyboard user hears it: its label (or its text, for buttons and links)
# and the legends of the fieldsets around it, e.g. "Face to face | How did the conversation happen?".
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : el.innerText || el.value || "";
  const own = label.trim();
  const legends = [];
  for (let f = el.closest("fieldset"); f; f = f.parentElement.closest("fieldset")) {
    const legend = f.querySelector(":scope > legend");
    if (legend) legends.push(legend.innerText.trim());
  }
  return [own, ...legends].join(" | ");
}"""


def _focused(page) -> str:
    return page.evaluate(_FOCUSED)


def _tab_to(page, pattern: str, *, key: str = "Tab", limit: int = 80) -> str:
    """Press Tab (or Shift+Tab) until the focused element's description matches `pattern`."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = _focused(page)
        if re.search(pattern, now):
            return now
        seen.append(now)
    raise AssertionError(f"{key} never reached {pattern!r}; focus went through {seen}")


def _type(page, text: str) -> None:
    page.keyboard.press("ControlOrMeta+A")  # replace whatever the field holds
    page.keyboard.type(text)


def _type_date(page, group: str, day: datetime.date) -> None:
    """Day, then Tab to Month and Year: the three boxes of a GOV.UK date input, in order."""
    _tab_to(page, rf"^Day \| {re.escape(group)}")
    _type(page, str(day.day))
    page.keyboard.press("Tab")
    assert _focused(page).startswith("Month"), _focused(page)
    _type(page, str(day.month))
    page.keyboard.press("Tab")
    assert _focused(page).startswith("Year"), _focused(page)
    _type(page, str(day.year))


def _choose_radio(page, group: str, option: str) -> None:
    """Tab into the group, then the arrow keys, which move the choice; Space if it is the first option."""
    first = _tab_to(page, rf"\| {re.escape(group)}")
    if first.startswith(f"{option} |"):
        page.keyboard.press("Space")
    else:
        _tab_to(page, rf"^{re.escape(option)} \|", key="ArrowDown", limit=15)
    checked = page.evaluate("() => document.activeElement.checked")
    assert checked, f"{option} in {group} is not chosen"


def _tick(page, group: str, option: str) -> None:
    _tab_to(page, rf"^{re.escape(option)} \| {re.escape(group)}")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked"), f"{option} in {group} is not ticked"


def test_conversation_by_keyboard_alone_high_contrast_and_the_timeout_warning(ui, demo_cases, settings):
    page = ui.page
    today = timezone.localdate()
    enquiry = demo_cases[KEYBOARD_CASE].enquiry
    ui.sign_in(NORTH_PRACTITIONER)
    ui.goto(f"/enquiries/{enquiry}/conversations/new/")
    expect(page.locator("h1")).to_contain_text("conversation")
    assert_accessible(page, label="conversation form")
    ui.shot("conversation form, empty")

    _type_date(page, "Date of the conversation", today - datetime.timedelta(days=1))  # 11:15 is past
    _tab_to(page, r"^Time of the conversation")
    _type(page, "11:15")
    _tick(page, "Who was the conversation with?", "The person")
    _choose_radio(page, "How did the conversation happen?", "Face to face")
    # Forward to the second question, then back a field with Shift+Tab for the first.
    _tab_to(page, r"^What they want to happen")
    _type(page, "To go to the day centre again.")
    _tab_to(page, r"^What matters to the person, in their words", key="Shift+Tab", limit=5)
    _type(page, '"I miss my friends at the day centre."')
    _tab_to(page, r"^Decisions made")
    _type(page, "Joseph will choose when to go back.")
    _choose_radio(page, "Who made the decisions?", "The person")
    # The question sits in a form group like the others (its space below, and the red bar when wrong).
    expect(page.locator(".govuk-form-group > fieldset:has(#id_decision_made_by_1)")).to_have_count(1)
    _type_date(page, "Date of the next contact agreed with the person", today + datetime.timedelta(days=7))
    _tab_to(page, r"^How the next contact will happen")
    _type(page, "Phone call")
    _tick(page, "Making Safeguarding Personal: looking back on this conversation", "I involved the person")
    _tab_to(page, r"^Save conversation$")
    ui.shot("conversation form, completed by keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, errors.inner_text()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert_accessible(page, label="conversation saved")
    ui.shot("conversation saved")
    ui.goto(f"/enquiries/{enquiry}/")
    expect(page.locator(".moj-timeline")).to_contain_text("I miss my friends at the day centre.")
    assert_accessible(page, label="enquiry with the new conversation")
    ui.shot("conversation on the timeline")

    # High contrast: the class on <html>, kept across a page load.
    html = page.locator("html")
    expect(html).not_to_have_class(HIGH_CONTRAST)
    with page.expect_navigation():
        page.locator("footer").get_by_role("button", name="High contrast").click()
    expect(html).to_have_class(HIGH_CONTRAST)
    page.reload()
    expect(html).to_have_class(HIGH_CONTRAST)
    expect(page.locator(".moj-timeline")).to_contain_text("I miss my friends at the day centre.")
    assert_accessible(page, label="enquiry in high contrast")
    ui.shot("high contrast after a page load")

    # The session-timeout warning: the session shortened to 12 seconds, warned 10 seconds before its end.
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_WARNING_SECONDS = 10
    page.reload()
    dialog = page.locator("#session-timeout-dialog")
    expect(dialog).to_have_attribute("open", "", timeout=6_000)
    expect(dialog.get_by_role("heading", level=2)).to_have_text("You’re about to be signed out")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page, label="session-timeout warning")
    ui.shot("session timeout warning")
    page.keyboard.press("Enter")  # "Stay signed in" has the focus
    expect(dialog).not_to_have_attribute("open", "")
