"""A date typed as day / month / year is a real date or a GOV.UK error, whatever is typed: a number too long
for the computer, a year too late to add a day to, a day of 31 February."""

import pytest
from django.urls import reverse

from msp_cases.core.forms import GovDateField
from tests.enquiries.factories_enquiry import PlanActionFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 24


@pytest.mark.parametrize(
    "day, month, year",
    [
        ("1", "4", HUGE),
        (HUGE, "4", "2025"),
        ("1", HUGE, "2025"),
        ("31", "12", "9999"),
        ("31", "2", "2025"),
        ("0", "0", "0"),
        ("1", "4", "20255"),
    ],
)
def test_a_date_that_cannot_be_is_not_a_real_date(day, month, year):
    field = GovDateField(what="the date of the meeting", allow_future=True)
    with pytest.raises(Exception) as raised:
        field.clean([day, month, year])
    assert "The date of the meeting must be a real date" in raised.value.messages


def test_a_real_date_is_still_a_date():
    field = GovDateField(what="the date of the meeting", allow_future=True)
    assert field.clean(["5", "4", "2025"]).isoformat() == "2025-04-05"


def test_the_sac_period_with_a_very_long_year_says_so(world, unit_client):
    response = unit_client.get(
        reverse("reports:sac"),
        {"start_0": "1", "start_1": "4", "start_2": "2025", "end_0": "31", "end_1": "3", "end_2": HUGE},
    )
    assert response.status_code == 200
    assert "The last day of the period must be a real date" in response.content.decode()


def test_a_plan_action_due_in_a_very_long_year_says_so(world, practitioner_client):
    action = PlanActionFactory(enquiry=world.cases["north"][2])
    response = practitioner_client.post(
        reverse("enquiries:plan_action_edit", args=[action.pk]),
        {"what": action.what, "who": action.who, "due_on_0": "1", "due_on_1": "1", "due_on_2": HUGE,
         "version": action.version},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The date the action is due by must be a real date" in response.content.decode()


def test_an_audit_draw_ending_in_year_9999_says_so(world, unit_client):
    response = unit_client.post(
        reverse("feedback:audit_sample_draw"),
        {"start_0": "1", "start_1": "1", "start_2": "2025", "end_0": "31", "end_1": "12", "end_2": "9999",
         "size": "5", "seed": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The last day of the period must be a real date" in response.content.decode()


def test_the_coproduction_export_with_a_very_long_day_says_so(world, unit_client):
    response = unit_client.get(
        reverse("feedback:coproduction_export"),
        {"start_0": HUGE, "start_1": "4", "start_2": "2025", "end_0": "1", "end_1": "5", "end_2": "2025"},
    )
    assert response.status_code == 200
    assert "The start of the period must be a real date" in response.content.decode()
