"""The co-production export: anonymised counts of Part 2 answers, small numbers hidden, unit staff only."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import ExperienceFeedbackPart2
from msp_cases.audit.models import AccessEvent
from tests.access_table import VISIBLE
from tests.factories import EnquiryFactory
from tests.feedback.factories_feedback import Part2Factory

from .test_feedback import TODAY, _date

pytestmark = pytest.mark.django_db
URL = reverse("feedback:coproduction_export")
PERIOD = {**{k.replace("x", "start"): v for k, v in _date("x").items()}, **_date("end")}


def _answers(world, case, n, **fields):
    enquiry = world.cases[case][2]
    for _ in range(n):
        # One Part 2 per enquiry: extra answers hang off extra enquiries of the same team.
        extra = EnquiryFactory(person=enquiry.person, concern=enquiry.concern, team=enquiry.team)
        Part2Factory(
            enquiry=extra,
            listened=fields.get("listened", "yes_completely"),
            listened_comment="Priya was kind",
            informed="yes_partly",
            safer="no",
            concerns_dealt_with="dont_know",
            completed_on=TODAY,
            created_by=world.users["practitioner_north"],
        )


def _rows(response) -> dict:
    reader = csv.reader(io.StringIO(response.content.decode()))
    next(reader)
    return {(q, a): n for q, a, n in reader}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_only_unit_staff_may_export(world, client_for, role):
    response = client_for(world.users[role]).get(URL, PERIOD)
    assert response.status_code == (200 if role in {"unit", "unit_lead"} else 404)


def test_counts_with_small_numbers_suppressed_and_no_free_text(world, client_for):
    _answers(world, "north", 6)
    _answers(world, "south", 2, listened="no")
    response = client_for(world.users["unit"]).get(URL, PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[("Did you feel listened to?", "Yes, completely")] == "6"
    assert rows[("Did you feel listened to?", "No")] == "[c]"
    assert rows[("Do you feel safer?", "No")] == "8"
    assert rows[("Was the person approached?", "No")] == "[c]"
    text = response.content.decode()
    assert "Priya was kind" not in text
    assert "Casename" not in text and "Given-" not in text
    event = AccessEvent.objects.get(action=AccessEvent.Action.EXPORT)
    assert event.user == world.users["unit"] and event.person is None


def test_outside_the_period_is_not_counted(world, client_for):
    _answers(world, "north", 6)
    ExperienceFeedbackPart2.objects.update(completed_on=TODAY - timezone.timedelta(days=400))
    rows = _rows(client_for(world.users["unit"]).get(URL, PERIOD))
    assert rows[("Did you feel listened to?", "Yes, completely")] == "[c]"


def test_a_period_that_ends_before_it_starts_is_explained(world, client_for):
    earlier = TODAY - timezone.timedelta(days=1)
    params = {**{k.replace("x", "start"): v for k, v in _date("x").items()}, **_date("end", earlier)}
    response = client_for(world.users["unit"]).get(URL, params)
    assert response.status_code == 200
    assert "The end of the period must be the same as or after the start" in response.content.decode()
    assert not AccessEvent.objects.filter(action=AccessEvent.Action.EXPORT).exists()
