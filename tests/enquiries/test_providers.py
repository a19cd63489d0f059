"""Care providers: naming one on a concern (chosen from the list or added), one provider per CQC location ID,
the source of risk kept consistent for the SAC return, and who may see a provider and which concerns."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from enquiries.models import CareProvider, SafeguardingConcern
from enquiries.services.providers import care_provider_create
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from tests.factories import UserFactory

from .factories_concerns import concern_form_data, pending_concern

pytestmark = pytest.mark.django_db


def _create_url(person) -> str:
    return reverse("enquiries:concern_create") + f"?person={person.pk}"


def front_door_user():
    """A front-door screener: the Front door role, and no team."""
    return UserFactory(role=roles.FRONT_DOOR)


@pytest.fixture
def oakfield(world):
    return care_provider_create(
        actor=Actor.of(world.users["practitioner_north"]),
        name="Oakfield Care Home",
        address="1 Oak Lane\nNorthtown",
        cqc_location_id="1-1000000001",
    )


def _names(world, case: str, provider, **kwargs) -> SafeguardingConcern:
    person, _, _ = world.cases[case]
    team = world.north if case in ("north", "restricted_north") else world.south
    return pending_concern(
        person=person,
        team=team,
        alleged_harm_by="care_provider",
        alleged_provider=provider,
        **kwargs,
    )


# --- Recording who is alleged to have caused harm


def test_a_practitioner_names_a_new_care_provider_and_the_source_of_risk_follows(world, client_for):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    data = concern_form_data(
        team=world.north,
        risk_source="service_provider",
        alleged_harm_by="care_provider",
        alleged_provider="",
        new_provider_name="  Oakfield Care Home ",
        new_provider_address="1 Oak Lane",
        new_provider_cqc_location_id="1-1000 000001",
    )
    response = client.post(_create_url(person), data)
    assert response.status_code == 302
    concern = SafeguardingConcern.objects.filter(person=person).latest("pk")
    provider = concern.alleged_provider
    assert (provider.name, provider.cqc_location_id) == ("Oakfield Care Home", "1-1000000001")
    assert concern.risk_source == "service_provider"
    assert AccessEvent.objects.filter(
        action="create", object_id=provider.pk, detail="Care provider recorded"
    ).exists()
    page = client.get(response["Location"])
    assert b"Who is alleged to have caused harm" in page.content
    assert provider.get_absolute_url().encode() in page.content


def test_a_care_provider_with_another_source_of_risk_is_refused_and_nothing_is_recorded(world, client_for):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    data = concern_form_data(
        team=world.north,
        risk_source="known",
        alleged_harm_by="care_provider",
        new_provider_name="Oakfield Care Home",
    )
    response = client.post(_create_url(person), data)
    assert response.status_code == 200
    assert "Select ‘A paid care or support provider’ as the source of risk" in response.content.decode()
    assert not CareProvider.objects.exists()


def test_an_existing_provider_is_chosen_from_the_list(world, client_for, oakfield):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    form = client.get(_create_url(person))
    assert b"Oakfield Care Home" in form.content
    data = concern_form_data(
        team=world.north,
        risk_source="service_provider",
        alleged_harm_by="care_provider",
        alleged_provider=oakfield.pk,
    )
    assert client.post(_create_url(person), data).status_code == 302
    assert oakfield.concerns.count() == 1
    assert CareProvider.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"new_provider_name": "Oakfield", "new_provider_cqc_location_id": "1-1000000001"},
            "already has CQC",
        ),
        ({"new_provider_name": "oakfield care home"}, "Oakfield Care Home is already recorded"),
        ({"new_provider_name": "Elm House", "new_provider_cqc_location_id": "RXX-12"}, "like 1-123456789"),
        ({"new_provider_name": ""}, "Select the care provider, or enter the name of a new one"),
        ({"new_provider_cqc_location_id": "1-2000000002"}, "Enter the name of the care provider"),
    ],
)
def test_a_new_provider_that_would_be_a_duplicate_or_is_malformed_is_refused(
    world, client_for, oakfield, typed, message
):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    data = concern_form_data(team=world.north, risk_source="", alleged_harm_by="care_provider", **typed)
    response = client.post(_create_url(person), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CareProvider.objects.count() == 1
    assert not SafeguardingConcern.objects.filter(alleged_provider__isnull=False).exists()


def test_the_error_summary_lists_the_provider_where_the_page_asks_for_it(world, client_for):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    data = concern_form_data(team=world.north, summary="", alleged_harm_by="care_provider", person_aware="")
    text = client.post(_create_url(person), data).content.decode()
    order = [
        text.index("Enter what happened, in the referrer’s words"),
        text.index("Select the care provider, or enter the name of a new one"),
        text.index("Select whether the person knows about the concern"),
    ]
    assert order == sorted(order)


def test_choosing_from_the_list_and_typing_a_new_one_is_refused(world, client_for, oakfield):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    data = concern_form_data(
        team=world.north,
        risk_source="service_provider",
        alleged_harm_by="care_provider",
        alleged_provider=oakfield.pk,
        new_provider_name="Elm House",
    )
    response = client.post(_create_url(person), data)
    assert "Choose a care provider from the list, or enter a new one, not both" in response.content.decode()


def test_a_person_alleged_to_have_caused_harm_needs_a_name_and_other_answers_are_dropped(
    world, client_for, oakfield
):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    response = client.post(_create_url(person), concern_form_data(team=world.north, alleged_harm_by="person"))
    assert "Enter the name of the person alleged to have caused harm" in response.content.decode()
    data = concern_form_data(
        team=world.north,
        alleged_harm_by="person",
        alleged_person_name="  Mark   Hughes ",
        alleged_person_relationship="Son",
        alleged_person_at_risk="no",
        alleged_person_known_to_services="yes",
        # Filled in before the user chose "A person": not kept.
        alleged_provider=oakfield.pk,
    )
    assert client.post(_create_url(person), data).status_code == 302
    concern = SafeguardingConcern.objects.filter(person=person).latest("pk")
    assert concern.alleged_person_name == "Mark Hughes"
    assert (concern.alleged_person_at_risk, concern.alleged_person_known_to_services) == ("no", "yes")
    assert concern.alleged_provider is None


def test_changing_a_pending_concern_to_name_a_provider(world, client_for, oakfield):
    person, _, _ = world.cases["north"]
    concern = pending_concern(
        person=person, team=world.north, alleged_harm_by="person", alleged_person_name="Mark"
    )
    client = client_for(world.users["practitioner_north"])
    edit = reverse("enquiries:concern_edit", args=[concern.pk])
    data = concern_form_data(
        team=world.north,
        received=concern.received_at,
        risk_source="service_provider",
        alleged_harm_by="care_provider",
        alleged_provider=oakfield.pk,
        version=str(concern.version),
    )
    assert client.post(edit, data).status_code == 302
    concern.refresh_from_db()
    assert (concern.alleged_provider, concern.alleged_person_name) == (oakfield, "")


def test_the_decision_page_says_who_is_alleged_to_have_caused_harm(world, client_for, oakfield):
    concern = _names(world, "north", oakfield)
    page = client_for(world.users["manager_north"]).get(
        reverse("enquiries:concern_decide", args=[concern.pk])
    )
    assert "Oakfield Care Home, a care provider" in page.content.decode()


def test_a_stale_change_of_the_provider_is_refused_and_shows_what_changed(world, client_for, oakfield):
    concern = _names(world, "north", oakfield)
    client = client_for(world.users["practitioner_north"])
    edit = reverse("enquiries:concern_edit", args=[concern.pk])
    loaded = str(concern.version)
    first = concern_form_data(
        team=world.north,
        received=concern.received_at,
        alleged_harm_by="person",
        alleged_person_name="Mark Hughes",
        version=loaded,
    )
    assert client.post(edit, first).status_code == 302
    stale = concern_form_data(
        team=world.north,
        received=concern.received_at,
        risk_source="service_provider",
        alleged_harm_by="care_provider",
        new_provider_name="Elm House",
        version=loaded,
    )
    response = client.post(edit, stale)
    assert response.status_code == 409
    assert "Mark Hughes" in response.content.decode()  # what the other person saved
    concern.refresh_from_db()
    assert (concern.alleged_harm_by, concern.alleged_provider) == ("person", None)
    assert not CareProvider.objects.filter(name="Elm House").exists()  # refused with the concern


def test_the_enquiry_page_says_who_is_alleged_to_have_caused_harm(world, client_for, oakfield):
    _, concern, enquiry = world.cases["north"]
    SafeguardingConcern.objects.filter(pk=concern.pk).update(
        alleged_harm_by="care_provider", alleged_provider=oakfield
    )
    page = client_for(world.users["practitioner_north"]).get(enquiry.get_absolute_url()).content.decode()
    assert "Oakfield Care Home, a care provider" in page
    assert oakfield.get_absolute_url() in page


# --- One provider per CQC location ID


def test_the_database_refuses_a_second_provider_with_the_same_cqc_location_id(oakfield):
    with pytest.raises(IntegrityError), transaction.atomic():
        CareProvider.objects.create(name="Oakfield (again)", cqc_location_id="1-1000000001")
    # Without an ID, providers are told apart by name (the service's check, not a constraint).
    CareProvider.objects.create(name="Elm House")
    CareProvider.objects.create(name="Ash Court")


def test_the_service_refuses_a_duplicate_cqc_location_id(world, oakfield):
    with pytest.raises(ValidationError) as error:
        care_provider_create(
            actor=Actor.of(world.users["unit"]), name="Other", cqc_location_id=" 1-1000000001"
        )
    assert "Oakfield Care Home already has CQC location ID 1-1000000001" in str(error.value)


# --- Who sees a provider, and which of its concerns


def test_the_provider_page_shows_a_practitioner_only_the_concerns_in_their_scope(world, client_for, oakfield):
    north = _names(world, "north", oakfield)
    south = _names(world, "south", oakfield)
    restricted = _names(world, "restricted_north", oakfield)
    url = oakfield.get_absolute_url()

    response = client_for(world.users["practitioner_south"]).get(url)
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [c.pk for c in rows] == [south.pk]
    assert b"Casename-north" not in response.content

    # Unit staff see every team's, restricted people's only as unit leads.
    unit = client_for(world.users["unit"]).get(url)
    assert {c.pk for c in unit.context["page"].object_list} == {north.pk, south.pk}
    lead = client_for(world.users["unit_lead"]).get(url)
    assert {c.pk for c in lead.context["page"].object_list} == {north.pk, south.pk, restricted.pk}

    # Front door: every team's, listed by date, team and type, but no concern to open and no name.
    door = client_for(front_door_user()).get(url)
    assert {c.pk for c in door.context["page"].object_list} == {north.pk, south.pk}
    assert b"Casename-" not in door.content
    assert north.get_absolute_url().encode() not in door.content


def test_a_provider_none_of_your_concerns_names_is_not_found(world, client_for, oakfield):
    _names(world, "north", oakfield)
    url = oakfield.get_absolute_url()
    assert client_for(world.users["practitioner_south"]).get(url).status_code == 404
    assert client_for(world.users["manager_south"]).get(url).status_code == 404
    assert client_for(world.users["admin"]).get(url).status_code == 404
    assert client_for(world.users["practitioner_north"]).get(url).status_code == 200
    assert client_for(world.users["manager_north"]).get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("practitioner_north", 404),
        ("practitioner_south", 404),
        ("manager_north", 404),
        ("manager_south", 404),
        ("admin", 404),
        ("unit", 200),
        ("unit_lead", 200),
    ],
)
def test_who_may_list_care_providers(world, client_for, oakfield, role, status):
    assert client_for(world.users[role]).get(reverse("enquiries:provider_list")).status_code == status


def test_the_front_door_lists_care_providers(world, client_for, oakfield):
    response = client_for(front_door_user()).get(reverse("enquiries:provider_list"))
    assert response.status_code == 200
    assert b"Oakfield Care Home" in response.content


@pytest.mark.parametrize("name", ["enquiries:provider_list", "enquiries:provider_detail"])
def test_signed_out_users_are_sent_to_sign_in(client, oakfield, name):
    url = reverse(name, args=[oakfield.pk] if name.endswith("detail") else [])
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


def test_reading_a_provider_page_is_recorded_against_each_adult_listed(world, client_for, oakfield):
    north = _names(world, "north", oakfield)
    unit = world.users["unit"]
    client_for(unit).get(oakfield.get_absolute_url())
    assert AccessEvent.objects.filter(
        user=unit, person=north.person, detail="Concern listed on a care provider's page"
    ).exists()
    assert AccessEvent.objects.filter(
        user=unit, object_id=oakfield.pk, detail="Care provider's page"
    ).exists()


# --- Finding a provider


def test_search_by_name_with_a_typo_and_by_cqc_location_id(world, client_for, oakfield):
    CareProvider.objects.create(name="Elm House Nursing Home", cqc_location_id="1-2000000002")
    client = client_for(world.users["unit"])
    url = reverse("enquiries:provider_list")
    by_name = client.get(url, {"q": "oakfeld"})
    assert [p.name for p in by_name.context["page"].object_list] == ["Oakfield Care Home"]
    by_id = client.get(url, {"q": "1-2000 000002"})
    assert [p.name for p in by_id.context["page"].object_list] == ["Elm House Nursing Home"]
    nothing = client.get(url, {"q": "Birch"})
    assert b"No care provider matches" in nothing.content


def test_the_provider_list_costs_the_same_queries_however_many_providers(
    world, client_for, oakfield, django_assert_max_num_queries
):
    _names(world, "north", oakfield)
    client = client_for(world.users["unit"])
    url = reverse("enquiries:provider_list")
    client.get(url)  # warm the session and the user's permissions cache as any page would
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(30):
        CareProvider.objects.create(name=f"Home {n:02}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].paginator.num_pages == 2


def test_the_provider_page_costs_the_same_queries_however_many_concerns(
    world, client_for, oakfield, django_assert_max_num_queries
):
    _names(world, "north", oakfield)
    client = client_for(world.users["unit"])
    url = oakfield.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(5):
        _names(world, "south", oakfield, risk_types=("neglect", "physical"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 6
