"""The notifications page, following a notification, marking all read, and the count in the header."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import DriftRule, Reminder
from msp_cases.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _open_url(notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def _header_item(content: str) -> str:
    """The header's notifications link as a screen reader announces it: its aria-label, or its text."""
    item = re.search(
        r'<a class="govuk-service-navigation__link" href="/notifications/"(.*?)>(.*?)</a>', content, re.S
    )
    assert item, "no Notifications item in the header"
    label = re.search(r'aria-label="([^"]*)"', item.group(1))
    return label.group(1) if label else " ".join(re.sub(r"<[^>]+>", "", item.group(2)).split())


def test_the_list_shows_my_notifications_newest_first_with_unread_marked(
    world, client_for, raise_notification
):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    older = raise_notification(user=me, enquiry=enquiry, rule=DriftRule.NEXT_CONTACT)
    newer = raise_notification(user=me, enquiry=enquiry, rule=DriftRule.PLAN_ACTION)
    Notification.objects.filter(pk=older.pk).update(read_at=timezone.now())
    raise_notification(
        user=world.users["practitioner_south"],
        enquiry=world.cases["south"][2],
        message="Someone else's reminder",
    )

    content = client_for(me).get(LIST).content.decode()

    assert content.index(DriftRule.PLAN_ACTION.label) < content.index(DriftRule.NEXT_CONTACT.label)
    assert content.count(">Unread</strong>") == 1
    assert _open_url(newer) in content and _open_url(older) in content
    assert "Go to the plan action" in content and "Go to the enquiry" in content
    assert "Someone else&#x27;s reminder" not in content and "Someone else's reminder" not in content


def test_the_unread_filter_shows_only_unread(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    read = raise_notification(user=me, enquiry=enquiry, rule=DriftRule.NEXT_CONTACT)
    raise_notification(user=me, enquiry=enquiry, rule=DriftRule.MANAGER_REVIEW)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    content = client_for(me).get(LIST + "?show=unread").content.decode()

    assert DriftRule.MANAGER_REVIEW.label in content
    assert DriftRule.NEXT_CONTACT.label not in content
    assert "Unread (1)" in content


def test_a_reminder_shows_whether_it_is_still_open_resolved_or_escalated(
    world, client_for, raise_notification
):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    client = client_for(me)
    notification = raise_notification(user=me, enquiry=enquiry)
    assert "Still open" in client.get(LIST).content.decode()

    Reminder.objects.filter(pk=notification.reminder_id).update(escalated_at=timezone.now())
    assert ">Escalated</strong>" in client.get(LIST).content.decode()

    Reminder.objects.filter(pk=notification.reminder_id).update(
        status=Reminder.Status.RESOLVED, resolved_at=timezone.now()
    )
    content = client.get(LIST).content.decode()
    assert ">Resolved</strong>" in content and "Still open" not in content


def test_opening_a_notification_marks_it_read_and_goes_to_the_place_to_act(
    world, client_for, raise_notification
):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    notification = raise_notification(user=me, enquiry=enquiry)

    response = client_for(me).get(_open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == enquiry.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(world, client_for, raise_notification):
    theirs = raise_notification(user=world.users["practitioner_south"], enquiry=world.cases["south"][2])

    for user in ("practitioner_north", "manager_south", "unit", "admin"):
        assert client_for(world.users[user]).get(_open_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example/phish", "javascript:alert(1)"],
)
def test_a_link_outside_the_service_is_never_followed(world, client_for, raise_notification, url):
    me = world.users["practitioner_north"]
    notification = raise_notification(user=me, url=url, reminder=False)

    response = client_for(me).get(_open_url(notification), follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "does not lead to a page in this service" in response.content.decode()


def test_mark_all_as_read(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    for rule in (DriftRule.NEXT_CONTACT, DriftRule.PLAN_ACTION):
        raise_notification(user=me, enquiry=enquiry, rule=rule)
    theirs = raise_notification(user=world.users["practitioner_south"], enquiry=world.cases["south"][2])
    client = client_for(me)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    content = response.content.decode()
    assert "All notifications marked as read" in content
    assert ">Unread</strong>" not in content and "Mark all as read" not in content
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paginated(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    for _ in range(30):
        raise_notification(user=me, reminder=False, message="Export ready")
    client = client_for(me)

    first = client.get(LIST).content.decode()
    second = client.get(LIST + "?page=2").content.decode()

    assert first.count("Go to the page") == 25 and "Page 1 of 2" in first
    assert second.count("Go to the page") == 5 and "Page 2 of 2" in second


def test_the_list_costs_a_fixed_number_of_queries(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    client = client_for(me)
    raise_notification(user=me, enquiry=enquiry)
    client.get(LIST)  # warm per-user caches (permissions)

    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for index in range(20):
        raise_notification(user=me, enquiry=enquiry, rule=list(DriftRule)[index % len(DriftRule)])
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200

    assert len(many.captured_queries) == len(one.captured_queries)
    # 14: one insert records the people the page named; the Unread link and the header each count unread;
    # the access rule reads the user's teams once.
    assert len(one.captured_queries) <= 14


def test_the_list_says_whose_case_only_while_the_user_may_see_it(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    raise_notification(user=me, enquiry=world.cases["north"][2])
    # A South case this practitioner does not hold (as after a reallocation): no name on their list.
    raise_notification(user=me, enquiry=world.cases["south"][2])
    page = client_for(me).get(LIST).content.decode()
    assert "Casename-north" in page
    assert "Casename-south" not in page
    # Never in the email, which leaves the service (tests/notifications/test_emails.py).


def test_the_header_shows_the_unread_count_on_every_page(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    _, _, enquiry = world.cases["north"]
    client = client_for(me)
    assert _header_item(client.get(reverse("enquiries:caseload")).content.decode()) == "Notifications"

    for rule in (DriftRule.NEXT_CONTACT, DriftRule.PLAN_ACTION, DriftRule.MANAGER_REVIEW):
        raise_notification(user=me, enquiry=enquiry, rule=rule)

    for url in (reverse("enquiries:caseload"), enquiry.get_absolute_url(), LIST):
        content = client.get(url).content.decode()
        assert _header_item(content) == "Notifications, 3 unread"
        assert '<span class="moj-notification-badge">3<' in content


def test_the_header_count_is_one_query(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    raise_notification(user=me, enquiry=world.cases["north"][2])
    client = client_for(me)
    client.get(reverse("enquiries:caseload"))

    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("enquiries:caseload"))

    table = Notification._meta.db_table
    assert len([q for q in ctx.captured_queries if table in q["sql"]]) == 1


def test_signed_out_visitors_are_sent_to_sign_in():
    from django.test import Client

    response = Client().get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_fragment_without_the_header_does_not_count_notifications(world, raise_notification):
    """Partials rendered with the request (panels, fragments) get the layout context too, but only a page
    that shows the header pays for the count."""
    from django.template import engines
    from django.test import RequestFactory

    me = world.users["practitioner_north"]
    raise_notification(user=me, enquiry=world.cases["north"][2])
    request = RequestFactory().get("/")
    request.user = me
    fragment = engines["django"].from_string("<p>{{ product_name }}</p>")

    with CaptureQueriesContext(connection) as ctx:
        fragment.render({}, request)

    assert not [q for q in ctx.captured_queries if Notification._meta.db_table in q["sql"]]
