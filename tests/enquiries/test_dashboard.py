"""The managers' team dashboard and sign-off queue: who may see them and over which teams, each panel's
figures on a small scene worked out by hand, a fixed number of queries, allocating from the dashboard, and
returning a closure with comments that reach the practitioner before it is approved."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryEvent, SafeguardingConcern
from enquiries.models.drift import DriftRule, Reminder
from enquiries.selectors import dashboard as sel
from msp_cases.accounts import roles
from tests.factories import ConcernFactory, EnquiryFactory, PersonFactory, TeamFactory, UserFactory

from .factories_enquiry import ConversationFactory, PlanActionFactory, make_ready_for_closure, set_status

pytestmark = pytest.mark.django_db

S = Enquiry.Status
DASHBOARD = reverse("enquiries:team_dashboard")
QUEUE = reverse("enquiries:sign_off_queue")


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def decided(enquiry: Enquiry) -> Enquiry:
    """The concern behind an enquiry was decided (the factory leaves it pending)."""
    SafeguardingConcern.objects.filter(pk=enquiry.concern_id).update(
        decision=SafeguardingConcern.Decision.SECTION_42
    )
    return enquiry


# Access ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["practitioner_north", "admin"])
@pytest.mark.parametrize("page", [DASHBOARD, QUEUE])
def test_practitioners_and_administrators_cannot_open_the_managers_pages(world, client_for, who, page):
    response = client_for(world.users[who]).get(page)
    assert response.status_code == 403
    assert "Casename-" not in response.content.decode()


def test_a_manager_sees_their_own_teams_work_and_never_another_teams(world, client_for):
    html = html_of(client_for(world.users["manager_north"]).get(DASHBOARD))
    assert "Casename-north" in html
    # South's case, and South's case allocated to a North practitioner, belong to South's team.
    assert "Casename-south" not in html
    assert "North Locality" in html
    # Asking for another team in the address does not show it.
    html = html_of(client_for(world.users["manager_north"]).get(DASHBOARD, {"team": world.south.pk}))
    assert "Casename-south" not in html
    assert "Casename-north" in html


def test_restricted_cases_are_listed_only_to_those_named_on_them(world, client_for):
    other_manager = UserFactory(role=roles.MANAGER, teams=[world.north])
    assert "Casename-restricted" in html_of(client_for(world.users["manager_north"]).get(DASHBOARD))
    html = html_of(client_for(other_manager).get(DASHBOARD))
    assert "Casename-restricted" not in html
    assert "Casename-north" in html


def test_unit_staff_see_every_team_read_only(world, client_for):
    html = html_of(client_for(world.users["unit"]).get(DASHBOARD))
    assert "Casename-north" in html and "Casename-south" in html
    assert "read-only" in html
    assert "/allocate/" not in html
    assert "/manager-review/" not in html
    # They may narrow to one team.
    html = html_of(client_for(world.users["unit"]).get(DASHBOARD, {"team": world.south.pk}))
    assert "Casename-south" in html and "Casename-north" not in html


def test_managers_have_a_team_item_in_the_navigation_and_practitioners_do_not(world, client_for):
    html = html_of(client_for(world.users["manager_north"]).get(DASHBOARD))
    assert re.search(r'href="/team/" aria-current="true"', html)
    caseload = html_of(client_for(world.users["practitioner_north"]).get(reverse("enquiries:caseload")))
    assert 'href="/team/"' not in caseload
    unit = html_of(client_for(world.users["unit"]).get(reverse("enquiries:caseload")))
    assert re.search(r'href="/team/"[^>]*>\s*Teams', unit)


def test_a_manager_of_two_teams_can_choose_one(world, client_for):
    both = UserFactory(role=roles.MANAGER, teams=[world.north, world.south])
    client = client_for(both)
    html = html_of(client.get(DASHBOARD))
    assert '<select class="govuk-select" id="team" name="team">' in html
    assert "Casename-north" in html and "Casename-south" in html
    html = html_of(client.get(DASHBOARD, {"team": world.south.pk}))
    assert "Casename-south" in html and "Casename-north" not in html


# Figures ---------------------------------------------------------------------------------------------------


@pytest.fixture
def east(db):
    """A team of its own, every figure worked out by hand:

    A  open, 3 days, lead p1, spoke with the person 2 days ago, next contact agreed for yesterday (passed),
       an escalated next-contact reminder
    B  in progress, 40 days, lead p1, never spoken with, a plan action 5 days overdue, an open plan reminder,
       a resolved manager-review reminder
    C  proposed for closure 6 days ago, opened 100 days ago, lead p2
    D  open, 10 days, nobody allocated
    E  closed (counted nowhere)
    concerns awaiting a decision: one received 20 days ago nobody holds, one 1 day ago held by p2
    """
    team = TeamFactory(name="East Locality")
    manager = UserFactory(role=roles.MANAGER, teams=[team], full_name="Mo Manager")
    p1 = UserFactory(role=roles.PRACTITIONER, teams=[team], full_name="Ada First")
    p2 = UserFactory(role=roles.PRACTITIONER, teams=[team], full_name="Bea Second")

    def enquiry(name, days, lead, status=S.OPEN, **fields):
        e = decided(
            EnquiryFactory(
                team=team,
                lead_practitioner=lead,
                opened_at=ago(days),
                person=PersonFactory(family_name=f"Surname{name}"),
            )
        )
        if status != S.OPEN or fields:
            set_status(e, status, **fields)
        return e

    a = enquiry("A", 3, p1)
    ConversationFactory(enquiry=a, occurred_at=ago(2))
    Enquiry.objects.filter(pk=a.pk).update(next_contact_on=timezone.localdate() - datetime.timedelta(days=1))
    b = enquiry("B", 40, p1, S.IN_PROGRESS)
    PlanActionFactory(enquiry=b, due_on=timezone.localdate() - datetime.timedelta(days=5))
    c = enquiry("C", 100, p2, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(6))
    d = enquiry("D", 10, None)
    e = enquiry("E", 200, p1, S.CLOSED, closed_at=ago(1))
    ConcernFactory(team=team, received_at=ago(20), person=PersonFactory(family_name="SurnameConcernOld"))
    ConcernFactory(
        team=team, received_at=ago(1), allocated_to=p2, person=PersonFactory(family_name="SurnameConcernNew")
    )
    today = timezone.localdate()
    for rule, obj, enquiry_obj, status, escalated in [
        (DriftRule.NEXT_CONTACT, a, a, Reminder.Status.OPEN, True),
        (DriftRule.PLAN_ACTION, b.plan_actions.get(), b, Reminder.Status.OPEN, False),
        (DriftRule.MANAGER_REVIEW, b, b, Reminder.Status.RESOLVED, True),
    ]:
        Reminder.objects.create(
            rule=rule,
            object_id=obj.pk,
            due_on=today,
            enquiry=enquiry_obj,
            team=team,
            recipient=enquiry_obj.lead_practitioner,
            status=status,
            created_at=ago(6),
            escalated_at=ago(1) if escalated else None,
        )
    return {"team": team, "manager": manager, "p1": p1, "p2": p2, "a": a, "b": b, "c": c, "d": d, "e": e}


def test_open_work_by_stage_and_age(east):
    now = timezone.now()
    stages = {
        row.status: (row.total, row.bands)
        for row in sel.enquiries_by_stage(user=east["manager"], team_ids=[east["team"].pk], now=now)
    }
    # bands: under 7, 7 to 28, 28 to 90, 90 or more
    assert stages == {
        S.OPEN: (2, [1, 1, 0, 0]),
        S.IN_PROGRESS: (1, [0, 0, 1, 0]),
        S.PROPOSED_FOR_CLOSURE: (1, [0, 0, 0, 1]),
    }
    concerns = sel.concerns_by_age(user=east["manager"], team_ids=[east["team"].pk], now=now)
    assert (concerns.total, concerns.bands) == (2, [1, 1, 0, 0])


def test_days_since_the_last_conversation_with_the_person_worst_first(east):
    rows = sel.open_enquiries(user=east["manager"], team_ids=[east["team"].pk], now=timezone.now())
    assert [r.pk for r in rows] == [east["c"].pk, east["b"].pk, east["d"].pk, east["a"].pk]
    assert [r.days_since_person for r in rows] == [None, None, None, 2]
    assert [r.days_silent for r in rows] == [100, 40, 10, 2]
    flags = {r.pk: (r.open_reminders, r.escalated_reminders) for r in rows}
    assert flags[east["a"].pk] == (1, 1)
    assert flags[east["b"].pk] == (1, 0)  # the resolved reminder does not count
    assert flags[east["c"].pk] == (0, 0)


def test_drift_flags_by_rule(east):
    drift = {
        row.rule: (row.open, row.escalated)
        for row in sel.drift_by_rule(user=east["manager"], team_ids=[east["team"].pk])
    }
    assert drift[DriftRule.NEXT_CONTACT] == (1, 1)
    assert drift[DriftRule.PLAN_ACTION] == (1, 0)
    assert drift[DriftRule.MANAGER_REVIEW] == (0, 0)
    assert sum(o for o, _ in drift.values()) == 2


def test_caseload_per_practitioner(east):
    rows = sel.caseload_by_practitioner(user=east["manager"], team_ids=[east["team"].pk], now=timezone.now())
    figures = {r.full_name: (r.open_enquiries, r.overdue_contacts, r.overdue_actions) for r in rows}
    assert figures == {"Ada First": (2, 1, 1), "Bea Second": (1, 0, 0), "Mo Manager": (0, 0, 0)}
    assert rows[0].full_name == "Ada First"  # most loaded first


def test_closures_awaiting_sign_off_with_days_waiting(east):
    now = timezone.now()
    rows = sel.sign_off_queue(user=east["manager"], team_ids=[east["team"].pk], now=now, grace_days=5)
    assert [(r.pk, r.days_waiting, r.waiting_too_long) for r in rows] == [(east["c"].pk, 6, True)]
    rows = sel.sign_off_queue(user=east["manager"], team_ids=[east["team"].pk], now=now, grace_days=7)
    assert rows[0].waiting_too_long is False
    assert sel.sign_off_grace_days() == 5  # the drift rule's default


def test_the_dashboard_page_shows_the_figures(east, client_for):
    html = html_of(client_for(east["manager"]).get(DASHBOARD))
    assert re.search(r'id="figure-open">4<', html)
    assert re.search(r'id="figure-concerns">2<', html)
    assert re.search(r'id="figure-sign-off">1<', html)
    assert re.search(r'id="figure-drift">2<', html)
    assert "1 escalated" in html
    # Unallocated first: the old concern and enquiry D, each with its allocation link.
    unallocated = html.split('id="unallocated"')[1].split('id="by-stage"')[0]
    assert "SurnameConcernOld" in unallocated and "SurnameD" in unallocated
    assert "SurnameConcernNew" not in unallocated and "SurnameA" not in unallocated
    assert reverse("enquiries:enquiry_allocate", args=[east["d"].pk]) in unallocated
    assert reverse("enquiries:manager_review_add", args=[east["a"].pk]) in html
    assert reverse("enquiries:enquiry_sign_off", args=[east["c"].pk]) in html
    assert "SurnameE" not in html  # closed


# A fixed number of queries ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _cases(team, lead, n):
    for i in range(n):
        e = EnquiryFactory(team=team, lead_practitioner=lead if i % 3 else None, opened_at=ago(i * 4))
        ConversationFactory(enquiry=e, occurred_at=ago(i), recorded_by=lead) if i % 2 else None
        PlanActionFactory(enquiry=e, created_by=lead) if i % 4 == 0 else None
        if i % 5 == 0:
            set_status(e, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(i))
        Reminder.objects.create(
            rule=DriftRule.MANAGER_REVIEW, object_id=e.pk, due_on=timezone.localdate(), enquiry=e, team=team,
            created_at=ago(1), escalated_at=ago(1) if i % 2 else None,
        )  # fmt: skip


@pytest.mark.parametrize("page", [DASHBOARD, QUEUE])
def test_the_pages_cost_the_same_number_of_queries_for_3_or_30_cases(db, client_for, page):
    team = TeamFactory(name="Query Team")
    manager = UserFactory(role=roles.MANAGER, teams=[team])
    lead = UserFactory(role=roles.PRACTITIONER, teams=[team])
    client = client_for(manager)
    _cases(team, lead, 3)
    _queries(client, page)  # once first: what a process caches (content types) is not the page's cost
    few = _queries(client, page)
    _cases(team, lead, 27)
    many = _queries(client, page)
    assert few == many, (few, many)
    # One insert records the people the page named; the access rule reads the viewer's teams once. The
    # dashboard's figures are five queries (open enquiries, concerns, drift reminders, overdue plan actions,
    # members), and the open enquiries' figures give the list's page count and the sign-off queue's length.
    assert many <= {DASHBOARD: 21, QUEUE: 14}[page], many


# Allocating from the dashboard -----------------------------------------------------------------------------


def test_allocating_from_the_dashboard_is_recorded_and_leaves_the_waiting_list(east, client_for):
    client = client_for(east["manager"])
    d = east["d"]
    allocate_url = reverse("enquiries:enquiry_allocate", args=[d.pk])
    assert allocate_url in html_of(client.get(DASHBOARD))
    response = client.post(allocate_url, {"lead_practitioner": east["p2"].pk, "version": d.version})
    assert response.status_code == 302
    event = EnquiryEvent.objects.get(enquiry=d, kind=EnquiryEvent.Kind.ALLOCATED)
    assert event.allocated_to == east["p2"] and event.by == east["manager"]
    html = html_of(client.get(DASHBOARD))
    unallocated = html.split('id="unallocated"')[1].split('id="by-stage"')[0]
    assert "SurnameD" not in unallocated
    rows = {
        r.full_name: r.open_enquiries
        for r in sel.caseload_by_practitioner(
            user=east["manager"], team_ids=[east["team"].pk], now=timezone.now()
        )
    }
    assert rows["Bea Second"] == 2


def test_unit_staff_cannot_allocate_even_by_address(east, world, client_for):
    d = east["d"]
    response = client_for(world.users["unit"]).post(
        reverse("enquiries:enquiry_allocate", args=[d.pk]),
        {"lead_practitioner": east["p2"].pk, "version": d.version},
    )
    assert response.status_code in (403, 404)  # refused, as everywhere for a read-only role
    d.refresh_from_db()
    assert d.lead_practitioner is None


# The sign-off queue ----------------------------------------------------------------------------------------


def test_the_queue_lists_only_the_managers_teams_proposals_oldest_first(world, client_for):
    north = world.cases["north"][2]
    older = EnquiryFactory(
        team=world.north,
        lead_practitioner=world.users["practitioner_north"],
        person=PersonFactory(family_name="Casename-older"),
    )
    set_status(north, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(2))
    set_status(older, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(9))
    set_status(world.cases["south"][2], S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(20))
    html = html_of(client_for(world.users["manager_north"]).get(QUEUE))
    assert "Casename-south" not in html
    assert "Casename-restricted" not in html  # open, not proposed
    assert html.index("Casename-older") < html.index("Casename-north")
    assert reverse("enquiries:enquiry_sign_off", args=[older.pk]) in html
    # Waiting 9 days, longer than the drift rule's 5: flagged; 2 days: not.
    assert '>9<span class="govuk-visually-hidden">, longer than 5 days</span></strong>' in html
    assert re.search(r'numeric">2</td>', html)


def test_the_queue_says_when_the_manager_leads_the_enquiry(world, client_for):
    restricted = world.cases["restricted_north"][2]  # led by North's manager
    set_status(restricted, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(1))
    html = html_of(client_for(world.users["manager_north"]).get(QUEUE))
    assert "another manager signs it off" in html
    assert reverse("enquiries:enquiry_sign_off", args=[restricted.pk]) not in html


def test_return_with_comments_reaches_the_practitioner_then_approve(world, client_for):
    north = world.cases["north"][2]
    make_ready_for_closure(north)
    set_status(north, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(3))
    manager = client_for(world.users["manager_north"])
    practitioner = client_for(world.users["practitioner_north"])
    sign_off = reverse("enquiries:enquiry_sign_off", args=[north.pk])
    assert sign_off in html_of(manager.get(QUEUE))

    response = manager.post(
        sign_off,
        {"decision": "return", "comments": "Ask Ann about the bank letters", "version": north.version},
    )
    assert response.status_code == 302
    north.refresh_from_db()
    assert north.status == S.IN_PROGRESS
    assert "No closures are waiting" in html_of(manager.get(QUEUE))
    # The practitioner reads the comments on the enquiry's timeline.
    page = html_of(practitioner.get(north.get_absolute_url()))
    assert "Closure returned with comments" in page and "Ask Ann about the bank letters" in page
    # ...and in their caseload, beside the enquiry's stage, until it is proposed again.
    caseload = html_of(practitioner.get(reverse("enquiries:caseload"), {"show": "mine"}))
    assert re.search(r"Closure returned:</strong> Ask Ann about the bank letters", caseload)

    # Proposed again: the manager sees what they asked for last time, then approves.
    set_status(north, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(0))
    assert "Ask Ann about" not in html_of(practitioner.get(reverse("enquiries:caseload"), {"show": "mine"}))
    page = html_of(manager.get(sign_off))
    assert "Returned before" in page and "Ask Ann about the bank letters" in page
    response = manager.post(sign_off, {"decision": "approve", "version": north.version})
    assert response.status_code == 302
    north.refresh_from_db()
    assert north.status == S.CLOSED
    kinds = list(EnquiryEvent.objects.filter(enquiry=north).values_list("kind", flat=True))
    assert kinds == ["returned", "closed"]
