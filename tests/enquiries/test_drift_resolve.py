"""A drift reminder resolves in the same transaction as the action that clears it — a closure signed off, a
conversation with the person, a plan action done, a concern decided, a manager review — so the dashboard and
the notifications are right at once, not after the next scan (which stays the safety net)."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from enquiries.models import Enquiry, SafeguardingConcern
from enquiries.models.choices import PlanActionStatus
from enquiries.models.drift import DriftRule, Reminder
from enquiries.selectors import dashboard
from enquiries.services import drift, lifecycle, plans, reviews
from enquiries.services.concerns import concern_decide
from enquiries.services.conversations import conversation_record
from msp_cases.core.actor import Actor
from msp_cases.notifications.models import Notification

from ..factories import ConcernFactory
from .factories_enquiry import PlanActionFactory, make_ready_for_closure, set_status

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
T0 = datetime.datetime(2027, 1, 13, 10, 0, tzinfo=LONDON)  # a Wednesday morning
D0 = T0.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case(world):
    """North's enquiry, led by North's practitioner; every concern decided and every enquiry reviewed, so
    only what a test sets up drifts."""
    SafeguardingConcern.objects.update(decision=SafeguardingConcern.Decision.SECTION_42, decided_at=T0)
    return world.cases["north"][2]


def open_reminders(rule: str) -> list[Reminder]:
    return list(Reminder.objects.filter(rule=rule, status=Reminder.Status.OPEN))


def test_a_closure_signed_off_leaves_the_dashboard_and_the_managers_notifications_at_once(
    clock, case, world, client_for
):
    make_ready_for_closure(case)
    set_status(case, Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=T0)
    clock.move_to(T0 + 6 * DAY)
    drift.drift_scan()
    manager = world.users["manager_north"]
    (reminder,) = open_reminders(DriftRule.CLOSURE_SIGN_OFF)
    client = client_for(manager)
    page = client.get(reverse("enquiries:team_dashboard")).content.decode()
    assert re.search(r'data-rule="closure_sign_off">\s*<th[^>]*>[^<]*</th>\s*<td[^>]*>1<', page)

    lifecycle.enquiry_sign_off(actor=Actor.of(manager), enquiry=case, approve=True)

    # No scan in between.
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.RESOLVED
    page = client.get(reverse("enquiries:team_dashboard")).content.decode()
    assert re.search(r'data-rule="closure_sign_off">\s*<th[^>]*>[^<]*</th>\s*<td[^>]*>0<', page)
    assert re.search(r'id="figure-drift">0<', page)
    rows = {r.rule: r.open for r in dashboard.drift_by_rule(user=manager, team_ids=[world.north.pk])}
    assert rows[DriftRule.CLOSURE_SIGN_OFF] == 0
    # The notification is about a resolved reminder: its email, if still waiting, is no longer sent.
    notification = Notification.objects.get(reminder=reminder, user=manager)
    assert notification.reminder.status == Reminder.Status.RESOLVED
    assert drift.drift_scan()["resolved"] == 0  # nothing left for the safety net


def test_a_closure_returned_resolves_the_sign_off_reminder_but_not_what_still_drifts(clock, case, world):
    set_status(case, Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=T0)
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    clock.move_to(T0 + 6 * DAY)
    drift.drift_scan()
    assert len(open_reminders(DriftRule.NEXT_CONTACT)) == 1
    lifecycle.enquiry_sign_off(
        actor=Actor.of(world.users["manager_north"]),
        enquiry=case,
        approve=False,
        comments="Add the person's view.",
    )
    assert open_reminders(DriftRule.CLOSURE_SIGN_OFF) == []
    assert len(open_reminders(DriftRule.NEXT_CONTACT)) == 1  # still no conversation with the person


def test_a_conversation_with_the_person_resolves_next_contact_passed_at_once(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    clock.move_to(T0 + 3 * DAY)
    drift.drift_scan()
    assert len(open_reminders(DriftRule.NEXT_CONTACT)) == 1
    conversation_record(
        actor=Actor.of(world.users["practitioner_north"]),
        enquiry=case,
        fields={
            "occurred_at": T0 + 3 * DAY - datetime.timedelta(hours=1),
            "with_person": True,
            "method": "phone",
            "what_matters": "Being at home.",
            "decision_made_by": "no_decision",
        },
    )
    assert open_reminders(DriftRule.NEXT_CONTACT) == []
    rows = {
        r.rule: r.open
        for r in dashboard.drift_by_rule(user=world.users["manager_north"], team_ids=[world.north.pk])
    }
    assert rows[DriftRule.NEXT_CONTACT] == 0


def test_a_plan_action_done_resolves_at_once_and_a_date_moved_too(clock, case, world):
    done = PlanActionFactory(enquiry=case, due_on=D0)
    moved = PlanActionFactory(enquiry=case, due_on=D0, agreed_with_person=True)
    clock.move_to(T0 + 2 * DAY)
    drift.drift_scan()
    assert len(open_reminders(DriftRule.PLAN_ACTION)) == 2
    practitioner = Actor.of(world.users["practitioner_north"])
    plans.plan_action_update(
        actor=practitioner,
        action=done,
        expected_version=done.version,
        changes={"status": PlanActionStatus.DONE},
    )
    assert [r.object_id for r in open_reminders(DriftRule.PLAN_ACTION)] == [moved.pk]
    plans.plan_action_update(
        actor=practitioner,
        action=moved,
        expected_version=moved.version,
        changes={"due_on": D0 + 7 * DAY},
        date_change_reason="The bank appointment moved",
        person_agreed=True,
    )
    assert open_reminders(DriftRule.PLAN_ACTION) == []


def test_a_manager_review_resolves_no_review_at_once(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(last_reviewed_at=T0)
    clock.move_to(T0 + 29 * DAY)
    drift.drift_scan()
    assert len(open_reminders(DriftRule.MANAGER_REVIEW)) >= 1
    reviews.manager_review_record(
        actor=Actor.of(world.users["manager_north"]), enquiry=case, note="Plan is on track."
    )
    assert [r.object_id for r in open_reminders(DriftRule.MANAGER_REVIEW) if r.object_id == case.pk] == []


def test_a_concern_decided_resolves_waiting_for_a_decision_at_once(clock, case, world):
    concern = ConcernFactory(team=world.north, received_at=T0, allocated_to=world.users["practitioner_north"])
    clock.move_to(T0 + 10 * DAY)
    drift.drift_scan()
    assert [r.object_id for r in open_reminders(DriftRule.CONCERN_DECISION)] == [concern.pk]
    concern_decide(
        actor=Actor.of(world.users["manager_north"]),
        concern=concern,
        expected_version=concern.version,
        decision=SafeguardingConcern.Decision.NO_FURTHER_ACTION,
        criteria_care_needs=True,
        criteria_abuse_or_neglect=False,
        criteria_unable_to_protect=False,
        decision_rationale="No abuse or neglect.",
        no_further_action_response="Signposted to the carers' centre.",
    )
    assert open_reminders(DriftRule.CONCERN_DECISION) == []


def test_resolving_only_touches_the_object_acted_on_and_keeps_what_is_still_due(clock, case, world):
    other = world.cases["south"][2]
    Enquiry.objects.filter(pk__in=[case.pk, other.pk]).update(next_contact_on=D0)
    clock.move_to(T0 + 3 * DAY)
    drift.drift_scan()
    assert drift.drift_resolve_cleared(enquiry=case) == 0  # still due: nothing happened
    assert drift.drift_resolve_cleared(enquiry=other.pk, now=T0 + 3 * DAY) == 0
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=None)
    assert drift.drift_resolve_cleared(enquiry=case) == 1
    assert [r.object_id for r in open_reminders(DriftRule.NEXT_CONTACT)] == [other.pk]


def test_part2_recorded_resolves_part2_outstanding_at_once(clock, case, world):
    from feedback.services import experience_part2_save

    practitioner = world.users["practitioner_north"]
    Enquiry.objects.filter(pk=case.pk).update(conclusion_recorded_at=T0)
    clock.move_to(T0 + 11 * DAY)
    drift.drift_scan()
    assert len(open_reminders(DriftRule.PART2_OUTSTANDING)) == 1
    experience_part2_save(
        actor=Actor.of(practitioner),
        enquiry=case,
        expected_version=None,
        changes={
            "approached": True, "answered_by": "person", "listened": "yes_completely",
            "informed": "yes_partly", "safer": "yes_completely", "concerns_dealt_with": "yes_completely",
            "further_work_needed": False, "completed_on": D0 + 11 * DAY,
        },
    )  # fmt: skip
    assert open_reminders(DriftRule.PART2_OUTSTANDING) == []
