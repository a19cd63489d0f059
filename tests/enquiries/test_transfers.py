"""Handing a concern or an enquiry to another team, as the practitioners and managers of both teams would
notice it: it stays with the sending team until the receiving team's manager accepts it (choosing who leads
it) or declines it with a reason; the person who asked never accepts it; one transfer waits at a time."""

import pytest
from django.urls import reverse

from enquiries.models import Enquiry, EnquiryEvent, SafeguardingConcern, TeamTransfer
from enquiries.services import transfers as services
from enquiries.transfer_rules import TransferByAnotherManager, TransferNotPermitted, TransferRefused
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import RecordClosed
from msp_cases.notifications.emails import what_happened
from msp_cases.notifications.models import Notification

from ..factories import ConcernFactory, UserFactory
from .factories_concerns import pending_concern as a_pending_concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_concern(world):
    person = world.cases["north"][0]
    return ConcernFactory(person=person, team=world.north, summary="Bruises seen at the day centre.")


def _ask(world, record, *, by="practitioner_north", to=None, reason="She has moved to Southtown."):
    kind = "concern" if isinstance(record, SafeguardingConcern) else "enquiry"
    return services.transfer_request(
        actor=Actor.of(world.users[by]), to_team=to or world.south, reason=reason, **{kind: record}
    )


# --- Asking


def test_a_practitioner_asks_and_the_concern_stays_with_their_team_until_accepted(
    world, client_for, pending_concern
):
    practitioner = client_for(world.users["practitioner_north"])
    page = practitioner.get(reverse("enquiries:concern_detail", args=[pending_concern.pk]))
    assert "Transfer this concern to another team" in page.content.decode()

    response = practitioner.post(
        reverse("enquiries:concern_transfer", args=[pending_concern.pk]),
        {"to_team": world.south.pk, "reason": "She has moved to Southtown."},
    )
    assert response.status_code == 302
    transfer = TeamTransfer.objects.get(concern=pending_concern)
    assert (
        transfer.status == "pending" and transfer.from_team == world.north and transfer.to_team == world.south
    )

    # Still North's: North sees it and is told a transfer waits; South's practitioner cannot open it.
    page = practitioner.get(reverse("enquiries:concern_detail", args=[pending_concern.pk])).content.decode()
    assert "A transfer to South Locality is waiting for their manager to accept it" in page
    south = client_for(world.users["practitioner_south"])
    assert south.get(reverse("enquiries:concern_detail", args=[pending_concern.pk])).status_code == 404
    pending_concern.refresh_from_db()
    assert pending_concern.team == world.north

    # South's manager is told, with no name or case detail in the notification.
    note = Notification.objects.get(user=world.users["manager_south"], kind=Notification.Kind.TRANSFER)
    assert pending_concern.person.family_name not in note.message
    assert note.url == reverse("enquiries:transfer_detail", args=[transfer.pk])
    assert AccessEvent.objects.filter(
        user=world.users["practitioner_north"], object_id=pending_concern.pk, detail__startswith="Transfer to"
    ).exists()


def test_a_reason_and_a_team_are_needed(world, client_for, pending_concern):
    response = client_for(world.users["practitioner_north"]).post(
        reverse("enquiries:concern_transfer", args=[pending_concern.pk]), {"to_team": "", "reason": " "}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Select the team to transfer it to" in content
    assert "Enter why it should move to this team" in content
    assert not TeamTransfer.objects.exists()


def test_only_one_transfer_waits_per_record(world, pending_concern):
    _ask(world, pending_concern)
    with pytest.raises(TransferRefused, match="already waiting"):
        _ask(world, pending_concern, by="manager_north")
    assert TeamTransfer.objects.filter(concern=pending_concern).count() == 1


def test_the_database_refuses_a_second_pending_transfer_even_without_the_service(world, pending_concern):
    from django.db import IntegrityError, transaction

    first = _ask(world, pending_concern)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamTransfer.objects.create(
            what="concern",
            concern=pending_concern,
            person=first.person,
            from_team=world.north,
            to_team=world.south,
            reason="again",
            requested_by=world.users["manager_north"],
            requested_at=first.requested_at,
        )


def test_a_closed_enquiry_cannot_be_transferred(world, client_for):
    enquiry = world.cases["north"][2]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.CLOSED)
    with pytest.raises(RecordClosed, match="closed"):
        _ask(world, enquiry)
    page = client_for(world.users["practitioner_north"]).get(
        reverse("enquiries:enquiry_transfer", args=[enquiry.pk])
    )
    assert "This enquiry is closed" in page.content.decode()
    assert "Ask for the transfer" not in page.content.decode()


def test_a_decided_concern_is_transferred_through_its_enquiry(world, pending_concern):
    SafeguardingConcern.objects.filter(pk=pending_concern.pk).update(decision="no_further_action")
    pending_concern.refresh_from_db()
    with pytest.raises(TransferRefused, match="Transfer the enquiry"):
        _ask(world, pending_concern)


def test_a_restricted_record_is_not_transferred(world):
    with pytest.raises(TransferRefused, match="restricted"):
        _ask(world, world.cases["restricted_north"][2], by="manager_north")


# --- Accepting and declining


def test_the_receiving_manager_sees_name_date_of_birth_and_reason_then_accepts_and_allocates(
    world, client_for, pending_concern
):
    transfer = _ask(world, pending_concern)
    manager = client_for(world.users["manager_south"])
    listing = manager.get(reverse("enquiries:transfer_list")).content.decode()
    assert "Transfers waiting for your team" in listing
    assert pending_concern.person.display_name in listing

    page = manager.get(transfer.get_absolute_url()).content.decode()
    assert pending_concern.person.display_name in page
    assert "born 1 January 1950" in page
    assert "She has moved to Southtown." in page
    assert "Bruises seen at the day centre." not in page  # not the case content before it is theirs
    assert AccessEvent.objects.filter(
        user=world.users["manager_south"], person=pending_concern.person, detail="Transfer between teams"
    ).exists()

    response = manager.post(
        transfer.get_absolute_url(), {"lead_practitioner": world.users["practitioner_south"].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == pending_concern.get_absolute_url()
    pending_concern.refresh_from_db()
    assert pending_concern.team == world.south
    assert pending_concern.allocated_to == world.users["practitioner_south"]
    transfer.refresh_from_db()
    assert transfer.status == "accepted" and transfer.decided_by == world.users["manager_south"]

    # Now South's: South's practitioner opens it, North's practitioner no longer can.
    assert (
        client_for(world.users["practitioner_south"]).get(pending_concern.get_absolute_url()).status_code
        == 200
    )
    assert (
        client_for(world.users["practitioner_north"]).get(pending_concern.get_absolute_url()).status_code
        == 404
    )
    assert Notification.objects.filter(
        user=world.users["practitioner_north"], message="A transfer you asked for was accepted"
    ).exists()
    page = (
        client_for(world.users["practitioner_south"]).get(pending_concern.get_absolute_url()).content.decode()
    )
    assert "Sent by North Locality" in page
    # Whoever asked follows the notification to the answer, though the concern is no longer theirs to open.
    answer = client_for(world.users["practitioner_north"]).get(transfer.get_absolute_url()).content.decode()
    assert "Accepted" in answer and pending_concern.get_absolute_url() not in answer
    listing = (
        client_for(world.users["practitioner_north"]).get(reverse("enquiries:transfer_list")).content.decode()
    )
    assert transfer.get_absolute_url() in listing


def test_the_lead_is_chosen_from_the_receiving_team(world, client_for, pending_concern):
    transfer = _ask(world, pending_concern)
    response = client_for(world.users["manager_south"]).post(
        transfer.get_absolute_url(), {"lead_practitioner": world.users["practitioner_north"].pk}
    )
    assert response.status_code == 200
    assert "Select who will lead the work, from the receiving team" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == "pending"


def test_an_enquiry_moves_with_its_concern_and_the_timeline_tells_the_story(world, client_for):
    enquiry = world.cases["north"][2]
    transfer = _ask(world, enquiry)
    services.transfer_accept(
        actor=Actor.of(world.users["manager_south"]),
        transfer=transfer,
        lead_practitioner=world.users["practitioner_south"],
    )
    enquiry.refresh_from_db()
    assert enquiry.team == world.south and enquiry.lead_practitioner == world.users["practitioner_south"]
    assert enquiry.concern.team == world.south
    event = EnquiryEvent.objects.filter(enquiry=enquiry, kind="allocated").latest("pk")
    assert "Transferred from North Locality to South Locality" in event.comment
    page = client_for(world.users["practitioner_south"]).get(enquiry.get_absolute_url()).content.decode()
    assert "Transfer to South Locality asked for" in page
    assert "Transferred to South Locality" in page
    assert "She has moved to Southtown." in page


def test_decline_needs_a_reason_and_leaves_the_record_where_it_was(world, client_for, pending_concern):
    transfer = _ask(world, pending_concern)
    manager = client_for(world.users["manager_south"])
    url = reverse("enquiries:transfer_decline", args=[transfer.pk])
    response = manager.post(url, {"decline_reason": ""})
    assert "Enter why your team is declining the transfer" in response.content.decode()
    response = manager.post(url, {"decline_reason": "She still lives in Northtown."})
    assert response.status_code == 302
    transfer.refresh_from_db()
    pending_concern.refresh_from_db()
    assert transfer.status == "declined" and pending_concern.team == world.north
    page = client_for(world.users["practitioner_north"]).get(transfer.get_absolute_url()).content.decode()
    assert "She still lives in Northtown." in page
    assert Notification.objects.filter(
        user=world.users["practitioner_north"], message="A transfer you asked for was declined"
    ).exists()
    concern_page = client_for(world.users["practitioner_north"]).get(pending_concern.get_absolute_url())
    assert "Transfer to South Locality declined" in concern_page.content.decode()
    # A new request may follow a declined one.
    _ask(world, pending_concern, reason="She has now moved.")


# --- Four eyes


def test_whoever_asked_never_accepts_even_as_a_manager_of_both_teams(world, client_for, pending_concern):
    both = UserFactory(role=roles.MANAGER, teams=[world.north, world.south])
    transfer = _ask(world, pending_concern, by="manager_north")
    transfer.requested_by = both
    transfer.save()
    page = client_for(both).get(transfer.get_absolute_url()).content.decode()
    assert "Accept and allocate" not in page
    assert (
        "You asked for this transfer, so another manager in South Locality must accept or decline it." in page
    )
    response = client_for(both).post(
        transfer.get_absolute_url(), {"lead_practitioner": world.users["practitioner_south"].pk}
    )
    assert response.status_code == 404
    with pytest.raises(TransferByAnotherManager):
        services.transfer_accept(
            actor=Actor.of(both), transfer=transfer, lead_practitioner=world.users["practitioner_south"]
        )
    listing = client_for(both).get(reverse("enquiries:transfer_list")).content.decode()
    assert "another manager in South Locality must accept" in listing


def test_the_sending_teams_manager_cannot_accept_for_the_other_team(world, client_for, pending_concern):
    transfer = _ask(world, pending_concern)
    with pytest.raises(TransferNotPermitted):
        services.transfer_accept(
            actor=Actor.of(world.users["manager_north"]),
            transfer=transfer,
            lead_practitioner=world.users["practitioner_south"],
        )
    page = client_for(world.users["manager_north"]).get(transfer.get_absolute_url()).content.decode()
    assert "Accept and allocate" not in page


def test_a_second_acceptance_is_refused_not_applied_twice(world, pending_concern):
    other_manager = UserFactory(role=roles.MANAGER, teams=[world.south])
    transfer = _ask(world, pending_concern)
    services.transfer_accept(
        actor=Actor.of(world.users["manager_south"]),
        transfer=transfer,
        lead_practitioner=world.users["practitioner_south"],
    )
    with pytest.raises(TransferRefused, match="already been accepted"):
        services.transfer_accept(
            actor=Actor.of(other_manager), transfer=transfer, lead_practitioner=other_manager
        )
    with pytest.raises(TransferRefused, match="already been accepted"):
        services.transfer_decline(actor=Actor.of(other_manager), transfer=transfer, reason="Too late")
    pending_concern.refresh_from_db()
    assert pending_concern.allocated_to == world.users["practitioner_south"]


def test_accepting_after_a_decision_on_the_concern_is_refused(world, pending_concern):
    transfer = _ask(world, pending_concern)
    SafeguardingConcern.objects.filter(pk=pending_concern.pk).update(decision="no_further_action")
    with pytest.raises(TransferRefused, match="decision was recorded"):
        services.transfer_accept(
            actor=Actor.of(world.users["manager_south"]),
            transfer=transfer,
            lead_practitioner=world.users["practitioner_south"],
        )
    transfer.refresh_from_db()
    assert transfer.status == "pending"


# --- Who may open what

ROLES = ["practitioner_north", "practitioner_south", "manager_north", "manager_south", "unit", "admin"]


@pytest.mark.parametrize(
    ("role", "detail", "decline", "listing"),
    [
        ("practitioner_north", 200, 404, 200),  # the sending team sees its record's transfer
        ("manager_north", 200, 404, 200),
        ("practitioner_south", 404, 404, 200),  # not the record's team, not a manager of the receiving one
        ("manager_south", 200, 200, 200),  # the receiving manager
        ("unit", 200, 404, 403),  # sees every record, read-only; no transfers list of their own
        ("admin", 404, 404, 403),
    ],
)
def test_access_to_every_transfer_page(world, client_for, pending_concern, role, detail, decline, listing):
    transfer = _ask(world, pending_concern)
    client = client_for(world.users[role])
    assert client.get(transfer.get_absolute_url()).status_code == detail
    assert client.get(reverse("enquiries:transfer_decline", args=[transfer.pk])).status_code == decline
    assert client.get(reverse("enquiries:transfer_list")).status_code == listing


@pytest.mark.parametrize("role", ROLES)
def test_only_the_record_team_asks_for_a_transfer(world, client_for, pending_concern, role):
    url = reverse("enquiries:concern_transfer", args=[pending_concern.pk])
    expected = 200 if role in ("practitioner_north", "manager_north") else 404
    assert client_for(world.users[role]).get(url).status_code == expected
    response = client_for(world.users[role]).post(url, {"to_team": world.south.pk, "reason": "Moved"})
    assert response.status_code == (302 if expected == 200 else 404)


def test_anonymous_users_sign_in_first(world, client, pending_concern):
    transfer = _ask(world, pending_concern)
    for url in [
        reverse("enquiries:transfer_list"),
        transfer.get_absolute_url(),
        reverse("enquiries:transfer_decline", args=[transfer.pk]),
        reverse("enquiries:concern_transfer", args=[pending_concern.pk]),
        reverse("enquiries:enquiry_transfer", args=[world.cases["north"][2].pk]),
        reverse("enquiries:concern_join", args=[pending_concern.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_waiting_list_costs_the_same_queries_for_many_transfers(
    world, client_for, django_assert_max_num_queries
):
    manager = client_for(world.users["manager_south"])
    for _ in range(2):
        _ask(world, ConcernFactory(person=world.cases["north"][0], team=world.north))
    manager.get(reverse("enquiries:transfer_list"))
    with django_assert_max_num_queries(18) as few:
        manager.get(reverse("enquiries:transfer_list"))
    for _ in range(8):
        _ask(world, ConcernFactory(person=world.cases["north"][0], team=world.north))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = manager.get(reverse("enquiries:transfer_list"))
    assert response.content.decode().count("/transfers/") >= 10


def test_the_team_dashboard_leads_managers_to_the_transfers_waiting(world, client_for):
    page = client_for(world.users["manager_south"]).get(reverse("enquiries:team_dashboard")).content.decode()
    assert reverse("enquiries:transfer_list") + "#waiting" in page
    page = client_for(world.users["unit"]).get(reverse("enquiries:team_dashboard")).content.decode()
    assert reverse("enquiries:transfer_list") not in page


def test_the_enquiry_page_costs_the_same_however_many_transfers_and_joins(
    world, client_for, django_assert_max_num_queries
):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])

    def one_round():
        transfer = _ask(world, enquiry)
        services.transfer_decline(
            actor=Actor.of(world.users["manager_south"]), transfer=transfer, reason="No"
        )
        concern = a_pending_concern(person=enquiry.person, team=world.north)
        services.concern_join_enquiry(
            actor=Actor.of(world.users["practitioner_north"]),
            concern=concern,
            enquiry=enquiry,
            reason="Same",
            expected_version=concern.version,
        )

    one_round()
    client.get(enquiry.get_absolute_url())
    with django_assert_max_num_queries(200) as first:
        client.get(enquiry.get_absolute_url())
    for _ in range(4):
        one_round()
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(enquiry.get_absolute_url()).content.decode()
    assert page.count("Transfer declined by South Locality") == 5
    assert page.count("Another concern added") == 5


def test_the_email_says_what_happened_in_fixed_words_with_no_name(world, pending_concern):
    _ask(world, pending_concern)
    note = Notification.objects.get(user=world.users["manager_south"], kind=Notification.Kind.TRANSFER)
    assert what_happened(note) == "A case is waiting for your team to accept or decline it."


ROLE_PAGES = [
    ("enquiries:enquiry_transfer", 2, {"practitioner_north", "manager_north"}),
    ("enquiries:concern_join", 1, {"practitioner_north", "manager_north"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "part", "allowed"), ROLE_PAGES)
def test_only_the_record_team_reaches_the_transfer_and_join_forms(
    world, client_for, role, url_name, part, allowed
):
    record = world.cases["north"][part]
    response = client_for(world.users[role]).get(reverse(url_name, args=[record.pk]))
    assert response.status_code == (200 if role in allowed else 404)


def test_the_sender_withdraws_a_transfer_sent_to_the_wrong_team(world, client_for, pending_concern):
    transfer = _ask(world, pending_concern)
    url = reverse("enquiries:transfer_withdraw", args=[transfer.pk])
    # Not the receiving team's to withdraw, nor a colleague practitioner's who did not ask.
    other = UserFactory(role=roles.PRACTITIONER, teams=[world.north])
    assert client_for(world.users["manager_south"]).post(url).status_code == 404
    assert client_for(other).post(url).status_code == 404
    page = client_for(world.users["practitioner_north"]).get(transfer.get_absolute_url()).content.decode()
    assert "Withdraw the transfer" in page

    response = client_for(world.users["practitioner_north"]).post(url)
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "withdrawn"
    assert Notification.objects.filter(
        user=world.users["manager_south"], message="A transfer to your team was withdrawn"
    ).exists()
    with pytest.raises(TransferRefused, match="already been withdrawn"):
        services.transfer_accept(
            actor=Actor.of(world.users["manager_south"]),
            transfer=transfer,
            lead_practitioner=world.users["practitioner_south"],
        )
    listing = (
        client_for(world.users["manager_south"]).get(reverse("enquiries:transfer_list")).content.decode()
    )
    assert pending_concern.person.display_name not in listing
    _ask(world, pending_concern, to=world.south, reason="To the right team this time")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_sending_side_withdraws(world, client_for, pending_concern, role):
    transfer = _ask(world, pending_concern)
    response = client_for(world.users[role]).post(reverse("enquiries:transfer_withdraw", args=[transfer.pk]))
    expected = 302 if role in ("practitioner_north", "manager_north") else 404
    assert response.status_code == expected
    transfer.refresh_from_db()
    assert transfer.status == ("withdrawn" if expected == 302 else "pending")
