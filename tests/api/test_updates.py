"""PATCH /api/v1/concerns/{id}/ (cases:write): the selected changes a partner's system may make to a concern
awaiting its decision, through the concern page's own service. If-Match must carry the ETag as read (428
without it); a change made since is refused with 412 and the version now, never overwritten; each change is
recorded as a page's edit is. Which concerns a client may change is the access table's answer, as reads."""

import json

import pytest

from enquiries.models import SafeguardingConcern
from enquiries.services.concerns import concern_update
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from tests.access_table import CASES
from tests.factories import ConcernFactory

from .test_concerns import VISIBLE

pytestmark = pytest.mark.django_db

WRITER = ["cases:read", "cases:write"]


def pending(world, case: str) -> SafeguardingConcern:
    """A concern about the case's person, awaiting its decision, held as the case's own concern is."""
    decided = world.cases[case][1]
    return ConcernFactory(person=decided.person, team=decided.team, allocated_to=decided.allocated_to)


def patch(partner, concern, body, if_match: str | None = '"1"'):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return partner.http.patch(
        f"/api/v1/concerns/{concern.pk}/", data, content_type="application/json", **headers
    )


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize("team", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_a_client_changes_only_the_concerns_its_teams_may_read(world, partner, team, case):
    concern = pending(world, case)
    client = partner(WRITER, [team] if team else [])
    response = patch(client, concern, {"immediate_actions": "Police called; she is staying with her sister."})
    concern.refresh_from_db()
    if case in VISIBLE[team]:
        assert response.status_code == 200, response.content
        assert concern.immediate_actions.startswith("Police called") and concern.version == 2
    else:
        problem(response, 404)
        assert concern.immediate_actions == "" and concern.version == 1


def test_a_change_is_made_and_recorded_and_the_new_version_is_the_etag(world, partner):
    concern = pending(world, "north")
    client = partner(WRITER)
    read = client.get(f"/api/v1/concerns/{concern.pk}/")
    response = patch(
        client,
        concern,
        {
            "person_aware": "yes",
            "person_initial_views": "She wants it to stop but does not want her son arrested.",
            "risk_location": "own_home",
            "risk_source": "known",
            "risk_types": ["physical", "psychological"],
        },
        if_match=read["ETag"],
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"' and response.json()["version"] == 2
    concern.refresh_from_db()
    assert (concern.person_aware, concern.risk_location, concern.risk_source) == ("yes", "own_home", "known")
    assert sorted(concern.risk_types.values_list("code", flat=True)) == ["physical", "psychological"]
    assert response.json()["risk_types"] == ["physical", "psychological"]
    assert concern.summary == "A neighbour is worried."  # what was not sent stays as it was
    change = AccessEvent.objects.get(user=client.client.user, action=AccessEvent.Action.CHANGE)
    assert (change.object_id, change.person_id) == (concern.pk, concern.person_id)
    assert change.detail == "Safeguarding concern changed"


def test_a_change_made_since_the_client_read_is_refused_never_overwritten(world, partner):
    concern = pending(world, "north")
    client = partner(WRITER)
    etag = client.get(f"/api/v1/concerns/{concern.pk}/")["ETag"]
    # Meanwhile the practitioner changes it on the page.
    concern_update(
        actor=Actor.of(world.users["practitioner_north"]),
        concern=concern,
        expected_version=1,
        changes={"immediate_actions": "Typed on the page"},
        risk_types=[],
    )
    response = patch(client, concern, {"immediate_actions": "From the partner"}, if_match=etag)
    body = problem(response, 412)
    assert response["ETag"] == '"2"'
    assert "changed since you read it" in body["detail"]
    concern.refresh_from_db()
    assert concern.immediate_actions == "Typed on the page" and concern.version == 2
    # Read again, then send: accepted.
    assert (
        patch(client, concern, {"immediate_actions": "From the partner"}, if_match='"2"').status_code == 200
    )


@pytest.mark.parametrize("if_match", [None, "", "*"])
def test_a_change_without_the_version_read_is_428(world, partner, if_match):
    concern = pending(world, "north")
    body = problem(patch(partner(WRITER), concern, {"immediate_actions": "x"}, if_match=if_match), 428)
    assert "If-Match" in body["detail"]
    concern.refresh_from_db()
    assert concern.version == 1 and concern.immediate_actions == ""


@pytest.mark.parametrize(
    ("if_match", "status"), [('W/"1"', 200), ('"7", "1"', 200), ('"7"', 412), ("1", 400)]
)
def test_if_match_names_the_version(world, partner, if_match, status):
    concern = pending(world, "north")
    assert (
        patch(partner(WRITER), concern, {"immediate_actions": "x"}, if_match=if_match).status_code == status
    )


def test_a_decided_concern_cannot_be_changed(world, partner):
    concern = pending(world, "north")
    SafeguardingConcern.objects.filter(pk=concern.pk).update(decision=SafeguardingConcern.Decision.SECTION_42)
    client = partner(WRITER)
    etag = client.get(f"/api/v1/concerns/{concern.pk}/")["ETag"]
    body = problem(patch(client, concern, {"immediate_actions": "x"}, if_match=etag), 409)
    assert "decision" in body["detail"]
    concern.refresh_from_db()
    assert concern.immediate_actions == "" and concern.version == 1


@pytest.mark.parametrize(
    ("scopes", "status"),
    [(["cases:read"], 403), (["cases:write"], 200), (["people:read", "referrals:write"], 403)],
)
def test_changing_needs_cases_write(world, partner, scopes, status):
    concern = pending(world, "north")
    response = patch(partner(scopes), concern, {"immediate_actions": "x"})
    assert response.status_code == status
    concern.refresh_from_db()
    assert concern.version == (2 if status == 200 else 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"immediate_actions": "x" * 10_001}, "immediate_actions"),
        ({"immediate_actions": 42}, "immediate_actions"),
        ({"immediate_actions": ["a"]}, "immediate_actions"),
        ({"immediate_actions": "a\x00b"}, "immediate_actions"),
        ({"person_aware": "perhaps"}, "person_aware"),
        ({"risk_types": "physical"}, "risk_types"),
        ({"risk_types": ["not-a-type"]}, "risk_types"),
        ({"risk_types": [{"code": "physical"}]}, "risk_types"),
        ({"summary": "Not one of the fields a partner changes"}, "summary"),
        ({"team": 1}, "team"),
        ({}, "non_field_errors"),
        ([1, 2], "non_field_errors"),
        ("null", "non_field_errors"),
    ],
)
def test_hostile_changes_are_a_400_problem_and_change_nothing(world, partner, body, field):
    concern = pending(world, "north")
    body = problem(patch(partner(WRITER), concern, body), 400)
    assert field in body["errors"]
    concern.refresh_from_db()
    assert concern.version == 1


@pytest.mark.parametrize("raw", ["{not json", '{"immediate_actions": NaN}', "x" * 5])
def test_a_body_that_is_not_json_is_a_400_problem(world, partner, raw):
    concern = pending(world, "north")
    problem(patch(partner(WRITER), concern, raw), 400)


def test_control_characters_are_dropped_as_the_page_drops_them(world, partner):
    concern = pending(world, "north")
    assert (
        patch(partner(WRITER), concern, {"immediate_actions": "Called\x07 the\x1b police"}).status_code == 200
    )
    concern.refresh_from_db()
    assert concern.immediate_actions == "Called the police"
