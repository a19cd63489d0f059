"""The first read operations, through the pages' own access rule: a client of North's team reads what North's
team may read (tests/access_table.py's row for a team with no allocated cases of its own elsewhere), 404 for
the rest, a restricted person as the pages treat them; each operation needs its scope; each read is recorded
in the record of access like a page view; errors are RFC 9457 problem details."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken

from msp_cases.audit.models import AccessEvent
from tests.factories import EnquiryFactory, PersonFactory

pytestmark = pytest.mark.django_db

# A client bound to a team sees that team's records: not a case of another team allocated to one of its
# members (the client is not that member), not a restricted person it is not named on.
# A client bound to no team is the front door's only: it sees the people it sent, and none of these.
VISIBLE = {
    "North Locality": {"north"},
    "South Locality": {"south", "south_allocated_to_north"},
    "": set(),
}
READS = {"people": (0, "people:read"), "enquiries": (2, "cases:read")}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


@pytest.mark.parametrize("team", sorted(VISIBLE))
@pytest.mark.parametrize("case", ["north", "south", "south_allocated_to_north", "restricted_north"])
@pytest.mark.parametrize("resource", sorted(READS))
def test_a_client_reads_what_its_teams_may_read_and_nothing_else(world, partner, team, case, resource):
    index, scope = READS[resource]
    record = world.cases[case][index]
    client = partner([scope], [team] if team else [])
    response = client.get(f"/api/v1/{resource}/{record.pk}/")
    if case in VISIBLE[team]:
        assert response.status_code == 200
        assert response.json()["id"] == record.pk
    else:
        body = _problem(response, 404)
        assert world.cases[case][0].family_name not in response.content.decode()
        assert "Not Found" in body["title"]


def test_the_access_rule_is_the_pages_own(world, partner):
    """The service account is scoped by msp_cases/access.py exactly as a person of its teams would be."""
    from enquiries.models import Person
    from msp_cases import access

    client = partner(["people:read"], ["North Locality"])
    assert set(access.scoped(Person.objects.all(), client.client.user).values_list("pk", flat=True)) == {
        world.cases["north"][0].pk
    }


def test_a_client_named_on_a_restricted_record_sees_it_as_a_person_named_would(world, partner):
    """Restriction is the pages' rule: name the service account on the record and it sees the person."""
    client = partner(["people:read"], ["North Locality"])
    person = world.cases["restricted_north"][0]
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 404
    person.restricted_to.add(client.client.user)
    assert client.get(f"/api/v1/people/{person.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("scopes", "resource", "status"),
    [
        (["people:read"], "people", 200),
        (["people:read"], "enquiries", 403),
        (["cases:read"], "people", 403),
        (["cases:read"], "enquiries", 200),
        (["referrals:write", "reports:read", "cases:write"], "people", 403),
        (["referrals:write", "reports:read", "cases:write"], "enquiries", 403),
    ],
)
def test_each_operation_needs_its_scope(world, partner, scopes, resource, status):
    record = world.cases["north"][READS[resource][0]]
    response = partner(scopes).get(f"/api/v1/{resource}/{record.pk}/")
    if status == 403:
        assert "scope" in _problem(response, 403)["detail"]
    else:
        assert response.status_code == 200


def test_search_needs_people_read_too(world, partner):
    _problem(partner(["cases:read"]).get("/api/v1/people/", q="Casename"), 403)


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic eDp5"])
def test_no_token_or_a_wrong_one_is_401(world, authorization):
    person = world.cases["north"][0]
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = Client(**headers).get(f"/api/v1/people/{person.pk}/")
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_401(world, partner):
    client = partner(["people:read"])
    AccessToken.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    _problem(client.get(f"/api/v1/people/{world.cases['north'][0].pk}/"), 401)


def test_a_switched_off_client_is_401(world, partner):
    client = partner(["people:read"])
    client.client.is_active = False
    client.client.save()
    _problem(client.get(f"/api/v1/people/{world.cases['north'][0].pk}/"), 401)


def test_a_client_whose_service_account_is_deactivated_is_401(world, partner):
    """A client is switched off by deactivating its account, as anyone is (user admin, account review)."""
    client = partner(["people:read"])
    client.client.user.is_active = False
    client.client.user.save()
    _problem(client.get(f"/api/v1/people/{world.cases['north'][0].pk}/"), 401)


def test_a_session_signed_in_to_the_pages_is_not_a_token(world, client_for):
    """The API takes bearer tokens only: a person's browser session opens nothing here."""
    person = world.cases["north"][0]
    _problem(client_for(world.users["unit_lead"]).get(f"/api/v1/people/{person.pk}/"), 401)


def test_every_read_is_recorded_like_a_page_view(world, partner):
    client = partner(["people:read", "cases:read"])
    person, _, enquiry = world.cases["north"]
    client.get(f"/api/v1/people/{person.pk}/")
    client.get(f"/api/v1/enquiries/{enquiry.pk}/")
    events = AccessEvent.objects.filter(user=client.client.user).order_by("pk")
    assert [(e.object_id, e.person_id, e.action) for e in events] == [
        (person.pk, person.pk, AccessEvent.Action.VIEW),
        (enquiry.pk, person.pk, AccessEvent.Action.VIEW),
    ]
    assert all(e.ip_address == "127.0.0.1" for e in events)


def test_a_refused_read_records_nothing(world, partner):
    client = partner(["people:read"])
    client.get(f"/api/v1/people/{world.cases['south'][0].pk}/")
    assert not AccessEvent.objects.filter(user=client.client.user).exists()


def test_search_finds_as_the_person_search_page_does_and_records_the_names_shown(world, partner):
    client = partner(["people:read"])
    response = client.get("/api/v1/people/", q="Casename-north")
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["results"]] == [world.cases["north"][0].pk]
    assert body["next"] is None and body["more_matches"] is False
    listed = AccessEvent.objects.filter(user=client.client.user)
    assert [(e.person_id, e.detail) for e in listed] == [
        (world.cases["north"][0].pk, "Name shown in API search results")
    ]


def test_search_without_words_is_a_400_problem(world, partner):
    body = _problem(partner(["people:read"]).get("/api/v1/people/"), 400)
    assert "q" in body["errors"]


def test_search_pages_by_cursor_best_first_in_a_fixed_number_of_queries(world, partner):
    north = world.north
    for n in range(45):
        EnquiryFactory(person=PersonFactory(given_name=f"Given{n}", family_name="Pagename"), team=north)
    client = partner(["people:read"])
    seen, url, counts = [], "/api/v1/people/?q=Pagename", []
    while url:
        with CaptureQueriesContext(connection) as queries:
            response = client.http.get(url)
        counts.append(len(queries))
        body = response.json()
        seen += [p["id"] for p in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 45
    assert [len(seen[:20]), len(seen[20:40]), len(seen[40:])] == [20, 20, 5]
    assert len(set(counts)) == 1, counts  # the same whatever the page, and whatever its number of people
    assert counts[0] <= 12


def test_a_made_up_cursor_is_a_404_problem(world, partner):
    _problem(partner(["people:read"]).get("/api/v1/people/", q="Casename", cursor="42"), 404)


def test_requests_are_throttled_per_client(world, partner, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "client": "2/min"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        first, second = partner(["people:read"]), partner(["people:read"])
        url = f"/api/v1/people/{world.cases['north'][0].pk}/"
        assert [first.get(url).status_code for _ in range(2)] == [200, 200]
        response = first.get(url)
        _problem(response, 429)
        assert int(response["Retry-After"]) > 0
        assert second.get(url).status_code == 200  # another client's own allowance
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


def test_the_enquiry_says_its_state(world, partner):
    _, concern, enquiry = world.cases["north"]
    body = partner(["cases:read"]).get(f"/api/v1/enquiries/{enquiry.pk}/").json()
    assert body["person"] == enquiry.person_id and body["concern"] == concern.pk
    assert body["team"] == "North Locality" and body["status"] == enquiry.status
    assert body["version"] == enquiry.version


@pytest.mark.parametrize("q", ["x" * 201, "a\x00b"])
def test_hostile_search_words_are_a_400(world, partner, q):
    response = partner(["people:read"]).get("/api/v1/people/", q=q)
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/people/1/", "/api/"])
def test_an_address_with_no_operation_is_a_404_problem(path):
    _problem(Client().get(path), 404)


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_a_write_to_an_address_with_no_operation_is_a_404_problem_too(method):
    """Not the pages' CSRF refusal: a partner's system reads every error the same way."""
    response = getattr(Client(enforce_csrf_checks=True), method)(
        "/api/v1/concerns/not-an-id/", "{}", content_type="application/json"
    )
    _problem(response, 404)
