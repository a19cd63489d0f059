"""A subject access pack in Chromium, as the unit lead asks for it: the person's page offers it, the form
shows its errors first, then the pack is made and downloaded. axe on every page, at a desktop width and at
320 pixels without scrolling sideways."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

UNIT_LEAD = "unit@example.org"
CASE = "DEMO-004"  # North's open enquiry (tests/browser/test_accessibility.py)
SIZES = {"desktop": {"width": 1280, "height": 900}, "320px": {"width": 320, "height": 640}}


def _check(ui, label: str) -> None:
    page = ui.page
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        ui.shot(f"{label} {name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], f"{label} at {name}"
        assert_accessible(page, label=f"{label} at {name}")
    page.set_viewport_size(SIZES["desktop"])


def test_a_unit_lead_produces_and_downloads_a_pack(ui, demo_cases):
    ui.use_session_of(UNIT_LEAD)
    page = ui.page
    ui.goto(f"/people/{demo_cases[CASE].person}/")
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    page.get_by_role("link", name="Produce a subject access pack").click()
    expect(page.locator("h1")).to_have_text("Produce a subject access pack")
    _check(ui, "subject access form")

    page.get_by_role("button", name="Produce the pack").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the request reference")
    expect(summary).to_contain_text("Enter the date the request was received")
    expect(summary).to_contain_text("Enter why you are producing the pack")
    _check(ui, "subject access form with errors")

    page.get_by_label("Request reference").fill("SAR-2026-0142")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Why are you producing the pack?").fill("Letter from the person, identity checked")
    with page.expect_navigation():
        page.get_by_role("button", name="Produce the pack").click()
    expect(page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    _check(ui, "subject access pack ready")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download Subject access pack (ZIP)").click()
    download = info.value
    assert re.fullmatch(r"subject-access-request-\d+\.zip", download.suggested_filename)
    names = zipfile.ZipFile(io.BytesIO(download.path().read_bytes())).namelist()
    assert names[0] == "index.pdf" and "record.pdf" in names

    ui.goto(f"/people/{demo_cases[CASE].person}/")
    expect(page.get_by_role("cell", name="SAR-2026-0142", exact=True)).to_be_visible()
    _check(ui, "person page with a subject access request")
