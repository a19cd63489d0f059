"""Printing, and the person's chronology, in Chromium: the chronology at a desktop width and at 320 pixels
with axe, its filter, and its "Print this chronology" link; an enquiry page and the chronology as printed
(print media, and a PDF of each made by Chromium's own print, kept with the screenshots): marked
OFFICIAL-SENSITIVE, without the header, navigation, footer, back link, buttons or forms, and with no link
addresses printed."""

import pytest
from playwright.sync_api import expect

from enquiries.models import Enquiry, Person

from .test_documents_browser import _check_both_widths, _north_enquiry

pytestmark = pytest.mark.browser


def _printed(ui, label: str) -> None:
    """As printed: what is hidden and what is shown, then a PDF of it beside the screenshots."""
    page = ui.page
    page.emulate_media(media="print")
    expect(page.locator(".app-print-marking")).to_be_visible()
    expect(page.locator(".app-print-marking")).to_contain_text("OFFICIAL-SENSITIVE")
    for hidden in (
        "header",
        "footer",
        ".govuk-back-link",
        ".govuk-service-navigation",
        "form",
        ".govuk-button",
    ):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    # GOV.UK Frontend prints a link's address after it: not here.
    after = page.evaluate(
        "getComputedStyle(document.querySelector('main a.govuk-link[href^=\"/\"]'), '::after').content"
    )
    assert after in ("none", "normal", "")
    page.pdf(path=ui.shots_dir / f"{label}.pdf", prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")


def test_the_chronology_filtered_and_printed(ui, demo_cases):
    enquiry = Enquiry.objects.filter(team__name="North Locality", conversations__isnull=False).first()
    person = Person.objects.get(pk=enquiry.person_id)
    ui.use_session_of("practitioner.north@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto(person.get_absolute_url())
    page.get_by_role("link", name="Chronology").click()
    expect(page.locator("h1")).to_have_text("Chronology")
    expect(page.locator(".app-chronology__entry").first).to_be_visible()
    _check_both_widths(ui, "chronology", problems)

    # Only conversations; then a date that is not one.
    page.get_by_label("Conversations").check()
    page.get_by_role("button", name="Apply filters").click()
    # Read the filtered page once it has come, not the page it replaces as it goes.
    page.wait_for_url("**kinds=conversation**")
    expect(page.locator(".app-chronology__entry").first).to_be_visible()
    kinds = page.locator(".app-chronology__entry").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert kinds and set(kinds) == {"conversation"}
    page.locator("#id_date_from_0").fill("31")
    page.locator("#id_date_from_1").fill("2")
    page.locator("#id_date_from_2").fill("2025")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The first date to show must be a real date")
    _check_both_widths(ui, "chronology with an error", problems)
    page.get_by_role("link", name="Clear filters").click()

    # The print link opens the browser's print dialog (counted here instead of opened).
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print this chronology").click()
    assert page.evaluate("window.__printed") == 1
    _printed(ui, "chronology printed")
    assert not problems, "\n".join(problems)


def test_an_enquiry_page_printed(ui, demo_cases):
    enquiry = _north_enquiry()
    ui.use_session_of("practitioner.north@example.org")
    ui.goto(enquiry.get_absolute_url())
    expect(ui.page.locator(".app-print-marking")).to_be_hidden()  # on screen, the footer says it
    _printed(ui, "enquiry printed")
