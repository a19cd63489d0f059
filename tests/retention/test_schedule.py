"""When a closed case is due for review, the unit leads' list of those due and the monthly notice."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.notifications.models import Notification
from msp_cases.retention import schedule
from msp_cases.retention.models import RetentionSchedule
from msp_cases.retention.selectors import closure_of, years_after
from tests.factories import ConcernFactory, UserFactory

from .conftest import closed_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2033, 6, 15)


def test_a_record_is_due_six_years_after_its_last_closure(world, settings):
    settings.RETENTION_YEARS = 6
    enquiry_closed = closed_case(team=world.north, closed_on=datetime.date(2026, 3, 10))
    concern_ended = closed_case(team=world.north, closed_on=datetime.date(2027, 1, 5), enquiry=False)
    assert closure_of(enquiry_closed).review_due_on == datetime.date(2032, 3, 10)
    assert closure_of(concern_ended).review_due_on == datetime.date(2033, 1, 5)


def test_a_later_concern_moves_the_date_and_an_open_one_means_no_date(world):
    person = closed_case(team=world.north, closed_on=datetime.date(2026, 3, 10))
    later = timezone.make_aware(datetime.datetime(2027, 2, 1, 12))
    concern = ConcernFactory(
        person=person,
        team=world.north,
        received_at=later,
        decision=SafeguardingConcern.Decision.NO_FURTHER_ACTION,
        decided_at=later,
    )
    assert closure_of(person).review_due_on == datetime.date(2033, 2, 1)
    SafeguardingConcern.objects.filter(pk=concern.pk).update(decision=SafeguardingConcern.Decision.PENDING)
    assert closure_of(person).is_open
    assert closure_of(person).review_due_on is None


def test_29_february_falls_on_28_february():
    assert years_after(datetime.date(2028, 2, 29), 6) == datetime.date(2034, 2, 28)


def test_the_nightly_refresh_keeps_one_row_each_and_clears_the_date_of_a_reopened_record(world):
    person = closed_case(team=world.north, closed_on=datetime.date(2026, 3, 10))
    schedule.schedule_refresh()
    schedule.schedule_refresh()  # a second run changes nothing
    row = RetentionSchedule.objects.get(person=person)
    assert row.review_due_on == datetime.date(2032, 3, 10)
    # The world's own cases have open enquiries: a row, no date.
    open_person = world.cases["north"][0]
    assert RetentionSchedule.objects.get(person=open_person).review_due_on is None
    Enquiry.objects.filter(person=person).update(status=Enquiry.Status.IN_PROGRESS)
    schedule.schedule_refresh()
    assert RetentionSchedule.objects.get(person=person).review_due_on is None


def _due_people(world, n, start=datetime.date(2019, 1, 1)):
    return [
        closed_case(
            team=world.north, closed_on=start + datetime.timedelta(days=i), family_name=f"Duename-{i:03}"
        )
        for i in range(n)
    ]


def test_the_unit_lead_sees_the_records_due_longest_due_first_a_page_at_a_time(world, client_for):
    people = _due_people(world, 52)
    closed_case(team=world.north, closed_on=datetime.date(2024, 1, 1), family_name="Notdueyet")
    schedule.schedule_refresh()
    client = client_for(world.users["unit_lead"])
    first = client.get(reverse("retention:due"))
    second = client.get(reverse("retention:due"), {"page": 2})
    body = first.content.decode()
    assert "52 records due, longest due first" in body
    assert body.index("Duename-000") < body.index("Duename-001") < body.index("Duename-049")
    assert "Duename-050" not in body and "Notdueyet" not in body
    assert "Duename-051" in second.content.decode()
    # Each name shown is recorded in the record of access.
    seen = AccessEvent.objects.filter(detail="Closed cases due for retention review")
    assert set(seen.values_list("person_id", flat=True)) == {p.pk for p in people}


def test_the_list_costs_the_same_for_a_few_records_or_a_page_full(world, client_for):
    client = client_for(world.users["unit_lead"])

    def queries() -> int:
        schedule.schedule_refresh()
        client.get(reverse("retention:due"))  # the session's permissions and teams, read once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("retention:due")).status_code == 200
        return len(captured)

    _due_people(world, 2)
    few = queries()
    _due_people(world, 30, start=datetime.date(2019, 6, 1))
    assert queries() == few


@pytest.mark.parametrize("who", ["practitioner_north", "manager_north", "unit", "admin"])
def test_only_unit_leads_open_the_list(world, client_for, who):
    assert client_for(world.users[who]).get(reverse("retention:due")).status_code == 404


def test_the_monthly_notice_tells_each_unit_lead_once_with_a_link_and_no_name(
    world, client_for, django_capture_on_commit_callbacks
):
    _due_people(world, 3)
    other_lead = UserFactory(role=roles.SAFEGUARDING_UNIT, unit_lead=True)
    schedule.schedule_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        told = schedule.due_notify(today=TODAY)
        again = schedule.due_notify(today=TODAY)
    assert (told, again) == (2, 0)
    notified = Notification.objects.filter(message__contains="retention review")
    assert set(notified.values_list("user_id", flat=True)) == {world.users["unit_lead"].pk, other_lead.pk}
    assert notified.first().message == "3 closed cases are due for retention review"
    assert notified.first().url == reverse("retention:due")
    emails = [m for m in mail.outbox if any(u.email in m.to for u in (other_lead, world.users["unit_lead"]))]
    assert len(emails) == 2
    for email in emails:
        assert "Duename" not in email.body and "Duename" not in email.subject
        assert "/notifications/" in email.body and "/open/" in email.body
    # The link opens the notification, which leads to the list of records due.
    mine = notified.get(user=world.users["unit_lead"])
    response = client_for(world.users["unit_lead"]).get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == reverse("retention:due")


def test_the_tasks_are_on_the_schedule():
    from django_celery_beat.models import PeriodicTask

    tasks = dict(
        PeriodicTask.objects.filter(task__startswith="retention.").values_list(
            "task", "crontab__day_of_month"
        )
    )
    assert tasks == {"retention.refresh_schedule": "*", "retention.notify_due": "1"}
