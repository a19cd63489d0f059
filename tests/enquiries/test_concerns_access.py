"""Who may record, change and decide on a concern: role × case for every new URL, GET and POST.

Out of scope answers 404 ("Page not found"), never 403; unit staff see concerns but change nothing (404 on
every form); administrators see no cases."""

import pytest
from django.urls import reverse

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.audit.models import AccessEvent
from tests.access_table import CASES, VISIBLE

from .factories_concerns import concern_form_data, decision_form_data

pytestmark = pytest.mark.django_db

READ_ONLY = {"unit", "unit_lead", "admin"}


def _may_edit(role: str, case: str) -> bool:
    return role not in READ_ONLY and case in VISIBLE[role]


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("url_name", ["enquiries:concern_edit", "enquiries:concern_decide"])
def test_concern_forms_open_only_for_those_who_may_change_the_case(world, client_for, role, case, url_name):
    concern = world.cases[case][1]
    response = client_for(world.users[role]).get(reverse(url_name, args=[concern.pk]))
    if _may_edit(role, case):
        assert response.status_code == 200
        assert b"Page not found" not in response.content
    else:
        assert response.status_code == 404
        assert world.cases[case][0].family_name.encode() not in response.content


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_posting_a_change_to_a_concern(world, client_for, role, case):
    concern = world.cases[case][1]
    data = concern_form_data(team=concern.team, summary="Changed by a test", version=str(concern.version))
    response = client_for(world.users[role]).post(reverse("enquiries:concern_edit", args=[concern.pk]), data)
    concern.refresh_from_db()
    if _may_edit(role, case):
        assert response.status_code == 302
        assert concern.summary == "Changed by a test"
    else:
        assert response.status_code == 404
        assert concern.summary != "Changed by a test"


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_posting_a_decision(world, client_for, role, case):
    concern = world.cases[case][1]
    before = Enquiry.objects.count()
    response = client_for(world.users[role]).post(
        reverse("enquiries:concern_decide", args=[concern.pk]),
        decision_form_data(concern=concern, decision="no_further_action", no_further_action_response="GP"),
    )
    concern.refresh_from_db()
    if _may_edit(role, case):
        assert response.status_code == 302
        assert concern.decision == SafeguardingConcern.Decision.NO_FURTHER_ACTION
    else:
        assert response.status_code == 404
        assert concern.decision == SafeguardingConcern.Decision.PENDING
    assert Enquiry.objects.count() == before


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_recording_a_concern_for_a_person(world, client_for, role, case, method):
    person = world.cases[case][0]
    user = world.users[role]
    team = user.teams.first() or world.north
    url = reverse("enquiries:concern_create") + f"?person={person.pk}"
    before = SafeguardingConcern.objects.count()
    client = client_for(user)
    response = client.get(url) if method == "get" else client.post(url, concern_form_data(team=team))
    if _may_edit(role, case):
        assert response.status_code == (200 if method == "get" else 302)
        assert SafeguardingConcern.objects.count() == before + (method == "post")
    else:
        assert response.status_code == 404
        assert person.family_name.encode() not in response.content
        assert SafeguardingConcern.objects.count() == before


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_new_concern_without_a_person_asks_to_find_them_first(world, client_for, role):
    response = client_for(world.users[role]).get(reverse("enquiries:concern_create"))
    if role in READ_ONLY:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert b"Find the person" in response.content
    assert b"add the person" in response.content


def test_a_person_who_does_not_exist_is_page_not_found(world, client_for):
    client = client_for(world.users["practitioner_north"])
    assert client.get(reverse("enquiries:concern_create") + "?person=999999").status_code == 404
    assert client.get(reverse("enquiries:concern_create") + "?person=abc").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("enquiries:concern_create") + f"?person={w.cases['north'][0].pk}",
        lambda w: reverse("enquiries:concern_edit", args=[w.cases["north"][1].pk]),
        lambda w: reverse("enquiries:concern_decide", args=[w.cases["north"][1].pk]),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_users_are_sent_to_sign_in(world, client, url, method):
    response = getattr(client, method)(url(world))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert world.cases["north"][1].decision == SafeguardingConcern.Decision.PENDING


def test_unit_staff_see_the_concern_without_change_links(world, client_for):
    concern = world.cases["north"][1]
    response = client_for(world.users["unit"]).get(reverse("enquiries:concern_detail", args=[concern.pk]))
    assert response.status_code == 200
    assert reverse("enquiries:concern_edit", args=[concern.pk]).encode() not in response.content
    assert reverse("enquiries:concern_decide", args=[concern.pk]).encode() not in response.content


def test_practitioners_see_change_links_and_the_decision_button(world, client_for):
    concern = world.cases["north"][1]
    response = client_for(world.users["practitioner_north"]).get(
        reverse("enquiries:concern_detail", args=[concern.pk])
    )
    assert reverse("enquiries:concern_edit", args=[concern.pk]).encode() in response.content
    assert b"Record the decision" in response.content


@pytest.mark.parametrize(
    ("url_name", "detail"),
    [
        ("enquiries:concern_detail", "Safeguarding concern"),
        ("enquiries:concern_edit", "Change safeguarding concern form"),
        ("enquiries:concern_decide", "Decision on a safeguarding concern form"),
    ],
)
def test_opening_a_concern_page_is_recorded(world, client_for, url_name, detail):
    user = world.users["practitioner_north"]
    person, concern, _ = world.cases["north"]
    client_for(user).get(reverse(url_name, args=[concern.pk]))
    event = AccessEvent.objects.filter(user=user).latest("pk")
    assert (event.action, event.object_id, event.person_id, event.detail) == (
        AccessEvent.Action.VIEW,
        concern.pk,
        person.pk,
        detail,
    )


def test_opening_the_new_concern_form_is_recorded_against_the_person(world, client_for):
    user = world.users["practitioner_north"]
    person = world.cases["north"][0]
    client_for(user).get(reverse("enquiries:concern_create") + f"?person={person.pk}")
    event = AccessEvent.objects.filter(user=user).latest("pk")
    assert (event.action, event.person_id) == (AccessEvent.Action.VIEW, person.pk)
