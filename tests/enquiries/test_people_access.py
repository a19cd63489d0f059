"""Who may open and post to the person and network pages: role × case, restricted included.

Out of scope answers 404, never 403; unit staff see but cannot change (404 on the edit pages and on POST,
and no change links); administrators see no case records; anyone signed out is sent to sign in."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from enquiries.models import NetworkMember, Person
from msp_cases.audit.models import AccessEvent

from ..access_table import CASES, VISIBLE
from .factories_people import (
    NetworkMemberFactory,
    network_form_data,
    network_form_data_from,
    person_form_data,
    person_form_data_from,
)

pytestmark = pytest.mark.django_db

CASE_WORKERS = {"practitioner_north", "practitioner_south", "manager_north", "manager_south"}
# What each role may change: what they see, if they are a case worker.
EDITABLE = {role: (cases if role in CASE_WORKERS else set()) for role, cases in VISIBLE.items()}


def _url(name, world, case):
    person = world.cases[case][0]
    if name == "enquiries:network_edit":
        member = person.network.first() or NetworkMemberFactory(person=person)
        return reverse(name, args=[member.pk])
    return reverse(name, args=[person.pk])


def _post_data(name, world, case):
    person = world.cases[case][0]
    if name == "enquiries:person_edit":
        return person_form_data_from(person, pronouns="they/them")
    if name == "enquiries:network_add":
        return network_form_data()
    return network_form_data_from(person.network.first(), role="Changed role")


OBJECT_URLS = ["enquiries:person_edit", "enquiries:network_add", "enquiries:network_edit"]


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("url_name", OBJECT_URLS)
def test_edit_pages_open_only_for_case_workers_who_see_the_case(world, client_for, role, case, url_name):
    url = _url(url_name, world, case)
    response = client_for(world.users[role]).get(url)
    expected = 200 if case in EDITABLE[role] else 404
    assert response.status_code == expected
    if expected == 404:
        assert b"Page not found" in response.content
        assert world.cases[case][0].family_name.encode() not in response.content


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("url_name", OBJECT_URLS)
def test_posts_change_only_what_the_user_may_change(world, client_for, role, case, url_name):
    person = world.cases[case][0]
    NetworkMemberFactory(person=person, role="Daughter")
    url = _url(url_name, world, case)
    before_network = NetworkMember.objects.filter(person=person).count()
    response = client_for(world.users[role]).post(url, _post_data(url_name, world, case))
    person.refresh_from_db()
    member = person.network.order_by("pk").first()
    if case in EDITABLE[role]:
        assert response.status_code == 302
        assert response["Location"].startswith(person.get_absolute_url())
    else:
        assert response.status_code == 404
        # Nothing changed.
        assert person.pronouns != "they/them"
        assert NetworkMember.objects.filter(person=person).count() == before_network
        assert member.role != "Changed role"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("practitioner_north", 200),
        ("manager_south", 200),
        ("unit", 403),
        ("unit_lead", 403),
        ("admin", 403),
    ],
)
def test_only_case_workers_may_record_a_person(world, client_for, role, expected):
    client = client_for(world.users[role])
    before = Person.objects.count()
    assert client.get(reverse("enquiries:person_create")).status_code == expected
    response = client.post(reverse("enquiries:person_create"), person_form_data())
    assert response.status_code == (302 if expected == 200 else 403)
    assert Person.objects.count() == before + (1 if expected == 200 else 0)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("practitioner_north", 200), ("manager_north", 200), ("unit", 200), ("unit_lead", 200), ("admin", 403)],
)
def test_search_is_for_everyone_who_sees_case_records(world, client_for, role, expected):
    response = client_for(world.users[role]).get(reverse("enquiries:person_search") + "?q=Casename")
    assert response.status_code == expected


@pytest.mark.parametrize(
    "url_name",
    [
        "enquiries:person_search",
        "enquiries:person_create",
        "enquiries:person_edit",
        "enquiries:network_add",
        "enquiries:network_edit",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_users_are_sent_to_sign_in(world, client, url_name, method):
    if url_name in ("enquiries:person_search", "enquiries:person_create"):
        url = reverse(url_name)
    else:
        url = _url(url_name, world, "north")
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "sees_change_links"),
    [("practitioner_north", True), ("manager_north", True), ("unit", False), ("unit_lead", False)],
)
def test_change_links_only_for_those_who_may_change(world, client_for, role, sees_change_links):
    person = world.cases["north"][0]
    member = NetworkMemberFactory(person=person)
    content = client_for(world.users[role]).get(person.get_absolute_url()).content.decode()
    for url in [
        reverse("enquiries:person_edit", args=[person.pk]),
        reverse("enquiries:network_add", args=[person.pk]),
        reverse("enquiries:network_edit", args=[member.pk]),
    ]:
        assert (url in content) is sees_change_links
    # Everyone who sees the person sees their network and the person's view of each member.
    assert escape(member.name) in content
    assert "Wants them involved" in content


def test_opening_the_edit_pages_is_recorded(world, client_for):
    person = world.cases["north"][0]
    member = NetworkMemberFactory(person=person)
    client = client_for(world.users["practitioner_north"])
    for url in [
        reverse("enquiries:person_edit", args=[person.pk]),
        reverse("enquiries:network_add", args=[person.pk]),
        reverse("enquiries:network_edit", args=[member.pk]),
    ]:
        client.get(url)
    events = AccessEvent.objects.filter(user=world.users["practitioner_north"], person=person)
    assert events.filter(action=AccessEvent.Action.VIEW).count() == 3
