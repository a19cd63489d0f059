"""A restricted person (for example a member of staff) is invisible to everyone not named on the record and
not a unit lead — not only on the pages that show the record, but in everything around it: the duplicate
warning when someone records a person, the reminders and emails drift sends, the team dashboard's figures and
the Record of access."""

import datetime

import pytest
from django.urls import reverse

from enquiries.models import Person
from enquiries.selectors.people import person_possible_duplicates

from .enquiries.factories_people import person_form_data
from .factories import EnquiryFactory, PersonFactory

pytestmark = pytest.mark.django_db

NHS = "9434765919"
BORN = datetime.date(1980, 6, 15)


@pytest.fixture
def staff_member(world):
    """A member of staff with a safeguarding record in South, named to South's manager only."""
    person = PersonFactory(
        given_name="Robin",
        family_name="Colleague",
        date_of_birth=BORN,
        nhs_number=NHS,
        is_restricted=True,
        restricted_to=[world.users["manager_south"]],
    )
    EnquiryFactory(person=person, team=world.south, lead_practitioner=world.users["manager_south"])
    return person


def _record_robin(client, **overrides):
    data = person_form_data(
        given_name="Robin",
        family_name="Colleague",
        date_of_birth_0=str(BORN.day),
        date_of_birth_1=str(BORN.month),
        date_of_birth_2=str(BORN.year),
        **overrides,
    )
    return client.post(reverse("enquiries:person_create"), data)


# The duplicate warning -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["practitioner_north", "manager_north", "practitioner_south"])
@pytest.mark.parametrize("same", ["name and date of birth", "NHS number"])
def test_a_restricted_persons_details_raise_no_warning_for_someone_not_named(
    world, client_for, staff_member, who, same
):
    if same == "NHS number":  # someone else's name, the same NHS number
        data = person_form_data(given_name="Bobby", family_name="Other", nhs_number=NHS[:3] + " " + NHS[3:])
        response = client_for(world.users[who]).post(reverse("enquiries:person_create"), data)
    else:
        response = _record_robin(client_for(world.users[who]))
    content = response.content.decode()
    assert "may already be recorded" not in content
    assert response.status_code == 302  # recorded at once, as for anyone with no match
    assert Person.objects.count() == 6


def test_the_warning_still_shows_to_someone_named_on_the_record(world, client_for, staff_member):
    response = _record_robin(client_for(world.users["manager_south"]))
    content = response.content.decode()
    assert "This person may already be recorded" in content
    assert staff_member.get_absolute_url() in content  # they may open it
    assert Person.objects.filter(family_name="Colleague").count() == 1


def test_a_unit_lead_is_told_of_the_match(world, staff_member):
    found = person_possible_duplicates(
        user=world.users["unit_lead"], given_name="robin", family_name="Colleague", date_of_birth=BORN
    )
    assert found.visible == [staff_member]
    found = person_possible_duplicates(
        user=world.users["unit"], given_name="Robin", family_name="Colleague", date_of_birth=BORN
    )
    assert not found  # unit staff without the unit lead's permission: as if it were not there


def test_an_unrestricted_match_in_another_team_is_still_mentioned(world, client_for, staff_member):
    Person.objects.filter(pk=staff_member.pk).update(is_restricted=False)
    content = _record_robin(client_for(world.users["practitioner_north"])).content.decode()
    assert "may already be recorded in another team" in content
    assert "Colleague" not in content.split("may already be recorded")[1].split("</p>")[0]
