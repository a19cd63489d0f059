"""The decision on a concern is due a configurable number of working days (default 2) after it arrives."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from enquiries import timescales
from enquiries.selectors.concerns import concerns_awaiting_decision, with_decision_due
from msp_cases import access
from msp_cases.reports.measures.timeliness import timeliness_report
from msp_cases.reports.scope import scope_for
from tests.factories import ConcernFactory

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


# Bank holidays of England and Wales are not working days (the `holidays` package's calendar).
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Christmas 2026: Friday 25 Christmas Day, Monday 28 Boxing Day (substitute for Saturday 26).
        (_at(24, month=12), 2, _at(30, month=12)),
        (_at(23, month=12), 1, _at(24, month=12)),
        (_at(24, month=12), 1, _at(29, month=12)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (
            datetime.datetime(2027, 3, 25, 10, 15, tzinfo=LONDON),
            2,
            datetime.datetime(2027, 3, 31, 10, 15, tzinfo=LONDON),
        ),
        # The spring bank holiday, Monday 25 May 2026.
        (_at(22, month=5), 1, _at(26, month=5)),
        (_at(25, month=5), 1, _at(26, month=5)),  # received on the holiday itself
    ],
)
def test_bank_holidays_are_not_working_days(start, days, due):
    assert timescales.add_working_days(start, days) == due


def test_a_bank_holiday_is_named():
    assert timescales.bank_holiday(datetime.date(2026, 12, 28)) == "Boxing Day (observed)"
    assert timescales.bank_holiday(datetime.date(2027, 3, 29)) == "Easter Monday"
    assert timescales.bank_holiday(datetime.date(2026, 12, 24)) is None


def test_the_concern_page_counts_a_decision_due_across_christmas(world, client_for):
    concern = pending_concern(person=world.cases["north"][0], team=world.north, received_at=_at(24, month=12))
    with time_machine.travel(_at(29, month=12, hour=9)):
        page = client_for(world.users["practitioner_north"]).get(
            reverse("enquiries:concern_detail", args=[concern.pk])
        )
    assert b"Wednesday 30 December 2026, 10:15" in page.content
    assert b"Overdue" not in page.content


def test_the_timeliness_report_counts_working_days_around_bank_holidays(world, settings):
    """The report's SQL agrees with the timescale: received on Christmas Eve and decided on 30 December is
    within 2 working days; received on Tuesday 22 December and decided on Christmas Eve is too; decided on
    29 December after a Tuesday 22 December receipt is not."""
    settings.CONCERN_DECISION_WORKING_DAYS = 2
    for received, decided in [
        (_at(24, month=12), _at(30, month=12, hour=10)),  # within: due Wednesday 30, 10:15
        (_at(22, month=12), _at(24, month=12, hour=10)),  # within: due Thursday 24, 10:15
        (_at(22, month=12), _at(29, month=12, hour=10)),  # not within
    ]:
        ConcernFactory(
            team=world.north,
            received_at=received,
            decided_at=decided,
            decision="section_42",
            person=world.cases["north"][0],
        )
        assert (decided <= timescales.add_working_days(received, 2)) == (decided.day != 29)
    scope = scope_for(
        user=world.users["unit"], start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 31)
    )
    table = timeliness_report(scope=scope).tables["timeliness_concern_to_decision"]
    total = dict(table.rows)["Total"]
    shown = dict(zip(table.columns, (cell.display for cell in total), strict=True))
    assert shown["Concerns decided"] == "3"
    assert shown["% within 2 working days"] == "66.7%"
