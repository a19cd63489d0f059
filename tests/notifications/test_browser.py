"""In a real browser: the count in the header is announced as "Notifications, N unread", the notifications
page and the email preferences page pass axe, and following a notification lands on the place to act."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enquiries.models import DriftRule, Enquiry, Reminder
from msp_cases.accounts.models import User
from msp_cases.notifications.services import NotificationSpec, notify
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (the browser fixtures)

pytestmark = pytest.mark.browser

EMAIL = "practitioner.north@example.org"


def _remind(user, rules) -> None:
    enquiry = Enquiry.objects.filter(lead_practitioner=user).order_by("pk").first()
    specs = []
    for index, rule in enumerate(rules):
        reminder = Reminder.objects.create(
            rule=rule,
            object_id=enquiry.pk,
            due_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
            enquiry=enquiry,
            team=enquiry.team,
            recipient=user,
            created_at=timezone.now(),
        )
        specs.append(
            NotificationSpec(
                user_id=user.pk,
                kind="reminder",
                message=DriftRule(rule).label,
                url=enquiry.get_absolute_url(),
                reminder_id=reminder.pk,
            )
        )
    notify(specs=specs)


def test_the_header_count_the_list_and_the_preferences_in_a_browser(ui):  # noqa: F811
    _remind(User.objects.get(email=EMAIL), [DriftRule.NEXT_CONTACT, DriftRule.PLAN_ACTION])
    ui.use_session_of(EMAIL)
    page = ui.page

    ui.goto("/caseload/")
    header_item = page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Notifications, 2 unread"
    )
    expect(header_item).to_be_visible()
    ui.shot("the header shows 2 unread")

    header_item.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("row").filter(has_text="Unread")).to_have_count(2)
    assert_accessible(page, label="notifications list")
    ui.shot("the notifications page")

    page.get_by_role(
        "link", name=re.compile(f"^Go to the enquiry\\W+{DriftRule.NEXT_CONTACT.label}$")
    ).click()
    expect(page).to_have_url(re.compile(r"/enquiries/\d+/$"))
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()

    ui.goto("/notifications/email-preferences/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How do you want to be emailed about notifications?"
    )
    assert_accessible(page, label="email preferences")
    page.get_by_label("One email a day listing them (daily digest)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your email preference has been saved")).to_be_visible()

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("All notifications marked as read")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page, label="notifications list, all read")
    ui.shot("all read")
