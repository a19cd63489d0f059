"""Closed cases for retention's tests: a person whose concern ended without an enquiry, or whose enquiry
closed, a number of years ago; and the second unit lead a disposal needs."""

import datetime

import pytest
from django.utils import timezone

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.accounts import roles
from msp_cases.core.actor import Actor
from tests.factories import ConcernFactory, EnquiryFactory, PersonFactory, UserFactory


def closed_case(*, team, closed_on: datetime.date, enquiry: bool = True, lead=None, **person_fields):
    """A person with one concern decided and, with `enquiry`, a section 42 enquiry closed on `closed_on`
    (otherwise the concern ended there with no further action)."""
    person = PersonFactory(**person_fields)
    closed_at = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(12)))
    received = closed_at - datetime.timedelta(days=90)
    if not enquiry:
        ConcernFactory(
            person=person,
            team=team,
            received_at=received,
            decision=SafeguardingConcern.Decision.NO_FURTHER_ACTION,
            decided_at=closed_at,
        )
        return person
    concern = ConcernFactory(
        person=person,
        team=team,
        received_at=received,
        decision=SafeguardingConcern.Decision.SECTION_42,
        decided_at=received + datetime.timedelta(days=2),
    )
    EnquiryFactory(
        person=person,
        concern=concern,
        team=team,
        opened_at=received + datetime.timedelta(days=2),
        lead_practitioner=lead,
        status=Enquiry.Status.CLOSED,
        closed_at=closed_at,
    )
    return person


@pytest.fixture
def second_lead(world):
    return UserFactory(role=roles.SAFEGUARDING_UNIT, unit_lead=True, full_name="Second Lead")


@pytest.fixture
def lead(world):
    return world.users["unit_lead"]


def actor(user) -> Actor:
    return Actor.of(user)
