"""An export in Chromium: from the enquiry page's button to the export page (which passes axe in every
state a user may see) and the download, as a practitioner would do it. Tasks run eagerly here, so the page
shows the file ready at once; the polling script is checked against a queued export."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from msp_cases.exports.models import Export
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser

PRACTITIONER = "practitioner.north@example.org"
CASE = "DEMO-004"  # North's open enquiry (tests/browser/test_accessibility.py)


def test_request_a_case_summary_and_download_it(ui, demo_cases):
    ui.sign_in(PRACTITIONER)
    ui.goto(f"/enquiries/{demo_cases[CASE].enquiry}/")
    with ui.page.expect_navigation():
        ui.page.get_by_role("button", name="Request a case summary (PDF)").click()
    expect(ui.page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    expect(ui.page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    assert_accessible(ui.page, label="export ready")
    ui.shot("export ready")
    with ui.page.expect_download() as info:
        ui.page.get_by_role("button", name=re.compile("^Download Case summary")).click()
    download = info.value
    assert download.suggested_filename == f"enquiry-{demo_cases[CASE].enquiry}-case-summary.pdf"
    assert download.path().read_bytes()[:5] == b"%PDF-"
    ui.goto("/exports/")
    expect(ui.page.get_by_role("heading", name="My exports")).to_be_visible()
    assert_accessible(ui.page, label="my exports")


def test_the_page_follows_a_queued_export_until_it_is_ready(ui, demo_cases):
    """The script polls the status and swaps in the ready panel, announced in the live region."""
    from msp_cases.accounts.models import User

    user = User.objects.get(email=PRACTITIONER)
    export = Export.objects.create(
        kind="case_summary",
        params={"enquiry": demo_cases[CASE].enquiry},
        enquiry_id=demo_cases[CASE].enquiry,
        requested_by=user,
        title="Case summary",
        filename=f"enquiry-{demo_cases[CASE].enquiry}-case-summary.pdf",
        created_at=timezone.now(),
        enqueued_at=timezone.now(),
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    ui.use_session_of(PRACTITIONER)
    ui.goto(f"/exports/{export.pk}/")
    expect(ui.page.get_by_text("Your request is waiting to be prepared.")).to_be_visible()
    assert_accessible(ui.page, label="export queued")
    from msp_cases.exports import rendering

    rendering.export_render(export_id=export.pk)
    expect(ui.page.get_by_role("heading", name="Your file is ready")).to_be_visible(timeout=15_000)
    expect(ui.page.locator("#export-announcement")).to_have_text("Your file is ready to download.")
    expect(ui.page.get_by_role("link", name="Check again")).to_be_hidden()
    assert_accessible(ui.page, label="export ready after polling")


@pytest.mark.parametrize("state", ["failed", "saved while the service is down", "expired"])
def test_the_other_states_pass_axe(ui, demo_cases, state):
    from msp_cases.accounts.models import User
    from msp_cases.exports import rendering

    now = timezone.now()
    export = Export.objects.create(
        kind="case_summary",
        params={"enquiry": demo_cases[CASE].enquiry},
        enquiry_id=demo_cases[CASE].enquiry,
        requested_by=User.objects.get(email=PRACTITIONER),
        title="Case summary",
        filename="enquiry-case-summary.pdf",
        created_at=now,
        expires_at=now,
        status={"failed": "failed", "expired": "expired"}.get(state, "queued"),
        failure_reason=rendering.REASON_ERROR if state == "failed" else "",
    )
    ui.use_session_of(PRACTITIONER)
    ui.goto(f"/exports/{export.pk}/")
    expected = {
        "failed": "The file could not be prepared",
        "saved while the service is down": "Your request is saved.",
        "expired": "This file was deleted",
    }[state]
    expect(ui.page.get_by_text(expected, exact=False).first).to_be_visible()
    assert_accessible(ui.page, label=f"export {state}")
