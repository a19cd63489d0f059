"""Warnings about a person: recorded with a manager's agreement, why the person was not told, shown until
ended, never deleted, and a reminder when the review date passes."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.forms.warnings import PersonWarningForm
from enquiries.models import PersonWarning
from enquiries.models.drift import DriftRule, Reminder
from enquiries.services.drift import drift_scan, reminder_url
from enquiries.services.warnings import (
    MSG_AGREED_WITH_SELF,
    MSG_NOT_THEIR_MANAGER,
    MSG_WHY_NOT_TOLD,
    person_warning_add,
    person_warning_end,
    person_warning_update,
)
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WHAT_TO_DO = "Do not call when her son is at home"


def _fields(world, **overrides) -> dict:
    today = timezone.localdate()
    return {
        "type": "safe_contact",
        "what_to_do": WHAT_TO_DO,
        "starts_on": today,
        "review_on": today + datetime.timedelta(days=30),
        "person_told": "yes",
        "not_told_reason": "",
        "agreed_with": world.users["manager_north"],
    } | overrides


def _add(world, person=None, **overrides) -> PersonWarning:
    person = person or world.cases["north"][0]
    return person_warning_add(
        actor=Actor.of(world.users["practitioner_north"]), person=person, fields=_fields(world, **overrides)
    )


def _form_data(world, **overrides) -> dict:
    today = timezone.localdate()
    review = today + datetime.timedelta(days=30)
    return {
        "type": "safe_contact",
        "what_to_do": WHAT_TO_DO,
        "starts_on_0": today.day,
        "starts_on_1": today.month,
        "starts_on_2": today.year,
        "review_on_0": review.day,
        "review_on_1": review.month,
        "review_on_2": review.year,
        "person_told": "yes",
        "not_told_reason": "",
        "agreed_with": world.users["manager_north"].pk,
    } | overrides


# --- The rules ------------------------------------------------------------------------------------


def test_why_not_told_is_required_when_the_person_was_not_told(world):
    with pytest.raises(ValidationError) as refused:
        _add(world, person_told="no", not_told_reason="")
    assert refused.value.message_dict == {"not_told_reason": [MSG_WHY_NOT_TOLD]}
    warning = _add(world, person_told="no", not_told_reason="Telling her would alert her son")
    assert warning.not_told_reason == "Telling her would alert her son"


def test_the_form_shows_why_not_told_missing_with_every_other_problem(world):
    person = world.cases["north"][0]
    form = PersonWarningForm(
        _form_data(world, person_told="no", what_to_do=""),
        user=world.users["practitioner_north"],
        person=person,
    )
    assert not form.is_valid()
    assert form.errors["not_told_reason"] == [MSG_WHY_NOT_TOLD]
    assert form.errors["what_to_do"] == ["Enter what staff must do"]


def test_nobody_records_a_warning_as_agreed_with_themselves(world):
    manager = world.users["manager_north"]
    with pytest.raises(ValidationError) as refused:
        person_warning_add(
            actor=Actor.of(manager),
            person=world.cases["north"][0],
            fields=_fields(world, agreed_with=manager),
        )
    assert refused.value.message_dict == {"agreed_with": [MSG_AGREED_WITH_SELF]}
    # ...and the form does not offer them to themselves.
    form = PersonWarningForm(user=manager, person=world.cases["north"][0])
    assert manager not in form.fields["agreed_with"].queryset


def test_the_manager_must_manage_a_team_holding_the_persons_records(world):
    # South's manager has nothing to do with North's case; a practitioner is no manager.
    for not_theirs in (
        world.users["manager_south"],
        UserFactory(role=roles.PRACTITIONER, teams=[world.north]),
    ):
        with pytest.raises(ValidationError) as refused:
            _add(world, agreed_with=not_theirs)
        assert refused.value.message_dict == {"agreed_with": [MSG_NOT_THEIR_MANAGER]}
    form = PersonWarningForm(user=world.users["practitioner_north"], person=world.cases["north"][0])
    assert list(form.fields["agreed_with"].queryset) == [world.users["manager_north"]]
    warning = _add(world)
    assert (warning.agreed_with, warning.team, warning.recorded_by) == (
        world.users["manager_north"],
        world.north,
        world.users["practitioner_north"],
    )


def test_a_warning_is_ended_not_deleted_and_keeps_its_history(world):
    warning = _add(world)
    ended = person_warning_end(
        actor=Actor.of(world.users["manager_north"]),
        warning=warning,
        expected_version=warning.version,
        ended_on=timezone.localdate(),
        end_reason="Her son has moved away",
    )
    assert PersonWarning.objects.filter(pk=warning.pk).exists()
    assert (ended.end_reason, ended.ended_by) == ("Her son has moved away", world.users["manager_north"])
    assert [h.history_type for h in ended.history.order_by("history_date")] == ["+", "~"]


# --- The pages ------------------------------------------------------------------------------------


def test_a_practitioner_adds_a_warning_and_it_is_on_the_enquiry_page(world, practitioner_client):
    person, _, enquiry = world.cases["north"]
    add = reverse("enquiries:warning_add", args=[person.pk])
    response = practitioner_client.post(add, _form_data(world, person_told="no"))
    assert response.status_code == 200
    assert 'class="govuk-error-summary' in response.text
    assert MSG_WHY_NOT_TOLD in response.text
    response = practitioner_client.post(add, _form_data(world))
    assert response.status_code == 302
    page = practitioner_client.get(enquiry.get_absolute_url()).text
    assert 'class="moj-identity-bar app-identity-bar"' in page
    assert f'Safe contact: <span class="app-identity-bar__what">{WHAT_TO_DO}</span>' in page


def test_ended_and_future_warnings_are_not_shown_in_the_bar(world, practitioner_client):
    person, _, enquiry = world.cases["north"]
    today = timezone.localdate()
    later = _add(
        world,
        what_to_do="Starts next week",
        starts_on=today + datetime.timedelta(days=7),
        review_on=today + datetime.timedelta(days=30),
    )
    ended = _add(world, what_to_do="Ended already")
    person_warning_end(
        actor=Actor.of(world.users["practitioner_north"]),
        warning=ended,
        expected_version=ended.version,
        ended_on=today,
        end_reason="No longer needed",
    )
    _add(world)
    page = practitioner_client.get(enquiry.get_absolute_url()).text
    assert WHAT_TO_DO in page
    assert later.what_to_do not in page and "Ended already" not in page
    # The person's warnings page lists all three, the ended one under "Ended".
    listing = practitioner_client.get(reverse("enquiries:person_warnings", args=[person.pk])).text
    assert "Starts next week" in listing and WHAT_TO_DO in listing
    assert listing.index("Ended already") > listing.index(">Ended<")


def test_warnings_of_a_person_the_user_may_not_see_are_not_found(world, client_for):
    warning = _add(world)
    south = client_for(world.users["practitioner_south"])
    for url in (
        reverse("enquiries:person_warnings", args=[warning.person_id]),
        reverse("enquiries:warning_add", args=[warning.person_id]),
        reverse("enquiries:warning_edit", args=[warning.pk]),
        reverse("enquiries:warning_end", args=[warning.pk]),
    ):
        assert south.get(url).status_code == 404
        if not url.endswith("/warnings/"):  # the list is a page to read only
            assert south.post(url, {}).status_code == 404


def test_unit_staff_see_warnings_but_cannot_change_them(world, unit_client):
    warning = _add(world)
    listing = unit_client.get(reverse("enquiries:person_warnings", args=[warning.person_id]))
    assert WHAT_TO_DO in listing.text
    assert reverse("enquiries:warning_edit", args=[warning.pk]) not in listing.text
    assert unit_client.get(reverse("enquiries:warning_edit", args=[warning.pk])).status_code == 404


def test_reading_the_warnings_is_recorded(world, practitioner_client):
    person = world.cases["north"][0]
    practitioner_client.get(reverse("enquiries:person_warnings", args=[person.pk]))
    assert AccessEvent.objects.filter(
        person=person, user=world.users["practitioner_north"], detail="Warnings"
    ).exists()


def test_the_bar_costs_one_query_for_the_warnings(world, practitioner_client):
    enquiry = world.cases["north"][2]
    url = enquiry.get_absolute_url()
    practitioner_client.get(url)
    with CaptureQueriesContext(connection) as none:
        practitioner_client.get(url)
    for n in range(3):
        _add(world, what_to_do=f"Warning {n}")
    with CaptureQueriesContext(connection) as three:
        page = practitioner_client.get(url).text
    assert all(f"Warning {n}" in page for n in range(3))
    assert len(three) == len(none)


# --- Review drift ---------------------------------------------------------------------------------


def test_a_reminder_is_raised_when_the_review_date_passes_and_resolved_by_a_new_review_date(world):
    warning = _add(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        drift_scan()
    assert not Reminder.objects.filter(rule=DriftRule.WARNING_REVIEW).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=32)):
        drift_scan()
        reminder = Reminder.objects.get(rule=DriftRule.WARNING_REVIEW, object_id=warning.pk)
        assert (reminder.status, reminder.recipient, reminder.team) == (
            Reminder.Status.OPEN,
            world.users["practitioner_north"],
            world.north,
        )
        told = Notification.objects.get(reminder=reminder, kind=Notification.Kind.REMINDER)
        assert told.user == world.users["practitioner_north"]
        assert told.url == reverse("enquiries:warning_edit", args=[warning.pk]) == reminder_url(reminder)
        # Reviewed: a new review date resolves it at once.
        person_warning_update(
            actor=Actor.of(world.users["practitioner_north"]),
            warning=warning,
            expected_version=warning.version,
            fields=_fields(world, review_on=timezone.localdate() + datetime.timedelta(days=60)),
        )
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.RESOLVED
        drift_scan()
        assert (
            Reminder.objects.filter(rule=DriftRule.WARNING_REVIEW, status=Reminder.Status.OPEN).count() == 0
        )


def test_ending_a_warning_resolves_its_review_reminder(world):
    warning = _add(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=32)):
        drift_scan()
        person_warning_end(
            actor=Actor.of(world.users["practitioner_north"]),
            warning=warning,
            expected_version=warning.version,
            ended_on=timezone.localdate(),
            end_reason="Her son has moved away",
        )
        assert Reminder.objects.get(rule=DriftRule.WARNING_REVIEW).status == Reminder.Status.RESOLVED
        drift_scan()
        assert Reminder.objects.get(rule=DriftRule.WARNING_REVIEW).status == Reminder.Status.RESOLVED
