"""The service-wide Record of access: names the person to whoever may see them (anyone else reads "A record
you may not see"), filters by person (a name among those the reader may see, or one person from their page),
by member of staff and by dates, pages through the entries keeping the filter, costs the same number of
queries for one entry or a page of them, and records its own reading as every list that names people does."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enquiries.models import Person
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.selectors import NAMED_IN_THE_RECORD
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("audit:recent")


def _event(user, person, *, when=None, detail="Person's record"):
    event = AccessEvent.objects.create(
        user=user,
        action=AccessEvent.Action.VIEW,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=person.pk,
        person=person,
        detail=detail,
    )
    if when is not None:
        AccessEvent.objects.filter(pk=event.pk).update(occurred_at=when)
    return event


def _get(client, **params):
    response = client.get(PAGE, params)
    return response, response.content.decode()


def _name(person) -> str:
    return escape(person.display_name)


@pytest.fixture
def seen(world):
    """North's person looked at by North's practitioner, South's by South's."""
    north, south = world.cases["north"][0], world.cases["south"][0]
    _event(world.users["practitioner_north"], north)
    _event(world.users["practitioner_south"], south)
    return north, south


def test_the_unit_sees_each_persons_name_and_that_it_was_shown_is_recorded(world, client_for, seen):
    north, south = seen
    unit = world.users["unit"]
    response, html = _get(client_for(unit))
    assert response.status_code == 200
    assert _name(north) in html and _name(south) in html
    assert f"{PAGE}?person={north.pk}" in html  # the name filters the record to them
    recorded = AccessEvent.objects.filter(user=unit, detail=NAMED_IN_THE_RECORD)
    assert sorted(recorded.values_list("person_id", flat=True)) == sorted([north.pk, south.pk])


def test_someone_allowed_the_record_but_not_the_person_reads_a_record_you_may_not_see(
    world, client_for, seen
):
    north, south = seen
    manager = world.users["manager_north"]
    manager.user_permissions.add(Permission.objects.get(codename="view_accessevent"))
    _, html = _get(client_for(manager))
    assert _name(north) in html
    assert "A record you may not see" in html
    assert south.family_name not in html and f"?person={south.pk}" not in html
    # Searching for South's person by name finds nothing: only people the reader may see are searched.
    _, html = _get(client_for(manager), name=south.family_name)
    assert "No entries match the filter." in html
    # ...and asking for them by id is "Page not found", as their own page would be.
    assert client_for(manager).get(PAGE, {"person": south.pk}).status_code == 404


def test_filter_by_name_member_of_staff_and_dates(world, client_for, seen):
    north, south = seen
    client = client_for(world.users["unit"])
    old = timezone.now() - datetime.timedelta(days=40)
    _event(world.users["manager_north"], north, when=old)

    _, html = _get(client, name=f"  {north.family_name.upper()} ")
    assert _name(north) in html and _name(south) not in html
    assert "2 entries match the filter." in html

    _, html = _get(client, who=world.users["practitioner_south"].email)
    assert _name(south) in html and _name(north) not in html

    day = timezone.localdate(old)
    _, html = _get(
        client, date_from_0=day.day, date_from_1=day.month, date_from_2=day.year,
        date_to_0=day.day, date_to_1=day.month, date_to_2=day.year,
    )  # fmt: skip
    assert "1 entry matches the filter." in html
    assert escape(world.users["manager_north"].full_name) in html


def test_one_person_from_their_page_and_that_reading_is_recorded_as_their_page_records_it(
    world, client_for, seen
):
    north, south = seen
    unit = world.users["unit"]
    client = client_for(unit)
    # Their page and their own Record of access offer the service-wide record, filtered to them.
    for own in ("enquiries:person_detail", "enquiries:person_access_log"):
        assert f"{PAGE}?person={north.pk}" in client.get(reverse(own, args=[north.pk])).content.decode()

    _, html = _get(client, person=north.pk)
    assert _name(north) in html and _name(south) not in html
    assert "Remove this filter:</span> " + _name(north) in html
    assert AccessEvent.objects.filter(user=unit, person=north, detail="Record of access").count() == 2
    # Someone without the Record of access is not offered it on the person's page.
    page = client_for(world.users["practitioner_north"]).get(
        reverse("enquiries:person_detail", args=[north.pk])
    )
    assert PAGE not in page.content.decode()


def test_a_bad_filter_is_said_in_an_error_summary(world, client_for, seen):
    client = client_for(world.users["unit"])
    _, html = _get(
        client, date_from_0=10, date_from_1=5, date_from_2=2026, date_to_0=1, date_to_1=5, date_to_2=2026
    )
    assert "govuk-error-summary" in html
    assert "The last date to show must be on or after the first date" in html
    _, html = _get(client, date_from_0=31, date_from_1=2, date_from_2=2026)
    assert "The first date to show must be a real date" in html


def test_its_own_reads_are_left_out_unless_asked_for(world, client_for, seen):
    unit = world.users["unit"]
    client = client_for(unit)
    _get(client)  # names both people: recorded
    _, html = _get(client, who=unit.email)
    assert "No entries match the filter." in html
    _, html = _get(client, who=unit.email, include_own="on")
    assert NAMED_IN_THE_RECORD in html


def test_pages_keep_the_filter_and_cost_the_same_queries_for_one_entry_or_a_page(world, client_for):
    unit = world.users["unit"]
    client = client_for(unit)
    viewer = world.users["practitioner_north"]
    first = PersonFactory(given_name="Joseph", family_name="Wright")
    _event(viewer, first)
    _get(client, name="wright")  # warm up (session, permissions)
    with CaptureQueriesContext(connection) as one:
        _get(client, name="wright")
    for n in range(59):
        _event(viewer, PersonFactory(given_name=f"Wright-{n}", family_name="Wright"))
    with CaptureQueriesContext(connection) as many:
        _, html = _get(client, name="wright")
    assert len(many) == len(one)
    assert "60 entries match the filter." in html and "Showing 1 to 50." in html
    assert 'href="?name=wright&amp;page=2"' in html
    _, html = _get(client, name="wright", page=2)
    assert "Showing 51 to 60." in html
