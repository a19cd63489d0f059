"""Documents in Chromium, at a desktop width and at 320 pixels, with axe on every page: North's practitioner
adds a GP letter and a photo to an enquiry (the form's errors first), opens the document's page, and removes
one in error; the same form works with JavaScript turned off."""

import io

import pytest
from playwright.sync_api import expect

from enquiries.models import Enquiry
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents.models import Document

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


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (180, 60, 60)).save(out, format="JPEG")
    return out.getvalue()


def _north_enquiry() -> Enquiry:
    return Enquiry.objects.filter(team__name="North Locality", status=Enquiry.Status.OPEN).order_by("pk")[0]


def test_a_practitioner_adds_documents_opens_one_and_removes_one_in_error(ui, demo_cases):
    enquiry = _north_enquiry()
    ui.use_session_of("practitioner.north@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto(enquiry.get_absolute_url())
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()
    _check_both_widths(ui, "enquiry page without documents", problems)
    page.get_by_role("link", name="Add a document").click()
    expect(page.locator("h1")).to_have_text("Add a document")
    _check_both_widths(ui, "add a document", problems)

    page.get_by_role("button", name="Add document").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a file")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title for the document")
    _check_both_widths(ui, "add a document with errors", problems)

    pdf = html_to_pdf("<h1>Letter from the GP</h1>", base_url="/")
    page.get_by_label("Upload files").set_input_files(
        [
            {"name": "gp-letter.pdf", "mimeType": "application/pdf", "buffer": pdf},
            {"name": "bruise.jpg", "mimeType": "image/jpeg", "buffer": _photo()},
        ]
    )
    page.get_by_label("Title").fill("From Dr Patel")
    page.get_by_label("Letter").check()
    page.get_by_label("Who provided it (optional)").fill("Dr Patel, the GP")
    page.get_by_role("button", name="Add document").click()
    expect(page.get_by_text("2 documents added")).to_be_visible()
    table = page.get_by_test_id("documents-table")
    expect(table).to_contain_text("From Dr Patel: gp-letter.pdf")
    expect(table).to_contain_text("From Dr Patel: bruise.jpg")
    _check_both_widths(ui, "enquiry page with documents", problems)

    table.get_by_role("link", name="From Dr Patel: gp-letter.pdf").click()
    expect(page.locator("h1")).to_have_text("From Dr Patel: gp-letter.pdf")
    expect(page.locator("#scan-status")).to_have_text("Not scanned for viruses")
    expect(page.get_by_role("link", name="View the file")).to_be_visible()
    _check_both_widths(ui, "document page", problems)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file").click()
    assert download.value.suggested_filename == "gp-letter.pdf"

    page.get_by_role("link", name="Remove this document").click()
    expect(page.locator("h1")).to_have_text("Remove this document")
    page.get_by_role("button", name="Remove document").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the document is being removed")
    _check_both_widths(ui, "remove with errors", problems)
    page.get_by_label("Why is this document being removed?").fill("This letter is about another person")
    page.get_by_role("button", name="Remove document").click()
    expect(page.get_by_test_id("documents-table")).not_to_contain_text("gp-letter.pdf")
    expect(page.get_by_test_id("documents-table")).to_contain_text("bruise.jpg")
    assert Document.objects.filter(removed_at__isnull=False).count() == 1
    assert not problems, "\n".join(problems)


def test_the_form_works_without_javascript(chromium_browser, demo_cases, live_server):
    from django.conf import settings
    from django.test import Client

    from msp_cases.accounts.models import User

    enquiry = _north_enquiry()
    client = Client()
    client.force_login(User.objects.get(email="practitioner.north@example.org"))
    context = chromium_browser.new_context(java_script_enabled=False, viewport=NARROW, locale="en-GB")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/enquiries/{enquiry.pk}/documents/new/")
        page.get_by_label("Upload files").set_input_files(
            [{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Phoned the care home.\n"}]
        )
        page.get_by_label("Title").fill("Phone notes")
        page.get_by_label("Other").check()
        page.get_by_role("button", name="Add document").click()
        expect(page.get_by_test_id("documents-table")).to_contain_text("Phone notes")
    finally:
        context.close()
