"""The person's desired outcomes and My Safeguarding Experience Part 1 and Part 2 of an enquiry through the
API: read as the pages' access rule allows (404 for the rest), in the person's words as recorded by the pages'
own services, each read recorded against the enquiry."""

import pytest
from django.utils import timezone

from feedback.services import experience_part1_save, experience_part2_save
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from outcomes.services import outcome_add, outcome_withdraw
from tests.api.test_reads import VISIBLE

pytestmark = pytest.mark.django_db

WORDS = "I want my son to stop taking my pension"
PARTS = ["outcomes", "experience"]


def _outcome(enquiry, user, words=WORDS, **extra):
    return outcome_add(
        actor=Actor.of(user),
        enquiry=enquiry,
        words=words,
        expressed_by="person",
        expressed_on=timezone.localdate(),
        **extra,
    )


def _parts(enquiry, user):
    actor = Actor.of(user)
    experience_part1_save(
        actor=actor,
        enquiry=enquiry,
        expected_version=None,
        changes={
            "involvement": ["attend_meetings", "statement"],
            "informed_by": ["easy_read"],
            "communication_support": "Large print, and time to answer",
            "completed_by": "person",
            "completed_on": timezone.localdate(),
        },
    )
    experience_part2_save(
        actor=actor,
        enquiry=enquiry,
        expected_version=None,
        changes={
            "approached": True,
            "answered_by": "person",
            "listened": "yes_completely",
            "informed": "yes_partly",
            "informed_comment": "Nobody rang back on Friday",
            "safer": "no",
            "concerns_dealt_with": "dont_know",
            "further_work_needed": False,
            "completed_on": timezone.localdate(),
        },
    )


@pytest.mark.parametrize("team", sorted(VISIBLE))
@pytest.mark.parametrize("case", ["north", "south", "south_allocated_to_north", "restricted_north"])
@pytest.mark.parametrize("part", PARTS)
def test_a_client_reads_the_parts_its_teams_may_read(world, partner, team, case, part):
    _, _, enquiry = world.cases[case]
    _outcome(enquiry, enquiry.lead_practitioner)
    _parts(enquiry, enquiry.lead_practitioner)
    response = partner(["cases:read"], [team] if team else []).get(f"/api/v1/enquiries/{enquiry.pk}/{part}/")
    if case in VISIBLE[team]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert WORDS not in response.content.decode()
        assert "Large print" not in response.content.decode()


@pytest.mark.parametrize("part", PARTS)
def test_the_parts_need_cases_read(world, partner, part):
    _, _, enquiry = world.cases["north"]
    response = partner(["people:read", "cases:write", "reports:read"]).get(
        f"/api/v1/enquiries/{enquiry.pk}/{part}/"
    )
    assert response.status_code == 403


def test_desired_outcomes_in_the_persons_words_withdrawn_ones_with_why(world, partner):
    _, _, enquiry = world.cases["north"]
    practitioner = world.users["practitioner_north"]
    kept = _outcome(enquiry, practitioner, priority=1)
    withdrawn = _outcome(enquiry, practitioner, words="I want to move to Leeds", priority=2)
    outcome_withdraw(
        actor=Actor.of(practitioner),
        outcome=withdrawn,
        reason="She has decided to stay",
        expected_version=withdrawn.version,
    )
    body = partner(["cases:read"]).get(f"/api/v1/enquiries/{enquiry.pk}/outcomes/").json()
    assert [(o["id"], o["words"], o["status"]) for o in body] == [
        (kept.pk, WORDS, "active"),
        (withdrawn.pk, "I want to move to Leeds", "withdrawn"),
    ]
    assert body[1]["withdrawn_reason"] == "She has decided to stay"
    assert body[0]["expressed_by"] == "person" and body[0]["achievement"] == ""


def test_part_1_and_part_2_as_recorded_with_part_2s_questions_verbatim(world, partner):
    _, _, enquiry = world.cases["north"]
    client = partner(["cases:read"])
    url = f"/api/v1/enquiries/{enquiry.pk}/experience/"
    assert client.get(url).json() == {"part1": None, "part2": None}  # not recorded yet
    _parts(enquiry, world.users["practitioner_north"])
    body = client.get(url).json()
    assert body["part1"]["involvement"] == ["attend_meetings", "statement"]
    assert body["part1"]["communication_support"] == "Large print, and time to answer"
    part2 = body["part2"]
    assert part2["approached"] is True and part2["answered_by"] == "person"
    assert [(q["question"], q["answer"], q["comment"]) for q in part2["questions"]] == [
        ("Did you feel listened to?", "yes_completely", ""),
        ("Did you feel informed?", "yes_partly", "Nobody rang back on Friday"),
        ("Do you feel safer?", "no", ""),
        ("Are you happy with how your concerns were dealt with?", "dont_know", ""),
    ]


def test_each_read_is_recorded_against_the_enquiry(world, partner):
    _, _, enquiry = world.cases["north"]
    client = partner(["cases:read"])
    client.get(f"/api/v1/enquiries/{enquiry.pk}/outcomes/")
    client.get(f"/api/v1/enquiries/{enquiry.pk}/experience/")
    events = AccessEvent.objects.filter(user=client.client.user).order_by("pk")
    assert [(e.action, e.object_id, e.person_id, e.detail) for e in events] == [
        (AccessEvent.Action.VIEW, enquiry.pk, enquiry.person_id, "Desired outcomes read through the API"),
        (
            AccessEvent.Action.VIEW,
            enquiry.pk,
            enquiry.person_id,
            "My Safeguarding Experience read through the API",
        ),
    ]


def test_a_refused_read_records_nothing(world, partner):
    _, _, enquiry = world.cases["south"]
    client = partner(["cases:read"])
    for part in PARTS:
        assert client.get(f"/api/v1/enquiries/{enquiry.pk}/{part}/").status_code == 404
    assert not AccessEvent.objects.filter(user=client.client.user).exists()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1", "abc"])
@pytest.mark.parametrize("part", PARTS)
def test_odd_ids_are_a_404_problem_never_a_500(world, partner, pk, part):
    response = partner(["cases:read"]).get(f"/api/v1/enquiries/{pk}/{part}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
