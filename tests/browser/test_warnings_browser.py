"""A warning in Chromium, at a desktop width and at 320 pixels, with axe on every page: North's practitioner
records "Do not call when her son is at home" from the identity bar (first forgetting why the person was not
told), and finds it at the top of the enquiry page and of "Change the next contact"."""

import pytest
from playwright.sync_api import expect

from enquiries.models import Enquiry
from msp_cases.accounts.models import User

from .test_documents_browser import _check_both_widths

pytestmark = pytest.mark.browser

WHAT_TO_DO = "Do not call when her son is at home"


def test_a_practitioner_records_a_warning_and_sees_it_on_every_page_about_the_person(ui, demo_cases):
    enquiry = Enquiry.objects.filter(
        team__name="North Locality", status=Enquiry.Status.IN_PROGRESS, person__is_restricted=False
    ).order_by("pk")[0]
    manager = User.objects.get(email="manager.north@example.org")
    ui.use_session_of("practitioner.north@example.org")
    page = ui.page
    problems: list[str] = []

    ui.goto(enquiry.get_absolute_url())
    bar = page.get_by_role("region", name="Whose record this is")
    expect(bar).to_contain_text(enquiry.person.display_name)
    bar.get_by_role("link", name="Warnings").click()
    expect(page.locator("h1")).to_have_text("Warnings")
    page.get_by_role("link", name="Add a warning").click()
    expect(page.locator("h1")).to_have_text("Add a warning")

    page.get_by_label("Safe contact").check()
    page.get_by_label("What must staff do?").fill(WHAT_TO_DO)
    page.locator("#id_review_on_0").fill("1")
    page.locator("#id_review_on_1").fill("1")
    page.locator("#id_review_on_2").fill("2099")
    page.get_by_role("group", name="Has the person been told about this warning?").get_by_label("No").check()
    page.get_by_label("Which manager was it agreed with?").select_option(label=manager.full_name)
    page.get_by_role("button", name="Save warning").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the person was not told")
    _check_both_widths(ui, "warning with an error", problems)

    page.get_by_label("If not, why not?").fill("Telling her would alert her son")
    page.get_by_role("button", name="Save warning").click()
    expect(page.get_by_text("Warning added.")).to_be_visible()

    ui.goto(enquiry.get_absolute_url())
    expect(bar).to_contain_text(f"Safe contact: {WHAT_TO_DO}")
    _check_both_widths(ui, "enquiry page with a warning", problems)

    ui.goto(f"/enquiries/{enquiry.pk}/next-contact/")
    expect(bar).to_contain_text(WHAT_TO_DO)
    assert not problems, "\n".join(problems)
