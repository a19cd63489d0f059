"""The front door's queue at /front-door/: who may open it, what it lists and in which order, the decision
timescale and "Overdue", pagination, and a fixed number of queries however long the queue."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from msp_cases.accounts import roles
from msp_cases.accounts.services import user_access_set
from msp_cases.frontdoor.models import Referral, ReferralEvent

from .queue_scene import days_ago, make_referral

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["practitioner_north", "manager_north", "unit", "unit_lead", "admin"]


def _urls(referral):
    return [reverse("front_door:queue"), reverse("front_door:screen", args=[referral.pk])]


def test_anonymous_is_sent_to_sign_in(client):
    for url in _urls(make_referral()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_may_not_use_the_front_door(world, client_for, role):
    referral = make_referral(adult_name="Distinctive Adultname")
    client = client_for(world.users[role])
    for url in _urls(referral):
        response = client.get(url)
        assert response.status_code == 403
        assert b"Distinctive Adultname" not in response.content
    assert client.post(_urls(referral)[1], {"outcome": "not_safeguarding"}).status_code == 403
    assert Referral.objects.get(pk=referral.pk).state == Referral.State.WAITING


def test_front_door_staff_see_the_queue_and_its_navigation(front_door_client, front_door):
    make_referral(adult_name="Margaret Hughes")
    response = front_door_client.get(reverse("front_door:queue"))
    assert response.status_code == 200
    assert "Margaret Hughes" in response.content.decode()
    assert response.context["nav_items"][0]["text"] == "Front door"
    # Each referral listed is in its own record: who saw it, when, from where.
    (event,) = ReferralEvent.objects.filter(detail="Listed in the front-door queue")
    assert event.user == front_door and event.action == ReferralEvent.Action.VIEWED


def test_a_referral_that_does_not_exist_is_not_found(front_door_client):
    assert front_door_client.get(reverse("front_door:screen", args=[999999])).status_code == 404


def test_oldest_first_with_due_dates_and_overdue(front_door_client):
    monday = timezone.make_aware(datetime.datetime(2026, 11, 23, 9, 0))
    with time_machine.travel(monday, tick=False):
        old = make_referral(adult_name="Older Person", submitted_at=monday - datetime.timedelta(days=7))
        new = make_referral(adult_name="Newer Person", submitted_at=monday - datetime.timedelta(hours=1))
        response = front_door_client.get(reverse("front_door:queue"))
    rows = response.context["page"].object_list
    assert [r.pk for r in rows] == [old.pk, new.pk]
    assert rows[0].decision_overdue and not rows[1].decision_overdue
    # Sunday 08:00 + 2 working days = Tuesday 08:00
    assert timezone.localtime(rows[1].decision_due) == timezone.make_aware(
        datetime.datetime(2026, 11, 25, 8, 0)
    )
    html = response.content.decode()
    assert html.count('govuk-tag--red">Overdue') == 1
    assert html.index("Older Person") < html.index("Newer Person")


def test_screened_referrals_are_not_in_the_queue(front_door_client):
    make_referral(adult_name="Still Waiting")
    make_referral(adult_name="Already Routed", state=Referral.State.PASSED_ON)
    make_referral(adult_name="Already Closed", state=Referral.State.NO_FURTHER_ACTION)
    html = front_door_client.get(reverse("front_door:queue")).content.decode()
    assert "Still Waiting" in html
    assert "Already Routed" not in html and "Already Closed" not in html


def test_fifty_a_page_with_govuk_pagination(front_door_client):
    for n in range(51):
        make_referral(adult_name=f"Adult {n:02d}", submitted_at=days_ago(60 - n))
    first = front_door_client.get(reverse("front_door:queue"))
    assert len(first.context["page"].object_list) == 50
    assert 'class="govuk-pagination"' in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    second = front_door_client.get(reverse("front_door:queue") + "?page=2")
    assert [r.adult_name for r in second.context["page"].object_list] == ["Adult 50"]


def test_the_queue_costs_the_same_queries_however_long(front_door_client, django_assert_max_num_queries):
    make_referral()
    url = reverse("front_door:queue")
    front_door_client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        front_door_client.get(url)
    for n in range(60):
        make_referral(adult_name=f"Adult {n}", submitted_at=days_ago(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = front_door_client.get(url)
    assert len(response.context["page"].object_list) == 50


def test_administrators_give_the_front_door_role_in_the_user_admin(world, client_for):
    admin = world.users["admin"]
    worker = world.users["practitioner_south"]
    page = client_for(admin).get(reverse("admin:accounts_user_change", args=[worker.pk]))
    assert ">Front door<" in page.content.decode()
    front_door = Group.objects.get(name=roles.FRONT_DOOR)
    user_access_set(actor=admin, user=worker, groups=[front_door], teams=None, ip_address=None)
    worker = type(worker).objects.get(pk=worker.pk)  # permissions are cached on the object
    assert worker.has_perm(roles.SCREEN_REFERRAL)
    assert client_for(worker).get(reverse("front_door:queue")).status_code == 200
