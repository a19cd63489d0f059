"""A person's contact details and other ways of finding them: phone number, postcode, other names, NHS number
and local identifier; and a person recorded by description while their name is not known.

Search runs both ways it runs in the service: PostgreSQL's (pg_trgm) and, with the SQLite path forced, the
embedded database's (RapidFuzz), so each identifier is tried on both whichever database the suite runs on."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from enquiries.models import Person
from enquiries.selectors import people as people_selectors
from enquiries.validators import normalise_phone
from msp_cases.letters.selectors import letter_values

from ..factories import ConcernFactory, EnquiryFactory, PersonFactory
from .factories_people import person_form_data, person_form_data_from

pytestmark = pytest.mark.django_db

SEARCH = reverse("enquiries:person_search")
CREATE = reverse("enquiries:person_create")


@pytest.fixture(params=["trigrams", "sqlite"])
def search_path(request, monkeypatch):
    """Each search test twice: as PostgreSQL searches, and as the embedded SQLite database does."""
    if request.param == "sqlite":
        monkeypatch.setattr(people_selectors, "_uses_trigrams", lambda: False)
    elif people_selectors.connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    return request.param


def _found(client, query) -> list[int]:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return [p.pk for p in response.context["page"].object_list]


@pytest.fixture
def margaret(world):
    """Someone the north practitioner may see, with every way of finding her."""
    person = world.cases["north"][0]
    person.given_name, person.family_name = "Margaret", "Hughes"
    person.phone = "07700 900123"
    person.postcode = "NT1 2AB"
    person.other_names = "Peggy Jones\nMaggie"
    person.local_identifier = "SC-55012"
    person.nhs_number = "4857773457"
    person.save()
    return person


# --- Phone numbers as typed


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("+44 (0)7700 900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("(01632) 960-001", "01632960001"),
        ("+1 555 123 4567", "0015551234567"),
    ],
)
def test_a_phone_number_is_compared_in_its_national_form_however_it_is_written(typed, digits):
    assert normalise_phone(typed) == digits


def test_the_phone_number_is_kept_as_typed_and_its_digits_follow_every_change(margaret):
    assert margaret.phone_digits == "07700900123"
    margaret.phone = "+44 1632 960001"
    margaret.save(update_fields=["phone"])
    margaret.refresh_from_db()
    assert (margaret.phone, margaret.phone_digits) == ("+44 1632 960001", "01632960001")


# --- Search by each identifier


@pytest.mark.parametrize(
    "typed",
    ["07700 900123", "07700900123", "+44 7700 900123", "+44 (0)7700 900 123", "7700 900123", "900123"],
)
def test_search_by_phone_number_or_its_last_six_digits(margaret, practitioner_client, search_path, typed):
    assert _found(practitioner_client, typed) == [margaret.pk]


def test_fewer_than_six_digits_of_a_phone_number_find_no_one_by_phone(
    margaret, practitioner_client, search_path
):
    assert _found(practitioner_client, "00123") == []
    assert _found(practitioner_client, "07700 900124") == []  # a different number sharing its start


@pytest.mark.parametrize("typed", ["NT1 2AB", "nt12ab", "nt1 2ab", "NT12AB", " Nt1  2aB "])
def test_search_by_postcode_with_or_without_its_space_in_any_case(
    margaret, practitioner_client, search_path, typed
):
    assert _found(practitioner_client, typed) == [margaret.pk]


@pytest.mark.parametrize("typed", ["Peggy Jones", "peggy", "Maggie Hughes", "Maggie"])
def test_search_by_other_names(margaret, practitioner_client, search_path, typed):
    assert margaret.pk in _found(practitioner_client, typed)


def test_a_misspelt_other_name_is_still_found(margaret, practitioner_client, search_path):
    assert margaret.pk in _found(practitioner_client, "Pegy Jones")


@pytest.mark.parametrize("typed", ["SC-55012", "sc-55012", "485 777 3457", "4857773457"])
def test_search_by_local_identifier_and_nhs_number(margaret, practitioner_client, search_path, typed):
    assert _found(practitioner_client, typed) == [margaret.pk]


def test_the_results_say_what_other_names_a_person_is_known_by(margaret, practitioner_client):
    content = practitioner_client.get(SEARCH, {"q": "Peggy"}).content.decode()
    assert "Also known as Peggy Jones<br>Maggie" in content


@pytest.mark.parametrize("typed", ["07700 900123", "900123", "NT1 2AB", "Peggy Jones", "SC-55012"])
def test_someone_outside_the_users_scope_is_never_found_by_any_identifier(
    world, client_for, search_path, typed
):
    """The south team's person, with the same details: the north practitioner never finds them; the south
    practitioner does."""
    south = world.cases["south"][0]
    south.phone, south.postcode, south.other_names = "07700 900123", "NT1 2AB", "Peggy Jones"
    south.local_identifier = "SC-55012"
    south.save()
    north = client_for(world.users["practitioner_north"])
    assert south.pk not in _found(north, typed)
    assert south.pk in _found(client_for(world.users["practitioner_south"]), typed)


def test_a_restricted_person_is_not_found_by_phone_by_a_colleague_not_named_on_them(
    world, client_for, search_path
):
    restricted = world.cases["restricted_north"][0]
    restricted.phone = "01632 960777"
    restricted.save()
    assert _found(client_for(world.users["practitioner_north"]), "960777") == []
    assert _found(client_for(world.users["manager_north"]), "960777") == [restricted.pk]


# --- Recording contact details


def test_recording_contact_details_shows_them_on_the_persons_page(practitioner_client):
    response = practitioner_client.post(
        CREATE,
        person_form_data(
            phone="+44 (0)7700 900982",
            email="margaret@example.com",
            preferred_contact_method="named_person",
            contact_through="Her daughter, Jane",
            other_names="Peggy Jones",
            local_identifier="SC-1001",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(local_identifier="SC-1001")
    assert (person.phone, person.phone_digits) == ("+44 (0)7700 900982", "07700900982")
    page = practitioner_client.get(person.get_absolute_url()).content.decode()
    for shown in ["+44 (0)7700 900982", "margaret@example.com", "Through a named person: Her daughter, Jane"]:
        assert shown in page
    assert "Peggy Jones" in page


def test_changing_their_details_keeps_and_changes_the_contact_details(world, practitioner_client, margaret):
    data = person_form_data_from(margaret, phone="01632 960 001", preferred_contact_method="text")
    response = practitioner_client.post(reverse("enquiries:person_edit", args=[margaret.pk]), data)
    assert response.status_code == 302
    margaret.refresh_from_db()
    assert (margaret.phone, margaret.phone_digits) == ("01632 960 001", "01632960001")
    assert margaret.other_names == "Peggy Jones\nMaggie"
    assert _found(practitioner_client, "960001") == [margaret.pk]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "call 07700"}, "phone", "Phone number must only include numbers 0 to 9, spaces, brackets"),
        ({"phone": "123"}, "phone", "Enter a phone number, like 01632 960 001"),
        ({"email": "margaret.example.com"}, "email", "Enter an email address in the correct format"),
        ({"preferred_contact_method": "phone"}, "phone", "Enter their phone number, or choose another way"),
        ({"preferred_contact_method": "text"}, "phone", "Enter their phone number, or choose another way"),
        ({"preferred_contact_method": "email"}, "email", "Enter their email address, or choose another way"),
        ({"preferred_contact_method": "letter", "address": ""}, "address", "Enter their address, or choose"),
        (
            {"preferred_contact_method": "named_person"},
            "contact_through",
            "Enter who to contact them through",
        ),
        ({"given_name": ""}, "given_name", "Enter their given name, or describe them if you do not know it"),
        (
            {"family_name": ""},
            "family_name",
            "Enter their family name, or describe them if you do not know it",
        ),
    ],
)
def test_bad_contact_details_are_refused_with_a_message_by_the_field(
    practitioner_client, overrides, field, message
):
    response = practitioner_client.post(CREATE, person_form_data(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert f'href="#id_{field}' in content  # the error summary links to the field
    assert escape(message) in content
    assert not Person.objects.filter(family_name="Hughes").exists()


def test_a_local_identifier_names_one_person_whatever_its_case(practitioner_client, margaret):
    response = practitioner_client.post(CREATE, person_form_data(local_identifier="sc-55012"))
    assert response.status_code == 200
    assert "A person with this local identifier is already recorded" in response.content.decode()
    # Their own identifier is not "already recorded" when their details change.
    data = person_form_data_from(margaret, local_identifier="SC-55012")
    assert (
        practitioner_client.post(reverse("enquiries:person_edit", args=[margaret.pk]), data).status_code
        == 302
    )


# --- A person whose name is not known yet


def test_a_person_recorded_by_description_is_named_by_it_in_lists_and_on_their_page(
    world, practitioner_client
):
    response = practitioner_client.post(
        CREATE,
        person_form_data(
            given_name="",
            family_name="",
            description="Man, about 70, lives at 3 Elm Road",
            phone="01632 960555",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(description="Man, about 70, lives at 3 Elm Road")
    named = "Name not known: Man, about 70, lives at 3 Elm Road"
    assert str(person) == named
    page = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert f'<h1 class="govuk-heading-l">{named}</h1>' in page
    name_row = page.split('<dt class="govuk-summary-list__key">Name</dt>', 1)[1].split("</dd>", 1)[0]
    assert "Not recorded" in name_row
    assert '<dt class="govuk-summary-list__key">Description</dt>' in page
    concern = ConcernFactory(team=world.north, person=person, allocated_to=world.users["practitioner_north"])
    results = practitioner_client.get(SEARCH, {"q": "960555"})
    assert named in results.content.decode()
    caseload = practitioner_client.get(reverse("enquiries:caseload")).content.decode()
    assert named in caseload
    assert named in practitioner_client.get(concern.get_absolute_url()).content.decode()


def test_with_a_description_one_name_is_enough_and_shown_with_it(practitioner_client):
    response = practitioner_client.post(
        CREATE, person_form_data(given_name="Bill", family_name="", description="Lives at 3 Elm Road")
    )
    assert response.status_code == 302
    person = Person.objects.get(given_name="Bill")
    assert person.display_name == "Bill (Peggy), full name not known: Lives at 3 Elm Road"


def test_once_their_name_is_known_it_is_how_they_are_named(practitioner_client):
    person = PersonFactory(given_name="", family_name="", description="Woman in her 80s at the bus station")
    person.given_name, person.family_name = "Edith", "Brown"
    person.save()
    assert str(person) == "Edith Brown"


def test_a_person_with_neither_names_nor_description_cannot_be_stored():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(given_name="", family_name="", description="")


def test_a_letter_leaves_an_unknown_name_for_the_practitioner_to_fill_in_never_the_description(world):
    person = PersonFactory(given_name="", family_name="", description="Man, about 70, lives at 3 Elm Road")
    enquiry = EnquiryFactory(team=world.north, person=person)
    values = letter_values(user=world.users["practitioner_north"], enquiry=enquiry)
    assert values["person_name"] == ""  # shown as "[not recorded]", which must be replaced before it is made
    assert not any("Elm Road" in str(value) for value in values.values())
