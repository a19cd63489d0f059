"""Allocating several waiting concerns and enquiries at once from the team dashboard: the manager ticks them,
chooses a practitioner of the team, confirms. All or none: if any of them was allocated by someone else
meanwhile, the page says which and nothing changes. Only a manager of the records' team; another team's record
by its address is a 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from enquiries.models import Enquiry, EnquiryEvent, SafeguardingConcern
from enquiries.services.bulk_allocation import BulkAllocationRefused, allocations_bulk
from msp_cases.accounts import roles
from msp_cases.core.actor import Actor
from msp_cases.notifications.models import Notification
from tests.factories import ConcernFactory, EnquiryFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("enquiries:bulk_allocate")
DASHBOARD = reverse("enquiries:team_dashboard")


def _waiting(world, n_concerns=2, n_enquiries=1, team=None):
    team = team or world.south
    concerns = [
        ConcernFactory(team=team, person=PersonFactory(given_name="Waiting", family_name=f"Concern{i}"))
        for i in range(n_concerns)
    ]
    enquiries = [
        EnquiryFactory(
            team=team,
            lead_practitioner=None,
            person=PersonFactory(given_name="Waiting", family_name=f"Enquiry{i}"),
        )
        for i in range(n_enquiries)
    ]
    return concerns, enquiries


def _query(concerns, enquiries) -> dict:
    return {"concern": [c.pk for c in concerns], "enquiry": [e.pk for e in enquiries]}


def test_the_dashboard_offers_a_tick_for_each_waiting_record_and_one_button(world, client_for):
    concerns, enquiries = _waiting(world)
    html = client_for(world.users["manager_south"]).get(DASHBOARD).content.decode()
    waiting = html.split('id="unallocated"')[1].split('id="by-stage"')[0]
    assert f'action="{URL}"' in waiting and 'data-module="moj-multi-select"' in waiting
    for concern in concerns:
        assert f'name="concern" value="{concern.pk}"' in waiting
    assert f'name="enquiry" value="{enquiries[0].pk}"' in waiting
    assert "Allocate the ones ticked" in waiting
    assert "Choose the concern about Waiting Concern0" in waiting  # each tick has a name a screen reader says
    # Unit staff see the dashboard read-only: no ticks.
    unit = client_for(world.users["unit"]).get(DASHBOARD).content.decode()
    assert 'name="concern"' not in unit and "Allocate the ones ticked" not in unit


def test_the_manager_allocates_the_ones_ticked_in_one_go(world, client_for):
    concerns, enquiries = _waiting(world)
    manager = client_for(world.users["manager_south"])
    practitioner = world.users["practitioner_south"]

    page = manager.get(URL, _query(concerns, enquiries))
    html = page.content.decode()
    assert page.status_code == 200 and "Allocate 3 records" in html
    assert "Waiting Concern0" in html and "Waiting Enquiry0" in html
    assert escape(practitioner.full_name) in html
    assert f'value="{world.users["manager_south"].pk}"' not in html  # practitioners only

    response = manager.post(
        URL, {**_query(concerns, enquiries), "practitioner": practitioner.pk}, follow=True
    )

    assert response.redirect_chain[-1][0] == DASHBOARD
    assert "3 records allocated to" in response.content.decode()
    for concern in concerns:
        concern.refresh_from_db()
        assert concern.allocated_to == practitioner and concern.version == 2
    enquiry = Enquiry.objects.get(pk=enquiries[0].pk)
    assert enquiry.lead_practitioner == practitioner
    # Each through its own allocation: the enquiry's event, the concern's history, and the practitioner told
    # of every one.
    assert EnquiryEvent.objects.filter(
        enquiry=enquiry, kind=EnquiryEvent.Kind.ALLOCATED, allocated_to=practitioner
    ).exists()
    assert all(c.history.filter(allocated_to=practitioner).exists() for c in concerns)
    assert Notification.objects.filter(user=practitioner, kind=Notification.Kind.ALLOCATED).count() == 3


def test_if_one_was_allocated_meanwhile_it_is_named_and_nothing_changes(world, client_for):
    concerns, enquiries = _waiting(world)
    manager = client_for(world.users["manager_south"])
    practitioner = world.users["practitioner_south"]
    colleague = UserFactory(role=roles.PRACTITIONER, teams=[world.south], full_name="Cara Colleague")
    # Someone else allocates the second concern after the manager ticked it.
    SafeguardingConcern.objects.filter(pk=concerns[1].pk).update(allocated_to=colleague, version=2)

    response = manager.post(URL, {**_query(concerns, enquiries), "practitioner": practitioner.pk})

    html = response.content.decode()
    assert response.status_code == 409
    assert "govuk-error-summary" in html and "Nothing has been allocated." in html
    assert (
        "The concern about Waiting Concern1 has been allocated to Cara Colleague since you chose it" in html
    )
    concerns[0].refresh_from_db()
    assert concerns[0].allocated_to is None and concerns[0].version == 1
    assert Enquiry.objects.get(pk=enquiries[0].pk).lead_practitioner is None
    assert not Notification.objects.filter(user=practitioner).exists()


def test_nothing_ticked_is_said_plainly(world, client_for):
    response = client_for(world.users["manager_south"]).get(URL)
    assert response.status_code == 200
    assert "Select the concerns and enquiries to allocate" in response.content.decode()


def test_a_practitioner_of_another_team_cannot_be_chosen(world, client_for):
    concerns, enquiries = _waiting(world)
    response = client_for(world.users["manager_south"]).post(
        URL, {**_query(concerns, enquiries), "practitioner": world.users["practitioner_north"].pk}
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not SafeguardingConcern.objects.filter(pk__in=[c.pk for c in concerns], allocated_to__isnull=False)
    # The service says no too, whoever calls it.
    with pytest.raises(BulkAllocationRefused) as refused:
        allocations_bulk(
            actor=Actor.of(world.users["manager_south"]),
            concern_ids=[c.pk for c in concerns],
            enquiry_ids=[],
            practitioner=world.users["practitioner_north"],
        )
    assert len(refused.value.problems) == 2  # each concern named
    assert "is not a practitioner in" in refused.value.problems[0]


def test_another_teams_record_by_its_address_is_not_found(world, client_for):
    north_concerns, _ = _waiting(world, n_concerns=1, n_enquiries=0, team=world.north)
    south_concerns, _ = _waiting(world, n_concerns=1, n_enquiries=0)
    manager = client_for(world.users["manager_south"])
    mixed = {"concern": [south_concerns[0].pk, north_concerns[0].pk]}
    assert manager.get(URL, mixed).status_code == 404
    response = manager.post(URL, {**mixed, "practitioner": world.users["practitioner_south"].pk})
    assert response.status_code == 404
    assert not SafeguardingConcern.objects.filter(
        allocated_to__isnull=False, pk__in=mixed["concern"]
    ).exists()
    assert manager.get(URL, {"concern": ["1 OR 1=1"]}).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("practitioner_south", 403), ("unit", 403), ("admin", 403)])
def test_only_managers_allocate_even_to_themselves(world, client_for, who, status):
    concerns, _ = _waiting(world, n_enquiries=0)
    client = client_for(world.users[who])
    assert client.get(URL, _query(concerns, [])).status_code == status
    response = client.post(URL, {**_query(concerns, []), "practitioner": world.users[who].pk})
    assert response.status_code == status
    assert not SafeguardingConcern.objects.filter(pk__in=[c.pk for c in concerns], allocated_to__isnull=False)


def _queries(client, data) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, data).status_code == 200
    return len(ctx.captured_queries)


def test_the_confirm_page_costs_the_same_number_of_queries_for_2_or_12_records(world, client_for):
    manager = client_for(world.users["manager_south"])
    few = _waiting(world, n_concerns=1, n_enquiries=1)
    _queries(manager, _query(*few))  # once first: what a process caches is not the page's cost
    assert _queries(manager, _query(*few)) == _queries(
        manager, _query(*_waiting(world, n_concerns=6, n_enquiries=6))
    )
