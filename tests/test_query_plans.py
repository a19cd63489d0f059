"""The slow queries found at national scale (docs/performance.md, "Indexes and plans") stay index scans.

Each test builds the query the page makes, through the same selector, and reads PostgreSQL's plan for it with
sequential scans priced out (`enable_seqscan = off`, for this transaction only): on a test database of a few
rows a sequential scan is always cheapest, so what this proves is that the query *can* use the intended
index, which is what a rewrite of the access rule or a changed search expression would break. A query shaped
so no index serves it still shows `Seq Scan`.

PostgreSQL only: CI runs the suite on PostgreSQL and fails rather than skips here; on SQLite they skip."""

import pytest
from django.db.models import Q

from enquiries.models import ConversationLog, Enquiry
from enquiries.selectors import core
from enquiries.selectors.dashboard import open_enquiries_queryset, sign_off_queryset
from enquiries.selectors.enquiry import enquiry_conversations
from enquiries.selectors.people import person_search
from msp_cases import access

from .enquiries.factories_enquiry import ConversationFactory
from .plans import POSTGRESQL_ONLY, plan_of

pytestmark = POSTGRESQL_ONLY

# Rebuilt and analysed before a plan is read (tests.plans.as_if_vacuumed): a test database reused run after
# run collects dead index entries that a live, vacuumed one never has.
CASE_TABLES = (
    "enquiries_person",
    "enquiries_safeguardingconcern",
    "enquiries_enquiry",
    "enquiries_conversationlog",
)


def test_a_timeline_reads_its_conversations_by_enquiry_and_concern_alone(world):
    """The enquiry already in scope, its conversations (and those on its concern before it opened) are read
    by those two columns' indexes, with no part of the access rule in the query (`access.within`)."""
    _, _, enquiry = world.cases["north"]
    user = world.users["practitioner_north"]
    ConversationFactory(enquiry=enquiry, recorded_by=user)
    assert [c.enquiry_id for c in enquiry_conversations(user=user, enquiry=enquiry)] == [enquiry.pk]
    parts = access.within(ConversationLog.objects.all(), user, enquiry) | access.within(
        ConversationLog.objects.all(), user, enquiry.concern
    )
    plan = plan_of(parts, tables=CASE_TABLES)
    assert "Seq Scan" not in plan, plan
    assert "enquiries_enquiry" not in plan and "enquiries_person" not in plan, plan  # no scope to compute


def test_one_conversation_checks_scope_by_primary_key(world):
    """The conversation rule looks up the row's own enquiry, concern or person (a conversation's own page):
    before, it computed everything in the user's scope on every enquiry page (seconds at 1,000,000
    concerns)."""
    _, _, enquiry = world.cases["north"]
    user = world.users["practitioner_north"]
    ConversationFactory(enquiry=enquiry, recorded_by=user)
    own = Q(enquiry=enquiry) | Q(enquiry__isnull=True, concern_id=enquiry.concern_id)
    plan = plan_of(
        access.scoped(ConversationLog.objects.all(), user).filter(own, amends__isnull=True),
        tables=CASE_TABLES,
    )
    assert "Seq Scan" not in plan, plan
    assert "person_restricted" in plan, plan  # the few restricted people, through their partial index


@pytest.mark.parametrize("role", ["practitioner_north", "manager_north"])
def test_a_caseload_reads_the_teams_and_the_users_own_enquiries_through_two_indexes(world, role):
    """`team IN (…) OR lead = …`: two index scans ORed together, not a pass over every enquiry."""
    user = world.users[role]
    plan = plan_of(core.enquiry_list(user=user), tables=CASE_TABLES)
    assert "BitmapOr" in plan, plan
    assert "Index Cond: (team_id = ANY" in plan or "Index Cond: (team_id =" in plan, plan
    assert "Index Cond: (lead_practitioner_id =" in plan, plan
    assert "Seq Scan on enquiries_enquiry" not in plan, plan


@pytest.mark.parametrize("role", ["practitioner_north", "unit"])
def test_person_search_uses_the_trigram_index_on_names(world, role):
    """`%>` and LIKE over the names' trigram index; the local identifier through its own index."""
    person, _, _ = world.cases["north"]
    misspelt = person.family_name[:-1]  # one letter short, still above the word similarity threshold
    assert person in person_search(user=world.users[role], query=misspelt)
    plan = plan_of(person_search(user=world.users[role], query="Margret Hughs"), tables=CASE_TABLES)
    assert "Bitmap Index Scan on person_search_name_trgm" in plan, plan
    assert "person_local_identifier_upper" in plan, plan
    assert "Seq Scan on enquiries_person" not in plan, plan


@pytest.mark.parametrize("role", ["manager_north", "unit"])
def test_the_sign_off_queue_reads_only_enquiries_proposed_for_closure(world, role):
    user = world.users[role]
    plan = plan_of(
        sign_off_queryset(user=user, team_ids=[world.north.pk, world.south.pk])[:50], tables=CASE_TABLES
    )
    assert "enquiry_proposed_at" in plan, plan
    assert "Seq Scan on enquiries_enquiry" not in plan, plan


def test_the_units_dashboard_reads_its_open_enquiries_in_order_from_the_silent_since_index(world):
    """Longest without a conversation with the person first, over every team: the first page is read in order
    from `enquiry_open_silent_since` (open enquiries by the kept `last_with_person_at`, or the opening), not
    a lookup of the last conversation for every open enquiry and a sort of them all (464 ms at 200,000
    concerns). Sorts are priced out as well: on a few rows sorting them is always cheapest, and what must hold
    is that the index can give this order."""
    from django.utils import timezone

    user = world.users["unit"]
    north = world.cases["north"][2]
    ConversationFactory(enquiry=north, recorded_by=world.users["practitioner_north"])
    qs = open_enquiries_queryset(user=user, team_ids=[world.north.pk, world.south.pk], now=timezone.now())
    plan = plan_of(qs[:50], priced_out=("seqscan", "sort"), tables=CASE_TABLES)
    assert "Index Scan using enquiry_open_silent_since on enquiries_enquiry" in plan, plan
    assert "Sort Key" not in plan.split("SubPlan")[0], plan  # the index gives the order: no sort of them all
    assert "Seq Scan on enquiries_enquiry" not in plan, plan
    assert north in qs and Enquiry.objects.filter(pk__in=[e.pk for e in qs]).count() == qs.count()
