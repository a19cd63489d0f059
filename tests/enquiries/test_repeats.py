"""Repeat concerns: others in the last 12 months about the same adult, naming the same person as alleged to
have caused harm, or naming the same care provider — listed to whoever may see them, opened only by those who
may open them."""

import datetime

import pytest
from django.utils import timezone

from enquiries.models import CareProvider
from enquiries.selectors.repeats import concern_repeats, repeat_concerns
from msp_cases.audit.models import AccessEvent
from tests.factories import PersonFactory

from .factories_concerns import pending_concern
from .test_providers import front_door_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def oakfield(db):
    return CareProvider.objects.create(name="Oakfield Care Home", cqc_location_id="1-1000000001")


def _concern(world, case, days_ago, **kwargs):
    person = world.cases[case][0]
    team = world.north if case in ("north", "restricted_north") else world.south
    return pending_concern(person=person, team=team, received_at=timezone.now() - days_ago * DAY, **kwargs)


def test_concerns_about_one_provider_in_the_last_12_months(world, oakfield):
    this = _concern(world, "north", 1, alleged_harm_by="care_provider", alleged_provider=oakfield)
    south = _concern(world, "south", 100, alleged_harm_by="care_provider", alleged_provider=oakfield)
    _concern(world, "south", 400, alleged_harm_by="care_provider", alleged_provider=oakfield)  # too long ago
    _concern(
        world,
        "south",
        5,
        alleged_harm_by="care_provider",
        alleged_provider=CareProvider.objects.create(name="Elm"),
    )

    unit = world.users["unit"]
    assert list(repeat_concerns(user=unit, provider=oakfield, exclude=this)) == [south]
    # A practitioner sees their own team's only: South's concern is not in North's scope.
    assert (
        list(repeat_concerns(user=world.users["practitioner_north"], provider=oakfield, exclude=this)) == []
    )
    # The front door sees every team's listed, but may open none of them.
    [row] = repeat_concerns(user=front_door_user(), provider=oakfield, exclude=this)
    assert row == south and row.can_open is False


def test_the_same_alleged_person_whatever_the_case_and_spacing_typed(world):
    this = _concern(world, "north", 1, alleged_harm_by="person", alleged_person_name="Mark Hughes")
    other = _concern(world, "south", 20, alleged_harm_by="person", alleged_person_name="mark HUGHES")
    _concern(world, "south", 20, alleged_harm_by="person", alleged_person_name="Mark Hughes-Smith")
    rows = repeat_concerns(user=world.users["unit"], alleged_person_name=" MARK hughes ", exclude=this)
    assert list(rows) == [other]


def test_nothing_without_a_criterion(world):
    _concern(world, "north", 1)
    assert not repeat_concerns(user=world.users["unit"]).exists()


def test_the_concern_page_says_how_many_other_concerns_name_the_provider(world, client_for, oakfield):
    this = _concern(world, "north", 1, alleged_harm_by="care_provider", alleged_provider=oakfield)
    north_older = _concern(world, "north", 30, alleged_harm_by="care_provider", alleged_provider=oakfield)
    _concern(world, "south", 60, alleged_harm_by="care_provider", alleged_provider=oakfield)
    _concern(world, "restricted_north", 10, alleged_harm_by="care_provider", alleged_provider=oakfield)

    unit = client_for(world.users["unit"]).get(this.get_absolute_url())
    text = unit.content.decode()
    assert "2 other concerns about this provider" in text  # the restricted one is not the unit's to see
    # The same adult: the older North one, and the concern the North case began with.
    assert "2 other concerns about Given-north Casename-north" in text

    practitioner = world.users["practitioner_north"]
    page = client_for(practitioner).get(this.get_absolute_url()).content.decode()
    assert "1 other concern about this provider" in page
    assert north_older.get_absolute_url() in page
    assert AccessEvent.objects.filter(
        user=practitioner, person=north_older.person, detail="Concern listed as a repeat concern"
    ).exists()


def test_a_concern_with_no_repeats_shows_no_panel(world, client_for):
    this = pending_concern(person=PersonFactory(), team=world.south, alleged_harm_by="not_known")
    page = client_for(world.users["practitioner_south"]).get(this.get_absolute_url())
    assert b"Repeat concerns" not in page.content
    assert not concern_repeats(user=world.users["practitioner_south"], concern=this)


def test_repeats_cost_two_queries_however_many(world, oakfield, django_assert_num_queries):
    this = _concern(world, "north", 1, alleged_harm_by="care_provider", alleged_provider=oakfield)
    for days in range(2, 12):
        _concern(world, "south", days, alleged_harm_by="care_provider", alleged_provider=oakfield)
    unit = world.users["unit"]
    unit.has_perm("enquiries.view_all_cases")  # the user's permissions, read once per request anyway
    with django_assert_num_queries(2):  # the concerns, their types of risk
        repeats = concern_repeats(user=unit, concern=this)
        assert len(repeats.about_provider) == 10
