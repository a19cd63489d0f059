"""Two flows a practitioner meets: the duplicate check finds the person held by another team (the concern
goes to that team instead of a second record of the person), and a second concern about a person whose
enquiry is open (it joins that enquiry, and SAC still counts it as a concern received)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import CareProvider, ConcernJoin, Person, SafeguardingConcern, TeamTransfer
from enquiries.services.transfers import concern_join_enquiry
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.notifications.models import Notification
from msp_cases.reports.sac.individuals import sg1f
from msp_cases.reports.scope import ReportScope

from .factories_concerns import concern_form_data, pending_concern
from .factories_people import person_form_data

pytestmark = pytest.mark.django_db

SEND = "enquiries:transfer_send_to_holder"


@pytest.fixture
def held_by_south(world):
    """South's person, whom North's practitioner types in again, NHS number and all."""
    person = world.cases["south"][0]
    person.nhs_number = "9434765919"
    person.save()
    return person


def _typed(**overrides):
    return person_form_data(nhs_number="943 476 5919", **overrides)


# --- The duplicate check's dead end


def test_the_duplicate_warning_offers_to_send_the_concern_to_the_team_that_holds_them(
    world, practitioner_client, held_by_south
):
    page = practitioner_client.post(reverse("enquiries:person_create"), _typed()).content.decode()
    assert "may already be recorded in another team" in page
    assert "Send the concern to the team that holds them" in page
    assert f'formaction="{reverse(SEND)}"' in page


def test_sending_the_concern_creates_a_request_not_a_second_person(world, practitioner_client, held_by_south):
    first = practitioner_client.post(reverse(SEND), _typed())
    page = first.content.decode()
    assert first.status_code == 200
    assert "Send the concern to the team that holds this person" in page
    # What the sender typed comes back; who holds the person, and their record, never do.
    assert "Margaret Hughes" in page
    assert held_by_south.family_name not in page and held_by_south.given_name not in page
    assert "South Locality" not in page

    data = {**_typed(), "step": "concern", **concern_form_data(team=world.north)}
    response = practitioner_client.post(reverse(SEND), data)
    assert response.status_code == 302
    transfer = TeamTransfer.objects.get(what="referral")
    assert transfer.person == held_by_south and transfer.to_team == world.south
    assert transfer.from_team == world.north and transfer.status == "pending"
    assert transfer.referral["concern"]["summary"] == "Bruises on her arm; she said her son pushed her."
    assert not Person.objects.filter(family_name="Hughes").exists()  # no duplicate person
    assert not SafeguardingConcern.objects.filter(person=held_by_south).exclude(pk=world.cases["south"][1].pk)
    assert Notification.objects.filter(user=world.users["manager_south"], kind="transfer").exists()
    # On the person's record of access for unit staff, though the sender cannot open the person.
    assert AccessEvent.objects.filter(user=world.users["practitioner_north"], person=held_by_south).exists()

    # The sender follows it without learning who or where.
    listing = practitioner_client.get(reverse("enquiries:transfer_list")).content.decode()
    assert "Margaret Hughes" in listing and "The team that holds the person" in listing
    assert held_by_south.family_name not in listing and "South Locality" not in listing
    detail = practitioner_client.get(transfer.get_absolute_url()).content.decode()
    assert held_by_south.family_name not in detail and held_by_south.get_absolute_url() not in detail


def test_the_holding_manager_records_it_on_their_person_and_allocates(
    world, client_for, practitioner_client, held_by_south
):
    data = {**_typed(), "step": "concern", **concern_form_data(team=world.north)}
    practitioner_client.post(reverse(SEND), data)
    transfer = TeamTransfer.objects.get(what="referral")
    manager = client_for(world.users["manager_south"])
    page = manager.get(transfer.get_absolute_url()).content.decode()
    assert held_by_south.display_name in page  # their own person
    assert "Margaret Hughes, born 12 March 1941, NHS number 9434765919" in page  # as typed
    assert "Bruises on her arm" in page  # the concern, as a referral shows it

    response = manager.post(
        transfer.get_absolute_url(), {"lead_practitioner": world.users["practitioner_south"].pk}
    )
    transfer.refresh_from_db()
    concern = transfer.concern
    assert response.status_code == 302 and response["Location"] == concern.get_absolute_url()
    assert concern.person == held_by_south and concern.team == world.south
    assert concern.allocated_to == world.users["practitioner_south"]
    assert concern.summary == "Bruises on her arm; she said her son pushed her."
    assert sorted(concern.risk_types.values_list("code", flat=True)) == ["domestic", "physical"]
    # Still hidden from the sender: the concern is South's.
    assert practitioner_client.get(concern.get_absolute_url()).status_code == 404
    assert Notification.objects.filter(
        user=world.users["practitioner_north"], message="A transfer you asked for was accepted"
    ).exists()


def test_errors_in_the_concern_are_shown_and_nothing_is_sent(world, practitioner_client, held_by_south):
    data = {**_typed(), "step": "concern", **concern_form_data(team=world.north, summary="")}
    response = practitioner_client.post(reverse(SEND), data)
    assert response.status_code == 200
    assert "Enter what happened, in the referrer’s words" in response.content.decode()
    assert not TeamTransfer.objects.exists()


def test_no_holder_means_no_request(world, practitioner_client):
    response = practitioner_client.post(reverse(SEND), person_form_data(nhs_number="485 777 3457"))
    assert response.status_code == 302
    assert not TeamTransfer.objects.exists()


def test_a_restricted_person_is_never_a_holder(world, practitioner_client):
    restricted = world.cases["restricted_north"][0]
    data = person_form_data(
        given_name=restricted.given_name,
        family_name=restricted.family_name,
        date_of_birth_0="1",
        date_of_birth_1="1",
        date_of_birth_2="1950",
    )
    response = practitioner_client.post(
        reverse(SEND), {**data, "step": "concern", **concern_form_data(team=world.north)}
    )
    assert response.status_code == 302
    assert not TeamTransfer.objects.exists()


@pytest.mark.parametrize("role", ["unit", "admin"])
def test_read_only_and_administrators_cannot_send(world, client_for, held_by_south, role):
    response = client_for(world.users[role]).post(reverse(SEND), _typed())
    assert response.status_code == 404


# --- A second concern joins the open enquiry


@pytest.fixture
def second(world):
    person = world.cases["north"][0]
    return pending_concern(person=person, team=world.north, summary="A second call, from the GP.")


def test_a_second_concern_joins_the_open_enquiry_and_both_pages_say_so(world, practitioner_client, second):
    enquiry = world.cases["north"][2]
    page = practitioner_client.get(second.get_absolute_url()).content.decode()
    assert "Add this concern to the open enquiry about" in page
    response = practitioner_client.post(
        reverse("enquiries:concern_join", args=[second.pk]),
        {
            "enquiry": enquiry.pk,
            "reason": "The same allegation, from another source.",
            "version": second.version,
        },
    )
    assert response.status_code == 302 and response["Location"] == enquiry.get_absolute_url()
    second.refresh_from_db()
    assert second.decision == SafeguardingConcern.Decision.SECTION_42
    assert second.decided_by == world.users["practitioner_north"]
    assert ConcernJoin.objects.get(concern=second).enquiry == enquiry

    timeline = practitioner_client.get(enquiry.get_absolute_url()).content.decode()
    assert "Another concern added" in timeline
    assert "The same allegation, from another source." in timeline
    assert second.get_absolute_url() in timeline
    concern_page = practitioner_client.get(second.get_absolute_url()).content.decode()
    assert "This concern was added to" in concern_page
    assert enquiry.get_absolute_url() in concern_page


def test_a_stale_join_is_refused(world, practitioner_client, second):
    enquiry = world.cases["north"][2]
    stale = second.version
    SafeguardingConcern.objects.filter(pk=second.pk).update(version=stale + 1)
    response = practitioner_client.post(
        reverse("enquiries:concern_join", args=[second.pk]),
        {"enquiry": enquiry.pk, "reason": "Same thing.", "version": stale},
    )
    assert response.status_code == 200
    assert "Someone else changed this concern" in response.content.decode()
    assert not ConcernJoin.objects.exists()


def test_only_open_enquiries_of_the_same_person_in_scope_are_offered(world, client_for, second):
    south_enquiry = world.cases["south"][2]
    response = client_for(world.users["practitioner_north"]).post(
        reverse("enquiries:concern_join", args=[second.pk]),
        {"enquiry": south_enquiry.pk, "reason": "Same.", "version": second.version},
    )
    assert "Select the enquiry to add the concern to" in response.content.decode()
    assert (
        client_for(world.users["practitioner_south"])
        .get(reverse("enquiries:concern_join", args=[second.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world.users["unit"]).get(reverse("enquiries:concern_join", args=[second.pk])).status_code
        == 404
    )


def test_sac_counts_a_joined_concern_as_a_concern_and_no_second_enquiry(world, practitioner_client, second):
    today = timezone.localdate()
    scope = ReportScope(start=today - datetime.timedelta(days=30), end=today, team_ids=(world.north.pk,))
    before = sg1f(scope).cells
    concern_join_enquiry(
        actor=Actor.of(world.users["practitioner_north"]),
        concern=second,
        enquiry=world.cases["north"][2],
        reason="Same allegation.",
        expected_version=second.version,
    )
    # North: the world's two concerns (its case and the restricted one) plus the second; one s42 enquiry each.
    assert before == ((3,), (2,), (0,))
    assert sg1f(scope).cells == before  # joined: still a concern received, and no enquiry started


def test_a_care_provider_named_in_a_sent_concern_is_recorded_when_it_is_accepted(
    world, client_for, practitioner_client, held_by_south
):
    concern_data = concern_form_data(
        team=world.north,
        risk_source="service_provider",
        alleged_harm_by="care_provider",
        alleged_provider="",
        new_provider_name="Oakfield Care Home",
        new_provider_address="1 Oak Lane",
        new_provider_cqc_location_id="1-1000 000001",
    )
    response = practitioner_client.post(reverse(SEND), {**_typed(), "step": "concern", **concern_data})
    assert response.status_code == 302
    transfer = TeamTransfer.objects.get(what="referral")
    assert not CareProvider.objects.exists()  # recorded with the concern, when South accepts
    client_for(world.users["manager_south"]).post(
        transfer.get_absolute_url(), {"lead_practitioner": world.users["practitioner_south"].pk}
    )
    transfer.refresh_from_db()
    assert transfer.concern.alleged_provider.name == "Oakfield Care Home"
