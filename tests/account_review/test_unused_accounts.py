"""Accounts nobody uses are deactivated by the nightly task: unused for MSP_ACCOUNT_INACTIVE_DAYS (90) since
the last sign-in, or since the account was opened or last reactivated. Each is recorded, signed out, and its
team's managers are told in fixed words, with a link to the account's page (which they may open)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_celery_beat.models import PeriodicTask

from msp_cases.account_review.services import check_inactive_days
from msp_cases.account_review.tasks import deactivate_unused
from msp_cases.accounts import roles
from msp_cases.accounts.models import RoleChange, SignedInSession
from msp_cases.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 7, 3, 15))


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def accounts(world, settings):
    settings.MSP_BREAK_GLASS_ACCOUNTS = ["break.glass@example.org"]
    north = world.north
    return {
        "unused": UserFactory(
            role=roles.PRACTITIONER, teams=[north], last_login=days_ago(91), date_joined=days_ago(500)
        ),
        "used": UserFactory(
            role=roles.PRACTITIONER, teams=[north], last_login=days_ago(89), date_joined=days_ago(500)
        ),
        "never_signed_in": UserFactory(role=roles.PRACTITIONER, teams=[north], date_joined=days_ago(100)),
        "new": UserFactory(role=roles.PRACTITIONER, teams=[north], date_joined=days_ago(10)),
        "superuser": UserFactory(
            is_superuser=True, is_staff=True, last_login=days_ago(400), date_joined=days_ago(500)
        ),
        "break_glass": UserFactory(
            email="break.glass@example.org", last_login=days_ago(400), date_joined=days_ago(500)
        ),
    }


def run_task():
    with time_machine.travel(NOW, tick=False):
        return deactivate_unused.delay().get()


@pytest.fixture(autouse=True)
def _scene_opened_long_ago(world):
    """The shared scene's accounts were opened (and last signed in) a week before the task runs."""
    for user in world.users.values():
        user.date_joined = user.last_login = days_ago(7)
        user.save()


def test_the_unused_and_the_never_used_are_deactivated_and_no_one_else(accounts):
    assert run_task() == 2
    inactive = {name for name, user in accounts.items() if not type(user).objects.get(pk=user.pk).is_active}
    assert inactive == {"unused", "never_signed_in"}
    change = RoleChange.objects.get(user=accounts["unused"])
    assert change.summary == "Account deactivated" and change.reason == "Not used for 90 days"
    assert change.changed_by is None


def test_the_teams_managers_are_told_once_in_words_without_a_name(world, accounts, client_for):
    run_task()
    run_task()  # a second run finds nothing left to do, and tells nobody again
    told = Notification.objects.filter(kind=Notification.Kind.ACCOUNT_DEACTIVATED)
    assert sorted(told.values_list("user", flat=True)) == [world.users["manager_north"].pk] * 2
    unused = accounts["unused"]
    notification = told.get(url=reverse("account_review:account_detail", args=[unused.pk]))
    assert notification.message == "An account in your team was deactivated: not used for 90 days"
    assert unused.full_name not in "".join(m.body + m.subject for m in mail.outbox)
    # The manager opens the account's page: whose it is and why it was deactivated, nothing to change.
    page = client_for(world.users["manager_north"]).get(notification.url).content.decode()
    assert escape(unused.full_name) in page and "Not used for 90 days" in page
    assert "Reactivate account" not in page and "Changes to roles" not in page
    # Another team's manager may not.
    assert client_for(world.users["manager_south"]).get(notification.url).status_code == 404


def test_the_deactivated_are_signed_out(world, accounts, client_for):
    unused = accounts["unused"]
    client_for(unused)  # a browser still signed in from three months ago
    type(unused).objects.filter(pk=unused.pk).update(last_login=days_ago(91))
    run_task()
    assert not SignedInSession.objects.filter(user=accounts["unused"]).exists()


def test_a_reactivated_account_counts_its_days_from_the_reactivation(world, accounts, client_for):
    unused = accounts["unused"]
    with time_machine.travel(days_ago(5), tick=False):
        unused.is_active = False
        unused.save()
        client_for(world.users["admin"]).post(
            reverse("account_review:account_detail", args=[unused.pk]), {"reason": "Back from leave"}
        )
    unused.refresh_from_db()
    assert unused.is_active
    run_task()
    unused.refresh_from_db()
    assert unused.is_active


def test_the_days_are_configurable(accounts, settings):
    settings.MSP_ACCOUNT_INACTIVE_DAYS = 365
    assert run_task() == 0
    settings.MSP_ACCOUNT_INACTIVE_DAYS = 30
    assert run_task() == 3  # the unused, the never used, and the one last used 89 days ago


def test_the_task_is_on_the_nightly_schedule():
    task = PeriodicTask.objects.get(task="account_review.deactivate_unused")
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("3", "15", True)


def test_nobody_is_told_about_an_account_without_a_team(world):
    UserFactory(role=roles.ADMINISTRATOR, last_login=days_ago(120), date_joined=days_ago(500))
    assert run_task() == 1
    assert not Notification.objects.filter(kind=Notification.Kind.ACCOUNT_DEACTIVATED).exists()


@pytest.mark.parametrize(("days", "errors"), [(9, ["account_review.E001"]), (30, []), (90, [])])
def test_too_few_days_fails_the_system_check(settings, days, errors):
    settings.MSP_ACCOUNT_INACTIVE_DAYS = days
    assert [error.id for error in check_inactive_days()] == errors
