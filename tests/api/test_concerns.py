"""GET /api/v1/concerns/{id}/ (cases:read): through the concern page's own selector and access rule, with its
version as the ETag, each read recorded as a page view is. Which cases a client of a team sees comes from
the access table: what that team's manager sees, less a restricted record the client is not named on."""

import pytest

from msp_cases.audit.models import AccessEvent
from tests.access_table import CASES
from tests.access_table import VISIBLE as ROLE_VISIBLE

pytestmark = pytest.mark.django_db

# A client bound to a team reads as a member of that team would who holds no case of another team; bound to
# no team, it is the front door's only and reads no case.
VISIBLE = {
    "North Locality": ROLE_VISIBLE["manager_north"] - {"restricted_north"},
    "South Locality": ROLE_VISIBLE["manager_south"],
    "": set(),
}


@pytest.mark.parametrize("team", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_a_client_reads_the_concerns_its_teams_may_read_and_no_other(world, partner, team, case):
    concern = world.cases[case][1]
    client = partner(["cases:read"], [team] if team else [])
    response = client.get(f"/api/v1/concerns/{concern.pk}/")
    if case in VISIBLE[team]:
        assert response.status_code == 200
        assert response.json()["id"] == concern.pk
    else:
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert world.cases[case][0].family_name not in response.content.decode()


def test_the_concern_says_its_state_and_version_as_its_etag(world, partner):
    person, concern, enquiry = world.cases["north"]
    response = partner(["cases:read"]).get(f"/api/v1/concerns/{concern.pk}/")
    body = response.json()
    assert response["ETag"] == f'"{concern.version}"'
    assert body["version"] == concern.version
    assert body["person"] == person.pk and body["team"] == "North Locality"
    assert body["decision"] == concern.decision and body["enquiries"] == [enquiry.pk]
    assert body["allocated_to"] == world.users["practitioner_north"].full_name


def test_an_enquiry_says_its_version_as_its_etag(world, partner):
    enquiry = world.cases["north"][2]
    response = partner(["cases:read"]).get(f"/api/v1/enquiries/{enquiry.pk}/")
    assert response["ETag"] == f'"{enquiry.version}"'


def test_every_concern_read_is_recorded_and_a_refused_one_is_not(world, partner):
    client = partner(["cases:read"])
    person, concern, _ = world.cases["north"]
    client.get(f"/api/v1/concerns/{concern.pk}/")
    client.get(f"/api/v1/concerns/{world.cases['south'][1].pk}/")
    events = AccessEvent.objects.filter(user=client.client.user)
    assert [(e.object_id, e.person_id, e.action) for e in events] == [
        (concern.pk, person.pk, AccessEvent.Action.VIEW)
    ]


@pytest.mark.parametrize(("scopes", "status"), [(["cases:read"], 200), (["people:read", "cases:write"], 403)])
def test_reading_a_concern_needs_cases_read(world, partner, scopes, status):
    concern = world.cases["north"][1]
    assert partner(scopes).get(f"/api/v1/concerns/{concern.pk}/").status_code == status


def test_a_concern_read_costs_a_fixed_number_of_queries(world, partner, django_assert_max_num_queries):
    client = partner(["cases:read"])
    concern = world.cases["north"][1]
    client.get(f"/api/v1/concerns/{concern.pk}/")  # the account's permissions and teams, read once
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/concerns/{concern.pk}/").status_code == 200
