"""Every page that changes an enquiry, over every role × case (GET and POST): out of scope is "Page not
found", unit staff may look but change nothing (404 on the edit pages), a step the role can never take is
403, and anonymous users are sent to sign in."""

import pytest
from django.urls import reverse

from enquiries.models import Enquiry, EnquiryEvent, Meeting, PlanAction
from tests.access_table import CASES, VISIBLE

from .factories_enquiry import PlanActionFactory

pytestmark = pytest.mark.django_db

EDITORS = {"practitioner_north", "practitioner_south", "manager_north", "manager_south"}
MANAGERS = {"manager_north", "manager_south"}


def _is_lead(world, role, case):
    return world.cases[case][2].lead_practitioner == world.users[role]


# URL name -> (who may open it among those who may edit the case, POST {} status for them on an open enquiry)
URLS = {
    "enquiries:enquiry_allocate": (lambda w, role, case: role in MANAGERS, 200),
    "enquiries:enquiry_start": (lambda w, role, case: role in MANAGERS or _is_lead(w, role, case), 200),
    "enquiries:enquiry_propose_closure": (
        lambda w, role, case: role in MANAGERS or _is_lead(w, role, case),
        409,  # an open enquiry cannot be proposed for closure
    ),
    "enquiries:enquiry_sign_off": (lambda w, role, case: role in MANAGERS, 409),
    "enquiries:enquiry_reopen": (lambda w, role, case: role in MANAGERS, 409),
    "enquiries:enquiry_edit_details": (lambda w, role, case: True, 200),
    "enquiries:enquiry_closure_details": (lambda w, role, case: True, 200),
    "enquiries:plan_action_add": (lambda w, role, case: True, 200),
    "enquiries:plan_action_edit": (lambda w, role, case: True, 200),
    "enquiries:meeting_add": (lambda w, role, case: True, 200),
}


def _url(world, url_name, case):
    enquiry = world.cases[case][2]
    if url_name == "enquiries:plan_action_edit":
        return reverse(url_name, args=[PlanAction.objects.get(enquiry=enquiry).pk])
    return reverse(url_name, args=[enquiry.pk])


@pytest.fixture
def plan_world(world):
    for case in CASES:
        PlanActionFactory(enquiry=world.cases[case][2], what=f"Plan for {case}")
    return world


def _snapshot():
    return (
        list(Enquiry.objects.order_by("pk").values_list("pk", "version", "status", "lead_practitioner")),
        EnquiryEvent.objects.count(),
        PlanAction.objects.count(),
        Meeting.objects.count(),
    )


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_enquiry_pages_answer_each_role_and_case(plan_world, client_for, role, case):
    world = plan_world
    client = client_for(world.users[role])
    before = _snapshot()
    wrong = []
    for url_name, (may_open, post_status) in URLS.items():
        url = _url(world, url_name, case)
        if case not in VISIBLE[role] or role not in EDITORS:
            expected_get = expected_post = 404
        elif not may_open(world, role, case):
            expected_get = expected_post = 403
        else:
            expected_get, expected_post = 200, post_status
        get = client.get(url)
        post = client.post(url, {})
        if (get.status_code, post.status_code) != (expected_get, expected_post):
            wrong.append((url_name, (get.status_code, post.status_code), (expected_get, expected_post)))
        if 404 in (expected_get,):
            person = world.cases[case][0]
            assert person.family_name.encode() not in get.content + post.content
    assert not wrong, wrong
    # An empty POST changes nothing, whoever sends it.
    assert _snapshot() == before


@pytest.mark.parametrize("url_name", sorted(URLS))
def test_anonymous_users_are_sent_to_sign_in(plan_world, client, url_name):
    url = _url(plan_world, url_name, "north")
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_unit_staff_see_the_enquiry_page_without_buttons_or_change_links(plan_world, client_for):
    enquiry = plan_world.cases["north"][2]
    response = client_for(plan_world.users["unit"]).get(enquiry.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plan for north" in html
    for text in ("Start work", "Allocate", "Add an action", "Record a meeting", ">Change<"):
        assert text not in html
    assert reverse("enquiries:enquiry_edit_details", args=[enquiry.pk]) not in html


def test_editors_see_the_change_links(plan_world, client_for):
    enquiry = plan_world.cases["north"][2]
    html = client_for(plan_world.users["practitioner_north"]).get(enquiry.get_absolute_url()).content.decode()
    assert reverse("enquiries:enquiry_edit_details", args=[enquiry.pk]) in html
    assert reverse("enquiries:enquiry_closure_details", args=[enquiry.pk]) in html
    assert reverse("enquiries:plan_action_add", args=[enquiry.pk]) in html
    assert reverse("enquiries:meeting_add", args=[enquiry.pk]) in html
    assert "Start work" in html
    assert "Allocate" not in html  # a practitioner cannot allocate
