"""`Enquiry.last_with_person_at` is kept by the conversation services: it always equals what the
conversations say as they now stand (the latest `occurred_at` of the current versions with the person),
whether an entry is recorded, recorded late, or corrected in its date or in whether the person was there.
The caseload and the team dashboard sort by it; the migration that adds it fills existing enquiries."""

import datetime
import importlib

import pytest
from django.db import connection
from django.utils import timezone

from enquiries.models import Enquiry, SafeguardingConcern
from enquiries.selectors.conversations import conversation_current_versions
from enquiries.selectors.dashboard import open_enquiries
from enquiries.services.conversations import (
    conversation_amend,
    conversation_latest_version,
    conversation_record,
)
from msp_cases.core.actor import Actor

from ..factories import EnquiryFactory
from .factories_conversations import ConversationLogFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOW = timezone.now().replace(microsecond=0)


def computed(enquiry) -> datetime.datetime | None:
    """The answer read from the conversations themselves, as the caseload did before the field was kept."""
    return (
        conversation_current_versions()
        .filter(enquiry=enquiry, with_person=True)
        .order_by("-occurred_at", "-pk")
        .values_list("occurred_at", flat=True)
        .first()
    )


def kept(enquiry) -> datetime.datetime | None:
    """What the enquiry keeps, read afresh (`enquiry`: one, or its id)."""
    return Enquiry.objects.values_list("last_with_person_at", flat=True).get(
        pk=getattr(enquiry, "pk", enquiry)
    )


@pytest.fixture
def north(world):
    enquiry = world.cases["north"][2]
    SafeguardingConcern.objects.filter(pk=enquiry.concern_id).update(received_at=NOW - 20 * DAY)
    enquiry.concern.refresh_from_db()
    return enquiry


@pytest.fixture
def actor(world):
    return Actor.of(world.users["practitioner_north"])


def record(enquiry, actor, *, days_ago: int, with_person: bool = True):
    return conversation_record(
        actor=actor,
        enquiry=enquiry,
        fields={
            "occurred_at": NOW - days_ago * DAY,
            "with_person": with_person,
            "with_family": not with_person,
            "method": "phone",
            "what_matters": "Being at home.",
            "decision_made_by": "no_decision",
        },
    )


def amend(log, actor, **fields):
    return conversation_amend(
        actor=actor,
        original=log,
        fields=fields,
        reason="Written down wrongly",
        based_on_pk=conversation_latest_version(log).pk,
    )


def test_recording_keeps_the_latest_conversation_with_the_person(north, actor):
    assert kept(north) is None  # none yet: the dashboard counts from the opening
    record(north, actor, days_ago=5)
    assert kept(north) == computed(north) == NOW - 5 * DAY
    # With the family only, the day before yesterday: not a conversation with the person.
    record(north, actor, days_ago=2, with_person=False)
    assert kept(north) == computed(north) == NOW - 5 * DAY
    # An older conversation with the person, recorded late, does not make the last one older.
    record(north, actor, days_ago=8)
    assert kept(north) == computed(north) == NOW - 5 * DAY
    # A newer one does.
    record(north, actor, days_ago=1)
    assert kept(north) == computed(north) == NOW - 1 * DAY


def test_a_correction_of_the_date_or_of_who_was_there_moves_it(north, actor):
    older = record(north, actor, days_ago=8)
    latest = record(north, actor, days_ago=5)
    family = record(north, actor, days_ago=2, with_person=False)
    assert kept(north) == NOW - 5 * DAY

    amend(latest, actor, occurred_at=NOW - 3 * DAY)  # it was three days ago, not five
    assert kept(north) == computed(north) == NOW - 3 * DAY
    amend(latest, actor, occurred_at=NOW - 6 * DAY)  # six days ago after all: earlier, still the latest
    assert kept(north) == computed(north) == NOW - 6 * DAY
    amend(latest, actor, with_person=False, with_family=True)  # the person was not there after all
    assert kept(north) == computed(north) == NOW - 8 * DAY  # the older one is the last with the person
    amend(family, actor, with_person=True)  # the person was there, with their family
    assert kept(north) == computed(north) == NOW - 2 * DAY
    amend(older, actor, what_matters="Being at home, with the dog.")  # nothing that matters here
    assert kept(north) == computed(north) == NOW - 2 * DAY
    amend(family, actor, with_person=False)  # corrected back: the last with the person is the oldest again
    assert kept(north) == computed(north) == NOW - 8 * DAY


def test_another_enquirys_conversations_and_a_concerns_own_do_not_count(world, north, actor):
    south = world.cases["south"][2]
    SafeguardingConcern.objects.filter(pk=south.concern_id).update(received_at=NOW - 20 * DAY)
    south.concern.refresh_from_db()
    record(north, actor, days_ago=5)
    conversation_record(
        actor=Actor.of(world.users["practitioner_south"]),
        enquiry=south,
        fields={
            "occurred_at": NOW - DAY,
            "with_person": True,
            "method": "phone",
            "what_matters": "Being at home.",
            "decision_made_by": "no_decision",
        },
    )
    # Before the enquiry, on its concern: the concern's timeline, not the enquiry's work with the person.
    ConversationLogFactory(concern=north.concern, occurred_at=NOW - 3 * DAY, recorded_by=actor.user)
    assert kept(north) == NOW - 5 * DAY
    assert kept(south) == NOW - DAY


def test_the_migration_fills_existing_enquiries_from_their_conversations_as_they_stand(world):
    """The SQL migration 0008 runs, on a case of each kind: amended twice until not with the person, amended
    to be with the person, never spoken with."""
    migration = importlib.import_module("enquiries.migrations.0008_enquiry_last_with_person_at")
    lead = world.users["practitioner_north"]
    amended_away, amended_in, silent = (
        EnquiryFactory(team=world.north, lead_practitioner=lead) for _ in range(3)
    )
    first = ConversationLogFactory(enquiry=amended_away, occurred_at=NOW - 5 * DAY)
    ConversationLogFactory(enquiry=amended_away, amends=first, occurred_at=NOW - 3 * DAY)
    ConversationLogFactory(enquiry=amended_away, amends=first, occurred_at=NOW - 3 * DAY, with_person=False)
    ConversationLogFactory(enquiry=amended_away, occurred_at=NOW - 8 * DAY)
    family = ConversationLogFactory(enquiry=amended_in, occurred_at=NOW - 2 * DAY, with_person=False)
    ConversationLogFactory(enquiry=amended_in, amends=family, occurred_at=NOW - 2 * DAY, with_person=True)
    ConversationLogFactory(enquiry=amended_in, occurred_at=NOW - 4 * DAY)
    expected = {amended_away.pk: NOW - 8 * DAY, amended_in.pk: NOW - 2 * DAY, silent.pk: None}
    assert {pk: computed(pk) for pk in expected} == expected

    Enquiry.objects.update(last_with_person_at=None)
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert {pk: kept(pk) for pk in expected} == expected


def test_the_dashboard_moves_an_enquiry_when_its_last_conversation_is_corrected(world, north, actor):
    """The manager's list, longest without a conversation with the person first, follows a correction."""
    quiet = EnquiryFactory(team=world.north, lead_practitioner=actor.user, opened_at=NOW - 10 * DAY)
    log = record(north, actor, days_ago=5)
    manager = world.users["manager_north"]

    def worst_first():
        rows = open_enquiries(user=manager, team_ids=[world.north.pk], now=timezone.now())
        return [
            (row.pk, row.days_since_person, row.days_silent) for row in rows if row.pk in (quiet.pk, north.pk)
        ]

    assert worst_first() == [(quiet.pk, None, 10), (north.pk, 5, 5)]
    amend(log, actor, occurred_at=NOW - 12 * DAY)  # the visit was twelve days ago: longer than the other
    assert worst_first() == [(north.pk, 12, 12), (quiet.pk, None, 10)]
