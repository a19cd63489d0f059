"""The service navigation bar, role by role: what each user sees, in order, and its unread badge. The items
come from the apps that own the pages (each registers its own from AppConfig.ready()), so this pins the bar
as a user sees it whichever app supplies an item."""

import pytest
from django.urls import reverse
from django.utils import timezone

from msp_cases.notifications.models import Notification

pytestmark = pytest.mark.django_db

CASES = ["Caseload", "Find a person", "Notifications"]
BARS = {
    "practitioner_north": CASES,
    "manager_north": ["Caseload", "Team", "Find a person", "Reports", "Notifications"],
    "unit": [
        "All cases",
        "Teams",
        "Find a person",
        "Care providers",
        "Reports",
        "Safeguarding Adults Reviews",
        "Record of access",
        "Notifications",
    ],
    "unit_lead": [
        "All cases",
        "Teams",
        "Find a person",
        "Care providers",
        "Reports",
        "Safeguarding Adults Reviews",
        "Record of access",
        "Role changes",
        "Accounts",
        "Letter templates",
        "Retention",
        "API clients",
        "Notifications",
    ],
    "admin": ["Accounts", "Letter templates", "Notifications", "Users and teams"],
}


@pytest.mark.parametrize("who", BARS)
def test_each_role_sees_its_own_navigation_in_order(world, client_for, who):
    response = client_for(world.users[who]).get(reverse("notifications:list"))
    assert [item["text"] for item in response.context["nav_items"]] == BARS[who]


def test_nobody_signed_in_sees_no_navigation(client):
    response = client.get(reverse("login"))
    assert response.context["nav_items"] == []


def test_the_notifications_item_counts_the_unread_ones(world, client_for):
    user = world.users["practitioner_north"]
    for n in range(3):
        Notification.objects.create(
            user=user,
            kind=Notification.Kind.REMINDER,
            message=f"Reminder {n}",
            url="/",
            created_at=timezone.now(),
        )
    response = client_for(user).get(reverse("enquiries:caseload"))
    (item,) = [i for i in response.context["nav_items"] if i["text"] == "Notifications"]
    assert item["unread"] == 3
    assert response.context["unread_notifications"] == 3
    assert "3 unread" in response.content.decode()
    others = [i["unread"] for i in response.context["nav_items"] if i["text"] != "Notifications"]
    assert others == [0, 0]


def test_the_current_item_is_the_one_whose_pages_these_are(world, client_for):
    response = client_for(world.users["manager_north"]).get(reverse("reports:index"))
    assert [i["text"] for i in response.context["nav_items"] if i["current"]] == ["Reports"]


@pytest.mark.parametrize(
    ("who", "lands_on"), [("practitioner_north", "enquiries:caseload"), ("admin", "admin:index")]
)
def test_home_takes_each_user_to_where_they_work(world, client_for, who, lands_on):
    response = client_for(world.users[who]).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)
