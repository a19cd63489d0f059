"""Recording and changing a person and their network, as a practitioner or manager would notice it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import NetworkMember, Person
from msp_cases.audit.models import AccessEvent

from ..factories import PersonFactory
from .factories_people import (
    NetworkMemberFactory,
    network_form_data,
    network_form_data_from,
    person_form_data,
    person_form_data_from,
)

pytestmark = pytest.mark.django_db

CREATE = "enquiries:person_create"


def _create(client, **overrides):
    return client.post(reverse(CREATE), person_form_data(**overrides))


# --- Recording a person


def test_recording_a_person_stores_what_was_typed_and_goes_on_to_the_concern(world, practitioner_client):
    response = _create(practitioner_client, nhs_number="485 777 3457", local_identifier="SC-1001")
    assert response.status_code == 302
    person = Person.objects.get(family_name="Hughes")
    assert person.nhs_number == "4857773457"  # stored without spaces
    assert person.postcode == "NT1 2AB"
    assert person.date_of_birth == datetime.date(1941, 3, 12)
    assert person.created_by == world.users["practitioner_north"]
    assert response["Location"] == reverse("enquiries:concern_create") + f"?person={person.pk}"
    event = AccessEvent.objects.get(action=AccessEvent.Action.CREATE, person=person)
    assert "Hughes" not in event.detail  # never a name in the record of access
    # A person with no concern yet is visible to whoever recorded them, and to no one else in the team.
    page = practitioner_client.get(person.get_absolute_url())
    assert page.status_code == 200
    assert "485 777 3457" in page.content.decode()
    assert "Do not leave voicemail" in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_name": ""}, "Enter their given name"),
        ({"family_name": ""}, "Enter their family name"),
        ({"gender": None}, "Select their gender"),
        ({"primary_support_reason": "made_up"}, "Select their primary support reason"),
        ({"nhs_number": "485 777 3456"}, "Enter a valid NHS number, like 485 777 3457"),
        ({"nhs_number": "12345"}, "Enter a valid NHS number, like 485 777 3457"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth_1": "13"}, "Date of birth must be a real date"),
        ({"date_of_birth_2": "41"}, "Year must include 4 numbers"),
        ({"date_of_birth_1": ""}, "Date of birth must include a month"),
        ({"given_name": "M" * 101}, "Given name must be 100 characters or fewer"),
        ({"safe_contact": "x" * 2001}, "Safe ways to contact them must be 2000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_typed_is_lost(practitioner_client, overrides, message):
    response = _create(practitioner_client, **overrides)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "There is a problem" in content
    assert "<title>Error: " in content
    assert not Person.objects.filter(family_name="Hughes").exists()
    # What the user typed is still in the form.
    assert "Mornings, by phone" in content
    assert 'value="Peggy"' in content


def test_a_child_is_referred_to_childrens_services(practitioner_client):
    born = timezone.localdate() - datetime.timedelta(days=17 * 365)
    response = _create(
        practitioner_client,
        date_of_birth_0=str(born.day),
        date_of_birth_1=str(born.month),
        date_of_birth_2=str(born.year),
    )
    assert response.status_code == 200
    assert "This person is under 18. Refer them to children&#x27;s services" in response.content.decode()
    assert not Person.objects.filter(family_name="Hughes").exists()


def test_a_date_of_birth_in_the_future_is_refused(practitioner_client):
    born = timezone.localdate() + datetime.timedelta(days=1)
    response = _create(
        practitioner_client,
        date_of_birth_0=str(born.day),
        date_of_birth_1=str(born.month),
        date_of_birth_2=str(born.year),
    )
    assert "Date of birth must be in the past" in response.content.decode()


def test_text_with_html_is_kept_as_typed_and_shown_escaped(practitioner_client):
    script = "<script>alert('x')</script>"
    _create(practitioner_client, preferred_name=script, safe_contact=f"Call {script}")
    person = Person.objects.get(family_name="Hughes")
    assert person.preferred_name == script
    content = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert script not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


# --- Possible duplicates


def test_a_possible_duplicate_the_user_can_see_is_listed_and_must_be_confirmed(world, practitioner_client):
    existing = world.cases["north"][0]
    data = {
        "given_name": existing.given_name.upper(),  # the match ignores case
        "family_name": existing.family_name,
        "date_of_birth_0": "1",
        "date_of_birth_1": "1",
        "date_of_birth_2": "1950",
    }
    response = _create(practitioner_client, **data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "This person may already be recorded" in content
    assert existing.get_absolute_url() in content
    assert "Check the possible matches, then confirm this is a different person" in content
    assert Person.objects.filter(family_name=existing.family_name).count() == 1
    # Typed input is kept while they check.
    assert "Mornings, by phone" in content

    response = _create(practitioner_client, not_a_duplicate="on", **data)
    assert response.status_code == 302
    assert Person.objects.filter(family_name=existing.family_name).count() == 2


def test_a_possible_duplicate_in_another_team_is_mentioned_but_never_named(world, practitioner_client):
    other = world.cases["south"][0]
    other.nhs_number = "9434765919"
    other.save()
    response = _create(practitioner_client, nhs_number="943 476 5919")
    content = response.content.decode()
    assert (
        "A person with these details may already be recorded in another team. "
        "Ask your manager before creating a new record." in content
    )
    assert other.family_name not in content
    assert other.given_name not in content
    assert other.get_absolute_url() not in content
    assert not Person.objects.filter(family_name="Hughes").exists()


def test_a_restricted_match_is_not_even_mentioned_to_someone_not_named_on_it(world, client_for):
    restricted = world.cases["restricted_north"][0]
    response = client_for(world.users["practitioner_north"]).post(
        reverse(CREATE),
        person_form_data(
            given_name=restricted.given_name,
            family_name=restricted.family_name,
            date_of_birth_0="1",
            date_of_birth_1="1",
            date_of_birth_2="1950",
        ),
    )
    content = response.content.decode()
    assert "may already be recorded" not in content  # it would confirm the restricted record exists
    assert restricted.get_absolute_url() not in content


def test_no_warning_when_nothing_matches(world, practitioner_client):
    assert _create(practitioner_client).status_code == 302


# --- Restricted records


def test_a_manager_records_a_restricted_person_and_stays_able_to_see_them(world, client_for):
    manager = world.users["manager_north"]
    colleague = world.users["practitioner_north"]
    client = client_for(manager)
    form_page = client.get(reverse(CREATE)).content.decode()
    assert "Restrict this record" in form_page
    response = client.post(reverse(CREATE), person_form_data(is_restricted="on"))
    assert response.status_code == 302
    person = Person.objects.get(family_name="Hughes")
    assert person.is_restricted
    assert set(person.restricted_to.all()) == {manager}
    assert client.get(person.get_absolute_url()).status_code == 200
    # Nobody else in the team can see them, or find them.
    other = client_for(colleague)
    assert other.get(person.get_absolute_url()).status_code == 404
    found = other.get(reverse("enquiries:person_search") + "?q=Hughes")
    assert found.context["page"].paginator.count == 0
    assert person.get_absolute_url() not in found.content.decode()


def test_a_manager_can_name_a_colleague_on_a_restricted_record(world, client_for):
    manager = world.users["manager_north"]
    colleague = world.users["practitioner_north"]
    client_for(manager).post(
        reverse(CREATE), person_form_data(is_restricted="on", restricted_to=[colleague.pk])
    )
    person = Person.objects.get(family_name="Hughes")
    assert set(person.restricted_to.all()) == {manager, colleague}


def test_practitioners_cannot_restrict_a_record(world, practitioner_client):
    form_page = practitioner_client.get(reverse(CREATE)).content.decode()
    assert "Restrict this record" not in form_page
    practitioner_client.post(reverse(CREATE), person_form_data(is_restricted="on"))
    person = Person.objects.get(family_name="Hughes")
    assert not person.is_restricted  # the field is not theirs to set, so the posted value is ignored


def test_a_manager_can_restrict_an_existing_record(world, client_for):
    person = world.cases["north"][0]
    manager = world.users["manager_north"]
    response = client_for(manager).post(
        reverse("enquiries:person_edit", args=[person.pk]), person_form_data_from(person, is_restricted="on")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_restricted
    assert manager in person.restricted_to.all()
    assert client_for(world.users["practitioner_north"]).get(person.get_absolute_url()).status_code == 404


# --- Changing their details


def test_changing_their_details_is_saved_and_recorded(world, practitioner_client):
    person = world.cases["north"][0]
    url = reverse("enquiries:person_edit", args=[person.pk])
    page = practitioner_client.get(url).content.decode()
    assert f'value="{person.given_name}"' in page
    response = practitioner_client.post(url, person_form_data_from(person, safe_contact="Text first"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.safe_contact == "Text first"
    assert person.version == 2
    assert AccessEvent.objects.filter(person=person, action=AccessEvent.Action.CHANGE).exists()
    assert (
        "Their details have been changed"
        in practitioner_client.get(person.get_absolute_url()).content.decode()
    )


def test_two_edits_from_the_same_version_the_second_is_refused(world, client_for):
    person = world.cases["north"][0]
    url = reverse("enquiries:person_edit", args=[person.pk])
    first, second = client_for(world.users["practitioner_north"]), client_for(world.users["manager_north"])
    loaded = person_form_data_from(person)

    assert first.post(url, {**loaded, "safe_contact": "Only text"}).status_code == 302
    response = second.post(url, {**loaded, "safe_contact": "Call the landline", "pronouns": "she/her"})
    content = response.content.decode()

    assert response.status_code == 409
    assert "Someone else changed this record" in content
    assert "Only text" in content  # the other person's change is shown, and only that
    assert [label for label, _ in response.context["conflict_changes"]] == [
        "Safe ways to contact them (optional)"
    ]
    assert "Call the landline" in content  # and this user's input is kept
    person.refresh_from_db()
    assert person.safe_contact == "Only text"  # nothing overwritten
    assert person.pronouns != "she/her"
    # Having seen the other change, saving again applies to the newer version.
    assert 'name="version" value="2"' in content
    assert (
        second.post(url, {**loaded, "version": "2", "safe_contact": "Call the landline"}).status_code == 302
    )
    person.refresh_from_db()
    assert person.safe_contact == "Call the landline"


# --- Their network


def test_adding_someone_the_person_does_not_want_told_stands_out(world, practitioner_client):
    person = world.cases["north"][0]
    response = practitioner_client.post(
        reverse("enquiries:network_add", args=[person.pk]),
        network_form_data(name="Gary Hughes", relationship="family", persons_view="not_told"),
    )
    assert response.status_code == 302
    member = NetworkMember.objects.get(person=person)
    assert member.persons_view == "not_told"
    assert AccessEvent.objects.filter(action=AccessEvent.Action.CREATE, object_id=member.pk).exists()
    content = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Does not want them to know</strong>' in content
    assert "does not want Gary Hughes to know" in content


def test_network_is_grouped_by_relationship(world, practitioner_client):
    person = world.cases["north"][0]
    NetworkMemberFactory(person=person, name="Dr Patel", relationship="professional", agency="Mill Surgery")
    NetworkMemberFactory(person=person, name="Ann Advocate", relationship="advocate_imca")
    NetworkMemberFactory(person=person, name="Old Friend", relationship="friend", is_active=False)
    content = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert content.index("Advocate (IMCA)") < content.index("Ann Advocate") < content.index("Professional")
    assert content.index("Professional") < content.index("Dr Patel") < content.index("No longer involved")
    assert content.index("No longer involved") < content.index("Old Friend")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter their name"),
        ({"relationship": None}, "Select how they are connected to the person"),
        ({"relationship": "neighbour"}, "Select how they are connected to the person"),
        ({"persons_view": None}, "Select what the person wants"),
        ({"notes": "x" * 5001}, "Notes must be 5000 characters or fewer"),
        ({"name": "x" * 151}, "Name must be 150 characters or fewer"),
    ],
)
def test_network_bad_input_is_refused(world, practitioner_client, overrides, message):
    person = world.cases["north"][0]
    response = practitioner_client.post(
        reverse("enquiries:network_add", args=[person.pk]),
        network_form_data(contact="07700 900999", **overrides),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "07700 900999" in response.content.decode()
    assert not NetworkMember.objects.filter(person=person).exists()


def test_network_html_is_shown_escaped(world, practitioner_client):
    person = world.cases["north"][0]
    practitioner_client.post(
        reverse("enquiries:network_add", args=[person.pk]), network_form_data(name="<b>Bold</b> Name")
    )
    content = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert "<b>Bold</b>" not in content
    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in content


def test_two_network_edits_from_the_same_version_the_second_is_refused(world, client_for):
    person = world.cases["north"][0]
    member = NetworkMemberFactory(person=person, persons_view="involved")
    url = reverse("enquiries:network_edit", args=[member.pk])
    loaded = network_form_data_from(member)
    first, second = client_for(world.users["practitioner_north"]), client_for(world.users["manager_north"])

    assert first.post(url, {**loaded, "persons_view": "not_told"}).status_code == 302
    response = second.post(url, {**loaded, "contact": "new@example.org"})
    content = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this record" in content
    assert "Does not want them to know" in content
    assert 'value="new@example.org"' in content
    member.refresh_from_db()
    assert member.persons_view == "not_told"
    assert member.contact != "new@example.org"


def test_someone_no_longer_involved_is_kept_and_set_apart(world, practitioner_client):
    person = world.cases["north"][0]
    member = NetworkMemberFactory(person=person, name="Former Carer", relationship="carer")
    data = network_form_data_from(member)
    del data["is_active"]
    assert (
        practitioner_client.post(reverse("enquiries:network_edit", args=[member.pk]), data).status_code == 302
    )
    member.refresh_from_db()
    assert not member.is_active
    content = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert content.index("No longer involved") < content.index("Former Carer")


# --- The person's page


def test_person_page_puts_how_to_contact_them_first(world, practitioner_client):
    person = world.cases["north"][0]
    person.contact_preferences = "Weekday mornings"
    person.safe_contact = "Do not leave voicemail"
    person.uses_bsl = True
    person.save()
    content = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert "Safe contact: Do not leave voicemail" in content
    assert content.index("Communication and contact") < content.index("About them")
    assert content.index("Uses British Sign Language (BSL)") < content.index("Their network")
    assert content.index("Their network") < content.index("Enquiries")


def test_person_page_query_count_does_not_grow_with_the_network(
    world, practitioner_client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = world.cases["north"][0]
    url = person.get_absolute_url()
    NetworkMemberFactory(person=person)
    practitioner_client.get(url)
    with CaptureQueriesContext(connection) as small:
        practitioner_client.get(url)
    for index in range(10):
        NetworkMemberFactory(person=person, relationship=["family", "professional", "carer"][index % 3])
    with CaptureQueriesContext(connection) as large:
        practitioner_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_unit_staff_see_the_network_but_not_the_edit_pages(world, unit_client):
    person = PersonFactory()
    assert unit_client.get(reverse("enquiries:person_edit", args=[person.pk])).status_code == 404


def test_the_edit_form_shows_the_nhs_number_in_groups(world, practitioner_client):
    person = world.cases["north"][0]
    person.nhs_number = "4857773457"
    person.save()
    page = practitioner_client.get(reverse("enquiries:person_edit", args=[person.pk])).content.decode()
    assert 'value="485 777 3457"' in page
    data = person_form_data_from(person, nhs_number="485 777 3457")
    assert (
        practitioner_client.post(reverse("enquiries:person_edit", args=[person.pk]), data).status_code == 302
    )
    person.refresh_from_db()
    assert person.nhs_number == "4857773457"


def test_after_a_refused_save_the_form_shows_their_change_where_this_user_changed_nothing(world, client_for):
    """Saving again after a conflict must not quietly undo the other person's change to a field this user
    never touched (a three-way merge in enquiries.views.base)."""
    person = world.cases["north"][0]
    url = reverse("enquiries:person_edit", args=[person.pk])
    first, second = client_for(world.users["practitioner_north"]), client_for(world.users["manager_north"])
    loaded = person_form_data_from(person)

    assert first.post(url, {**loaded, "safe_contact": "Only text"}).status_code == 302
    response = second.post(url, {**loaded, "pronouns": "she/her"})
    assert response.status_code == 409
    form = response.context["form"]
    assert form["safe_contact"].value() == "Only text"  # theirs, untouched by this user
    assert form["pronouns"].value() == "she/her"  # this user's own change kept

    resubmit = {**loaded, "version": "2", "safe_contact": form["safe_contact"].value(), "pronouns": "she/her"}
    assert second.post(url, resubmit).status_code == 302
    person.refresh_from_db()
    assert (person.safe_contact, person.pronouns) == ("Only text", "she/her")
