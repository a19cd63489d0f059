"""The decision on a concern is due a configurable number of working days (default 2) after it arrives."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from enquiries import timescales
from enquiries.selectors.concerns import concerns_awaiting_decision, with_decision_due
from msp_cases import access

from .factories_concerns import pending_concern

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _at(day: int, month: int = 11, hour: int = 10, minute: int = 15) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


# November 2026: Friday 20, Saturday 21, Sunday 22, Monday 23, Tuesday 24.
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (_at(20), 2, _at(24)),  # Friday + 2 working days = Tuesday
        (_at(18), 2, _at(20)),  # Wednesday + 2 = Friday
        (_at(19), 2, _at(23)),  # Thursday + 2 = Monday, across the weekend
        (_at(21), 1, _at(23)),  # Saturday + 1 = Monday
        (_at(22), 2, _at(24)),  # Sunday + 2 = Tuesday
        (_at(20), 0, _at(20)),
        (_at(20), 5, _at(27)),  # a working week is a calendar week
    ],
)
def test_add_working_days(start, days, due):
    result = timescales.add_working_days(start, days)
    assert result == due
    assert result.astimezone(LONDON).strftime("%A %H:%M") == due.strftime("%A %H:%M")


def test_the_time_of_day_is_kept_across_a_change_of_clocks():
    # Clocks go back on Sunday 25 October 2026: Friday 23 10:15 BST + 2 working days = Tuesday 27 10:15 GMT.
    due = timescales.add_working_days(_at(23, month=10), 2)
    local = due.astimezone(LONDON)
    assert (local.day, local.hour, local.minute) == (27, 10, 15)
    assert local.utcoffset() == datetime.timedelta(0)


def test_the_number_of_working_days_is_configurable(settings, world):
    concern = pending_concern(person=world.cases["north"][0], team=world.north, received_at=_at(20))
    assert timescales.decision_due(concern) == _at(24)
    settings.CONCERN_DECISION_WORKING_DAYS = 1
    assert timescales.decision_due(concern) == _at(23)


def test_the_concern_page_shows_when_the_decision_is_due_and_when_it_is_overdue(world, client_for):
    concern = pending_concern(person=world.cases["north"][0], team=world.north, received_at=_at(20))
    url = reverse("enquiries:concern_detail", args=[concern.pk])
    # Signed in at each moment: a session left idle across the jump would have timed out.
    with time_machine.travel(_at(24, hour=10, minute=0)):
        page = client_for(world.users["practitioner_north"]).get(url)
    assert b"Decision due by" in page.content
    assert b"Tuesday 24 November 2026, 10:15" in page.content
    assert b"Overdue" not in page.content
    with time_machine.travel(_at(24, hour=10, minute=30)):
        page = client_for(world.users["practitioner_north"]).get(url)
    assert b'<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page.content


def test_a_decided_concern_is_never_overdue(world, client_for):
    concern = pending_concern(person=world.cases["north"][0], team=world.north, received_at=_at(2))
    concern.decision = concern.Decision.NO_FURTHER_ACTION
    concern.save()
    with time_machine.travel(_at(24)):
        assert not timescales.decision_overdue(concern)
        page = client_for(world.users["practitioner_north"]).get(concern.get_absolute_url())
    assert b"Overdue" not in page.content


def test_concerns_awaiting_decision_are_scoped_oldest_first_and_cost_one_query(
    world, django_assert_num_queries
):
    person = world.cases["north"][0]
    older = pending_concern(person=person, team=world.north, received_at=_at(2))
    newer = pending_concern(person=person, team=world.north, received_at=_at(20))
    decided = pending_concern(person=person, team=world.north, received_at=_at(3))
    decided.decision = decided.Decision.OTHER_ENQUIRY
    decided.save()
    south = pending_concern(person=world.cases["south"][0], team=world.south, received_at=_at(1))
    user = world.users["practitioner_north"]
    user.has_perm("enquiries.view_safeguardingconcern")  # the user's permissions, loaded once per request
    access.concern_scope(user)  # and their teams, which the access rule reads once per request too
    with time_machine.travel(_at(23)), django_assert_num_queries(1):
        rows = with_decision_due(concerns_awaiting_decision(user=user))
        shown = [
            (c.pk, c.person.family_name, c.team.name, str(c.allocated_to), c.decision_overdue) for c in rows
        ]
    pks = [pk for pk, *_ in shown]
    assert pks.index(older.pk) < pks.index(newer.pk)
    assert decided.pk not in pks and south.pk not in pks
    overdue = {pk: flag for pk, *_, flag in shown}
    assert overdue[older.pk] is True and overdue[newer.pk] is False


def test_the_query_count_does_not_grow_with_the_list(world, django_assert_num_queries):
    user = world.users["practitioner_north"]
    for _ in range(10):
        pending_concern(person=world.cases["north"][0], team=world.north, allocated_to=user)
    user.has_perm("enquiries.view_safeguardingconcern")  # the user's permissions, loaded once per request
    access.concern_scope(user)  # and their teams
    with django_assert_num_queries(1):
        rows = with_decision_due(concerns_awaiting_decision(user=user))
        [(c.person.display_name, c.team.name, str(c.allocated_to)) for c in rows]
    assert len(rows) >= 10
