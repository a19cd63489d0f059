"""A long timeline costs what a short one does: one read per kind of entry (a conversation's amendments come
with it) and one for every member of staff the entries name, however many entries and however many staff."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import EnquiryEvent
from enquiries.selectors.enquiry import enquiry_overview
from tests.factories import UserFactory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory, DesiredOutcomeRevisionFactory

from .factories_enquiry import ConversationFactory, EnquiryEventFactory, MeetingFactory, PlanActionFactory

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.datetime:
    return timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) - datetime.timedelta(days=n)


def fill(enquiry, n: int) -> None:
    """`n` entries of every kind, each recorded by a different member of staff (so that reading who recorded
    an entry one entry at a time would show), and `n` amendments, each by someone else again."""
    for i in range(n):
        someone = UserFactory()
        original = ConversationFactory(enquiry=enquiry, occurred_at=days_ago(i + 2), recorded_by=someone)
        ConversationFactory(
            enquiry=enquiry, amends=original, amendment_reason=f"Correction {i}", recorded_by=UserFactory()
        )
        PlanActionFactory(enquiry=enquiry, what=f"Action {i}", created_by=someone)
        MeetingFactory(enquiry=enquiry, held_on=days_ago(i + 2).date(), created_by=someone)
        EnquiryEventFactory(
            enquiry=enquiry,
            kind=EnquiryEvent.Kind.ALLOCATED,
            occurred_at=days_ago(i + 2),
            by=someone,
            allocated_to=UserFactory(),
        )
        outcome = DesiredOutcomeFactory(
            enquiry=enquiry, words=f"Outcome {i}", expressed_on=days_ago(3).date()
        )
        DesiredOutcomeRevisionFactory(outcome=outcome, previous_expressed_on=days_ago(2).date())


def queries_for_page(client, enquiry) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(enquiry.get_absolute_url())
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_3_or_30_entries_of_every_kind_by_as_many_people_cost_the_same_queries(
    world, client_for, monkeypatch
):
    # Every entry on one page (the page shows a hundred at a time), so that every one is seen to cost nothing.
    monkeypatch.setattr("enquiries.views.enquiry.TIMELINE_PAGE_SIZE", 1000)
    small, large = world.cases["north"][2], world.cases["south_allocated_to_north"][2]
    fill(small, 3)
    fill(large, 30)
    client = client_for(world.users["practitioner_north"])
    client.get(small.get_absolute_url())  # the user's permissions and teams, read once per session
    few, few_html = queries_for_page(client, small)
    many, many_html = queries_for_page(client, large)
    assert few == many
    # What the reader sees grew tenfold: every entry, every amendment, and who recorded each.
    assert (few_html.count('data-kind="conversation"'), many_html.count('data-kind="conversation"')) == (
        3,
        30,
    )
    assert many_html.count("data-amendment=") == 30
    assert many_html.count("Re-allocated from ") == 29  # each allocation names the lead before it


def test_who_recorded_each_entry_is_read_once_for_the_whole_timeline(world):
    enquiry = world.cases["north"][2]
    fill(enquiry, 5)
    user = world.users["practitioner_north"]
    with CaptureQueriesContext(connection) as ctx:
        overview = enquiry_overview(user=user, enquiry=enquiry)
        recorders = {item.obj.recorded_by.pk for item in overview.items if item.kind == "conversation"}
        amenders = {
            a.recorded_by.pk
            for i in overview.items
            if i.kind == "conversation"
            for a in i.obj.amendments_list
        }
        creators = {item.obj.created_by.pk for item in overview.items if item.kind in ("plan", "meeting")}
        leads = {item.obj.allocated_to.pk for item in overview.items if item.kind == "event"}
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(recorders) == len(amenders) == len(leads) == 5 and len(creators) == 5
    conversation_reads = [q for q in sql if 'FROM "enquiries_conversationlog"' in q]
    assert len(conversation_reads) == 1  # the conversations with their amendments
    assert 'JOIN "accounts_user"' not in conversation_reads[0]
    assert sum(q.startswith('SELECT "accounts_user"') for q in sql) == 1


def test_a_conversation_before_the_enquiry_opened_keeps_its_amendments_in_the_order_made(world, client_for):
    """Recorded on the concern, before the enquiry: it is on the enquiry's timeline, with its corrections."""
    enquiry = world.cases["north"][2]
    lead = world.users["practitioner_north"]
    original = ConversationFactory(
        enquiry=None, concern=enquiry.concern, person=enquiry.person, recorded_by=lead, what_matters="Words"
    )
    later = ConversationFactory(
        enquiry=None, concern=enquiry.concern, person=enquiry.person, recorded_by=lead, amends=original
    )
    earlier = ConversationFactory(
        enquiry=None, concern=enquiry.concern, person=enquiry.person, recorded_by=lead, amends=original
    )
    type(later).objects.filter(pk=later.pk).update(recorded_at=timezone.now() + datetime.timedelta(hours=1))
    overview = enquiry_overview(user=lead, enquiry=enquiry)
    [item] = [item for item in overview.items if item.kind == "conversation"]
    assert item.obj.pk == original.pk
    assert [a.pk for a in item.obj.amendments_list] == [earlier.pk, later.pk]
    html = client_for(lead).get(enquiry.get_absolute_url()).content.decode()
    assert html.index(f'data-amendment="{earlier.pk}"') < html.index(f'data-amendment="{later.pk}"')


def test_each_conversation_and_plan_action_links_to_its_own_page(world, client_for):
    """The links are reversed once for the page: each still names its own row, and the plan's change links
    are only for those who may change it."""
    enquiry = world.cases["north"][2]
    conversations = [ConversationFactory(enquiry=enquiry, occurred_at=days_ago(n)) for n in (3, 2)]
    actions = [PlanActionFactory(enquiry=enquiry, what=f"Action {n}") for n in (1, 2)]
    lead = client_for(world.users["practitioner_north"])
    html = lead.get(enquiry.get_absolute_url()).content.decode()
    for conversation in conversations:
        url = reverse("enquiries:conversation_detail", args=[conversation.pk])
        assert f'href="{url}"' in html
    assert lead.get(url).status_code == 200
    for action in actions:
        assert f'href="{reverse("enquiries:plan_action_edit", args=[action.pk])}"' in html
    unit_html = client_for(world.users["unit"]).get(enquiry.get_absolute_url()).content.decode()
    assert "/edit/" not in unit_html.split('id="plan"')[1].split('id="details"')[0]
    assert f'href="{url}"' in unit_html
