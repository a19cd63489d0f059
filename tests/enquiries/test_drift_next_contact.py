"""Enquiry.next_contact_on is the one truth for the next contact agreed with the person: the latest
conversation sets it (and an amendment of it), an older conversation recorded late does not, a move with the
person's agreement does, and the caseload, the enquiry page and the drift scan all read it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import SafeguardingConcern
from enquiries.services import reviews
from enquiries.services.conversations import conversation_amend, conversation_record
from msp_cases.core.actor import Actor

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def record(enquiry, user, *, hours_ago: int, next_on=None, how=""):
    return conversation_record(
        actor=Actor.of(user),
        enquiry=enquiry,
        fields={
            "occurred_at": timezone.now() - datetime.timedelta(hours=hours_ago),
            "with_person": True,
            "method": "phone",
            "what_matters": "Being at home.",
            "decision_made_by": "no_decision",
            "next_contact_on": next_on,
            "next_contact_how": how,
        },
    )


@pytest.fixture
def north(world):
    enquiry = world.cases["north"][2]
    SafeguardingConcern.objects.filter(pk=enquiry.concern_id).update(received_at=timezone.now() - 3 * DAY)
    enquiry.concern.refresh_from_db()
    return enquiry


@pytest.fixture
def practitioner(world):
    return world.users["practitioner_north"]


def test_the_latest_conversation_sets_the_next_contact(north, practitioner):
    today = timezone.localdate()
    record(north, practitioner, hours_ago=5, next_on=today + 3 * DAY, how="Visit")
    north.refresh_from_db()
    assert (north.next_contact_on, north.next_contact_how) == (today + 3 * DAY, "Visit")
    # A conversation from earlier, recorded late, does not override what the latest one agreed.
    record(north, practitioner, hours_ago=30, next_on=today + 9 * DAY)
    north.refresh_from_db()
    assert north.next_contact_on == today + 3 * DAY


def test_an_amendment_of_the_latest_conversation_changes_it(north, practitioner):
    today = timezone.localdate()
    log = record(north, practitioner, hours_ago=5, next_on=today + 3 * DAY)
    conversation_amend(
        actor=Actor.of(practitioner),
        original=log,
        fields={"next_contact_on": today + 4 * DAY},
        reason="Wrong day written down",
        based_on_pk=log.pk,
    )
    north.refresh_from_db()
    assert north.next_contact_on == today + 4 * DAY


def test_a_moved_date_shows_on_the_caseload_and_the_enquiry_page(north, practitioner, client_for):
    today = timezone.localdate()
    record(north, practitioner, hours_ago=5, next_on=today + DAY)
    north.refresh_from_db()
    reviews.next_contact_move(
        actor=Actor.of(practitioner),
        enquiry=north,
        to_date=today + 6 * DAY,
        reason="Her choice",
        person_agreed=True,
        expected_version=north.version,
    )
    client = client_for(practitioner)
    caseload = client.get(reverse("enquiries:caseload"), {"show": "mine"}).content.decode()
    assert f"{today + 6 * DAY:%-d %b %Y}" in caseload
    page = client.get(north.get_absolute_url()).content.decode()
    assert f"{today + 6 * DAY:%-d %B %Y}" in page.split('id="next-contact">')[1].split("</dd>")[0]


def test_a_move_without_the_persons_agreement_is_refused_by_the_service(north, practitioner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        reviews.next_contact_move(
            actor=Actor.of(practitioner),
            enquiry=north,
            to_date=timezone.localdate() + DAY,
            reason="Busy week",
            person_agreed=False,
            expected_version=north.version,
        )
    assert error.value.message_dict["person_agreed"] == ["Confirm that the person agreed to the new date"]
