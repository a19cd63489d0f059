"""The pages that keep a case on track: a manager's review (only the team's managers), moving the next contact
with the person's agreement, moving a plan action's date with why, and the enquiry page's drift panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enquiries.models import AgreedDateChange, Enquiry, ManagerReview
from enquiries.models.drift import DriftRule, Reminder
from msp_cases.audit.models import AccessEvent

from .factories_enquiry import PlanActionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def north(world):
    return world.cases["north"][2]


def text(response) -> str:
    return response.content.decode()


# Manager reviews ------------------------------------------------------------------------------------------


def test_a_team_manager_records_a_review_and_the_practitioner_sees_it(world, north, client_for):
    manager = client_for(world.users["manager_north"])
    url = reverse("enquiries:manager_review_add", args=[north.pk])
    assert manager.get(url).status_code == 200
    response = manager.post(url, {"note": "Good work with the <b>advocate</b>. Next: check the bank."})
    assert response.status_code == 302
    review = ManagerReview.objects.get(enquiry=north)
    assert review.by == world.users["manager_north"]
    north.refresh_from_db()
    assert north.last_reviewed_at == review.reviewed_at
    assert AccessEvent.objects.filter(detail="Manager review", object_id=review.pk).exists()

    page = text(client_for(world.users["practitioner_north"]).get(north.get_absolute_url()))
    assert "Good work with the &lt;b&gt;advocate&lt;/b&gt;. Next: check the bank." in page  # escaped
    assert escape(world.users["manager_north"].full_name) in page.split('id="manager-reviews"')[1]


def test_an_empty_review_is_refused_in_the_govuk_voice(world, north, client_for):
    response = client_for(world.users["manager_north"]).post(
        reverse("enquiries:manager_review_add", args=[north.pk]), {"note": ""}
    )
    assert response.status_code == 200
    assert "Enter the supervision note" in text(response)
    assert not ManagerReview.objects.exists()


def test_a_practitioner_cannot_record_a_manager_review(world, north, client_for):
    client = client_for(world.users["practitioner_north"])
    url = reverse("enquiries:manager_review_add", args=[north.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "I reviewed myself"}).status_code == 403
    assert not ManagerReview.objects.exists()
    assert "Record a manager review" not in text(client.get(north.get_absolute_url()))


@pytest.mark.parametrize("who", ["manager_south", "practitioner_south"])
def test_another_teams_staff_get_page_not_found_for_a_review(world, north, client_for, who):
    client = client_for(world.users[who])
    url = reverse("enquiries:manager_review_add", args=[north.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "Not my team"}).status_code == 404
    assert not ManagerReview.objects.exists()


def test_unit_staff_see_but_cannot_review(world, north, client_for):
    client = client_for(world.users["unit"])
    assert client.get(north.get_absolute_url()).status_code == 200
    assert (
        client.post(reverse("enquiries:manager_review_add", args=[north.pk]), {"note": "x"}).status_code
        == 404
    )


# Moving the next contact ------------------------------------------------------------------------------------


def _move(client, enquiry, **overrides):
    data = {
        **date_fields("to_date", today() + 5 * DAY),
        "how": "",
        "reason": "She asked to wait until her daughter is back",
        "person_agreed": "on",
        "version": str(enquiry.version),
        **overrides,
    }
    return client.post(reverse("enquiries:next_contact_change", args=[enquiry.pk]), data)


def test_moving_the_next_contact_needs_the_persons_agreement(world, north, client_for):
    Enquiry.objects.filter(pk=north.pk).update(next_contact_on=today() + DAY)
    north.refresh_from_db()
    client = client_for(world.users["practitioner_north"])
    # The tick box left unticked: a checkbox that is not ticked is simply absent from the post.
    response = client.post(
        reverse("enquiries:next_contact_change", args=[north.pk]),
        {
            **date_fields("to_date", today() + 5 * DAY),
            "reason": "Her choice",
            "version": str(north.version),
        },
    )
    assert response.status_code == 200
    assert "Confirm that the person agreed to the new date" in text(response)
    assert 'class="govuk-error-summary' in text(response)
    north.refresh_from_db()
    assert north.next_contact_on == today() + DAY
    assert not AgreedDateChange.objects.exists()


def test_moving_the_next_contact_with_agreement_is_kept_and_shown(world, north, client_for):
    Enquiry.objects.filter(pk=north.pk).update(next_contact_on=today() + DAY)
    north.refresh_from_db()
    client = client_for(world.users["practitioner_north"])
    assert client.get(reverse("enquiries:next_contact_change", args=[north.pk])).status_code == 200
    assert _move(client, north).status_code == 302
    north.refresh_from_db()
    assert north.next_contact_on == today() + 5 * DAY
    change = AgreedDateChange.objects.get()
    assert (change.what, change.from_date, change.to_date, change.person_agreed) == (
        "next_contact",
        today() + DAY,
        today() + 5 * DAY,
        True,
    )
    page = text(client.get(north.get_absolute_url()))
    moves = page.split('id="date-moves"')[1]
    assert f"{today() + DAY:%-d %b %Y}" in moves and f"{today() + 5 * DAY:%-d %b %Y}" in moves
    assert "She asked to wait until her daughter is back" in moves
    assert escape(world.users["practitioner_north"].full_name) in moves


def test_moving_the_next_contact_needs_why_and_a_date_not_in_the_past(world, north, client_for):
    client = client_for(world.users["practitioner_north"])
    response = _move(client, north, reason="", **date_fields("to_date", today() - DAY))
    assert "Enter why the date moved" in text(response)
    assert "The new date of the next contact must be today or in the future" in text(response)
    assert not AgreedDateChange.objects.exists()


def test_a_move_from_a_stale_page_is_refused(world, north, client_for):
    client = client_for(world.users["practitioner_north"])
    stale = north.version
    Enquiry.objects.filter(pk=north.pk).update(version=stale + 1)
    response = _move(client, north, version=str(stale))
    assert response.status_code == 409
    assert "Someone else changed this record" in text(response)
    assert not AgreedDateChange.objects.exists()


def test_another_teams_practitioner_cannot_move_the_date(world, north, client_for):
    client = client_for(world.users["practitioner_south"])
    assert client.get(reverse("enquiries:next_contact_change", args=[north.pk])).status_code == 404
    assert _move(client, north).status_code == 404
    assert not AgreedDateChange.objects.exists()


# Moving a plan action's date --------------------------------------------------------------------------------


def _plan_post(action, due_on, **extra) -> dict:
    return {
        "what": action.what,
        "who": action.who,
        **date_fields("due_on", due_on),
        "agreed_with_person": "yes" if action.agreed_with_person else "no",
        "status": action.status,
        "version": str(action.version),
        **extra,
    }


def test_a_plan_action_date_moved_needs_why_and_the_persons_agreement(world, north, client_for):
    action = PlanActionFactory(enquiry=north, agreed_with_person=True)
    client = client_for(world.users["practitioner_north"])
    url = reverse("enquiries:plan_action_edit", args=[action.pk])
    later = action.due_on + 7 * DAY
    response = client.post(url, _plan_post(action, later))
    assert response.status_code == 200
    assert "Enter why the date moved" in text(response)
    assert "Confirm that the person agreed to the new date" in text(response)
    action.refresh_from_db()
    assert action.due_on != later

    response = client.post(
        url, _plan_post(action, later, date_change_reason="The appointment moved", person_agreed="on")
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_on == later
    change = AgreedDateChange.objects.get()
    assert (change.what, change.plan_action, change.to_date, change.reason) == (
        "plan_action",
        action,
        later,
        "The appointment moved",
    )
    page = text(client.get(north.get_absolute_url()))
    assert "Plan action: Arrange a carers assessment" in page.split('id="date-moves"')[1]


def test_an_action_not_agreed_with_the_person_needs_only_why(world, north, client_for):
    action = PlanActionFactory(enquiry=north, agreed_with_person=False)
    client = client_for(world.users["practitioner_north"])
    response = client.post(
        reverse("enquiries:plan_action_edit", args=[action.pk]),
        _plan_post(action, action.due_on + DAY, date_change_reason="Waiting for the GP"),
    )
    assert response.status_code == 302
    assert AgreedDateChange.objects.get().person_agreed is False


def test_editing_an_action_without_changing_its_date_needs_no_reason(world, north, client_for):
    action = PlanActionFactory(enquiry=north)
    response = client_for(world.users["practitioner_north"]).post(
        reverse("enquiries:plan_action_edit", args=[action.pk]),
        _plan_post(action, action.due_on, status="in_progress"),
    )
    assert response.status_code == 302
    assert not AgreedDateChange.objects.exists()


# The drift panel --------------------------------------------------------------------------------------------


def test_the_panel_shows_open_reminders_and_whether_they_escalated(world, north, client_for):
    now = timezone.now()
    Reminder.objects.create(
        rule=DriftRule.NEXT_CONTACT, object_id=north.pk, due_on=today() - 5 * DAY, enquiry=north,
        team=north.team, recipient=world.users["practitioner_north"], created_at=now - 3 * DAY,
        escalated_at=now,
    )  # fmt: skip
    Reminder.objects.create(
        rule=DriftRule.MANAGER_REVIEW, object_id=north.pk, due_on=today() - 40 * DAY, enquiry=north,
        team=north.team, created_at=now, status=Reminder.Status.RESOLVED,
    )  # fmt: skip
    page = text(client_for(world.users["practitioner_north"]).get(north.get_absolute_url()))
    panel = page.split('id="drift"')[1].split('id="manager-reviews"')[0]
    assert "Agreed next contact with the person has passed" in panel
    assert f"{today() - 5 * DAY:%-d %b %Y}" in panel
    assert "Escalated" in panel
    assert "No manager review" not in panel  # resolved: not shown
    assert 'href="' + reverse("enquiries:next_contact_change", args=[north.pk]) + '"' in page


def test_the_panel_offers_no_changes_to_unit_staff(world, north, client_for):
    page = text(client_for(world.users["unit"]).get(north.get_absolute_url()))
    assert reverse("enquiries:next_contact_change", args=[north.pk]) not in page
    assert reverse("enquiries:manager_review_add", args=[north.pk]) not in page
    assert "No open reminders." in page
