"""In a real browser, at desktop and phone widths: the notifications page naming the person and showing a
manager's comments on a returned closure, and the Record of access filtered to one person and by member of
staff. Both pass axe."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enquiries.models import Enquiry, EnquiryEvent
from enquiries.services.lifecycle import sign_off, transitions
from msp_cases.accounts.demo import NORTH
from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser

PRACTITIONER = "practitioner.north@example.org"
MANAGER = "manager.north@example.org"
UNIT = "unit@example.org"
COMMENTS = "Please record what she said about the bank card before closing."


def _allocate_and_return(practitioner, manager) -> Enquiry:
    """One North enquiry re-allocated to North's practitioner, another's proposed closure returned."""
    north = (
        Enquiry.objects.filter(team__name=NORTH, person__is_restricted=False)
        .exclude(status__in=[Enquiry.Status.CLOSED, Enquiry.Status.PROPOSED_FOR_CLOSURE])
        .order_by("pk")
    )
    enquiry = north.first()
    # Every North case is led by its practitioner: the manager takes one over, then hands it back.
    for lead in (manager, practitioner):
        transitions.enquiry_allocate(
            actor=Actor.of(manager),
            enquiry=Enquiry.objects.get(pk=enquiry.pk),
            lead_practitioner=lead,
            reason="Covering while the lead is on leave",
        )
    returned = north.filter(lead_practitioner=practitioner).exclude(pk=enquiry.pk).first()
    Enquiry.objects.filter(pk=returned.pk).update(
        status=Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now()
    )
    EnquiryEvent.objects.create(
        enquiry=returned, kind=EnquiryEvent.Kind.PROPOSED, occurred_at=timezone.now(), by=practitioner,
        from_status=Enquiry.Status.IN_PROGRESS, to_status=Enquiry.Status.PROPOSED_FOR_CLOSURE,
    )  # fmt: skip
    returned.refresh_from_db()
    sign_off.enquiry_sign_off(actor=Actor.of(manager), enquiry=returned, approve=False, comments=COMMENTS)
    return enquiry


def test_notifications_and_the_record_of_access_in_a_browser(ui):  # noqa: F811
    practitioner, manager = User.objects.get(email=PRACTITIONER), User.objects.get(email=MANAGER)
    allocated = _allocate_and_return(practitioner, manager)
    page = ui.page

    ui.use_session_of(PRACTITIONER)
    ui.goto("/notifications/")
    row = page.get_by_role("row").filter(has_text="A safeguarding enquiry has been allocated to you to lead.")
    expect(row).to_contain_text(allocated.person.display_name)
    expect(page.get_by_text(COMMENTS)).to_be_visible()
    assert_accessible(page, label="notifications with names and comments")
    ui.shot("notifications at 1280")
    page.set_viewport_size({"width": 320, "height": 800})
    ui.shot("notifications at 320")
    page.set_viewport_size({"width": 1280, "height": 900})
    # The practitioner opens the person's record: the unit will see that in the Record of access.
    ui.goto(f"/people/{allocated.person_id}/")

    ui.use_session_of(UNIT)
    ui.goto("/access/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Record of access")
    page.get_by_label("Person’s name").fill(allocated.person.family_name)
    page.get_by_label("Member of staff").fill("Priya")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Remove this filter: Priya")).to_be_attached()
    table = page.get_by_role("table")
    expect(table).to_contain_text(allocated.person.display_name)
    expect(table).to_contain_text("Priya Shah")
    assert_accessible(page, label="record of access, filtered")
    ui.shot("record of access filtered at 1280")
    page.set_viewport_size({"width": 320, "height": 800})
    ui.shot("record of access filtered at 320")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A name in the list filters to that person alone.
    table.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Person", level=3)).to_be_visible()
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_label("Year").first.fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("alert")).to_contain_text("The first date to show must be a real date")
    assert_accessible(page, label="record of access, with an error")
    ui.shot("record of access with an error")
