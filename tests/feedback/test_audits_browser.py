"""Case-file audits in Chromium, as the unit uses them: draw a sample, audit a case file (with the error
summary first), see the comments on the enquiry page and the results; axe-core on every page on the way."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import AUDIT_CHECKLIST, CaseFileAudit
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser


def test_the_unit_draws_a_sample_audits_a_case_file_and_reads_the_results(ui):  # noqa: F811
    page = ui.page
    ui.use_session_of("unit@example.org")
    ui.goto("/audits/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case-file audits")
    assert_accessible(page, label="audit samples")

    page.get_by_role("link", name="Draw a sample").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draw an audit sample")
    assert_accessible(page, label="draw a sample")
    start = timezone.localdate() - datetime.timedelta(days=60)
    page.locator('input[name="start_0"]').fill(str(start.day))
    page.locator('input[name="start_1"]').fill(str(start.month))
    page.locator('input[name="start_2"]').fill(str(start.year))
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Sample of all teams"))
    expect(page.get_by_text("0 of 2 audited")).to_be_visible()  # the demo's two closed enquiries
    assert_accessible(page, label="audit sample")

    page.get_by_role("link", name=re.compile("^Audit ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit this case file")
    assert_accessible(page, label="audit form")
    page.get_by_role("button", name="Save the audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a grade")
    assert_accessible(page, label="audit form with errors")

    for _name, question in AUDIT_CHECKLIST:
        page.get_by_role("group", name=question).get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Grade").get_by_label("Good", exact=True).check()
    page.get_by_label("Comments for the practitioner and their manager").fill("Her own words throughout.")
    page.get_by_role("button", name="Save the audit").click()
    expect(page.get_by_text("1 of 2 audited")).to_be_visible()

    audited = CaseFileAudit.objects.get()
    ui.goto(f"/enquiries/{audited.enquiry_id}/")
    panel = page.locator("#case-file-audit")
    expect(panel).to_contain_text("Her own words throughout.")
    assert_accessible(page, label="enquiry page with its audit")

    ui.goto("/reports/audits/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case-file audits")
    expect(page.locator("#audit-grades")).to_contain_text("Whole period")
    assert_accessible(page, label="audit results")
