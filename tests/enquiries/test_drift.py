"""The anti-drift scan, rule by rule, with time moved by time_machine: raised after the grace and not before,
escalated to the team's managers, resolved when the condition clears, exactly once, and set-based."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, SafeguardingConcern
from enquiries.models.choices import PlanActionStatus
from enquiries.models.drift import DriftPolicy, DriftRule, Reminder
from enquiries.services import drift, lifecycle, plans, reviews
from enquiries.services.conversations import conversation_record
from msp_cases.core.actor import Actor
from msp_cases.notifications.models import Notification
from tests.factories import EnquiryFactory, PersonFactory
from tests.feedback.factories_feedback import Part2Factory

from .factories_enquiry import PlanActionFactory, set_status

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Wednesday morning; every test starts here (before the `world` is built, so its records are "now" too).
T0 = datetime.datetime(2027, 1, 13, 10, 0, tzinfo=LONDON)
D0 = T0.date()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case(world):
    """North's enquiry, led by North's practitioner; every world concern decided, so only what a test sets up
    is due."""
    SafeguardingConcern.objects.update(decision=SafeguardingConcern.Decision.SECTION_42, decided_at=T0)
    return world.cases["north"][2]


def scan(clock, when: datetime.datetime) -> dict:
    clock.move_to(when)
    return drift.drift_scan()


def reminders(**filters) -> list[Reminder]:
    return list(Reminder.objects.filter(**filters).order_by("pk"))


def notified(kind=Notification.Kind.REMINDER) -> list[tuple[int, str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user_id", "message", "url"))


def set_policy(rule: str, **fields) -> None:
    DriftPolicy.objects.filter(rule=rule).update(**fields)


# 1. The next contact agreed with the person ---------------------------------------------------------------


def test_a_missed_agreed_contact_is_raised_after_the_grace_not_before(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    assert scan(clock, T0 + 2 * DAY)["created"] == 0  # due + 2 days' grace is today: not yet
    assert scan(clock, T0 + 3 * DAY) == {"created": 1, "escalated": 0, "resolved": 0}
    (reminder,) = reminders(rule=DriftRule.NEXT_CONTACT)
    assert (reminder.object_id, reminder.due_on, reminder.recipient) == (
        case.pk,
        D0,
        world.users["practitioner_north"],
    )
    assert notified() == [
        (
            world.users["practitioner_north"].pk,
            "The next contact agreed with the person has passed (due 13 January 2027)",
            f"/enquiries/{case.pk}/#drift",
        )
    ]


def test_a_conversation_since_resolves_it(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    scan(clock, T0 + 3 * DAY)
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
    case.refresh_from_db()
    assert case.next_contact_on is None  # nothing new agreed in that conversation
    # Resolved by the conversation itself, not left for the next scan.
    assert scan(clock, T0 + 3 * DAY + datetime.timedelta(minutes=5))["resolved"] == 0
    (reminder,) = reminders(rule=DriftRule.NEXT_CONTACT)
    assert reminder.status == Reminder.Status.RESOLVED
    assert reminder.resolved_at is not None


def test_a_conversation_agreeing_a_later_date_resolves_it_and_the_new_date_can_drift_too(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    scan(clock, T0 + 3 * DAY)
    conversation_record(
        actor=Actor.of(world.users["practitioner_north"]),
        enquiry=case,
        fields={
            "occurred_at": T0 + 3 * DAY - datetime.timedelta(hours=1),
            "with_person": True,
            "method": "phone",
            "what_matters": "Being at home.",
            "decision_made_by": "no_decision",
            "next_contact_on": D0 + 7 * DAY,
            "next_contact_how": "Phone",
        },
    )
    assert reminders(rule=DriftRule.NEXT_CONTACT, status="open") == []  # at once
    assert scan(clock, T0 + 4 * DAY) == {"created": 0, "escalated": 0, "resolved": 0}
    assert scan(clock, T0 + 10 * DAY)["created"] == 1
    assert [(r.due_on, r.status) for r in reminders(rule=DriftRule.NEXT_CONTACT)] == [
        (D0, Reminder.Status.RESOLVED),
        (D0 + 7 * DAY, Reminder.Status.OPEN),
    ]


def test_moving_the_date_with_the_persons_agreement_resolves_the_old_reminder(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    scan(clock, T0 + 3 * DAY)
    case.refresh_from_db()
    reviews.next_contact_move(
        actor=Actor.of(world.users["practitioner_north"]),
        enquiry=case,
        to_date=D0 + 5 * DAY,
        reason="She is in hospital until Monday",
        person_agreed=True,
        expected_version=case.version,
    )
    assert reminders(rule=DriftRule.NEXT_CONTACT, status="open") == []  # at once
    assert scan(clock, T0 + 3 * DAY + datetime.timedelta(hours=1))["resolved"] == 0
    assert scan(clock, T0 + 8 * DAY)["created"] == 1  # the new date passed too (5 + 2 days' grace)
    assert [r.due_on for r in reminders(rule=DriftRule.NEXT_CONTACT, status="open")] == [D0 + 5 * DAY]


def test_a_closed_enquiry_does_not_drift(clock, case):
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0, status=Enquiry.Status.CLOSED)
    assert scan(clock, T0 + 30 * DAY)["created"] == 0


# Escalation -------------------------------------------------------------------------------------------------


def test_unresolved_after_n_days_it_escalates_to_the_teams_managers_once(clock, case, world):
    set_policy(DriftRule.NEXT_CONTACT, escalate_after_days=5)
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    scan(clock, T0 + 3 * DAY)
    assert scan(clock, T0 + 8 * DAY)["escalated"] == 0  # exactly 5 days: not yet
    assert scan(clock, T0 + 8 * DAY + datetime.timedelta(minutes=1))["escalated"] == 1
    assert notified(Notification.Kind.ESCALATION) == [
        (
            world.users["manager_north"].pk,
            "Escalated: the next contact agreed with the person has passed (due 13 January 2027)",
            f"/enquiries/{case.pk}/#drift",
        )
    ]  # North's manager only: not South's, not the unit
    assert scan(clock, T0 + 12 * DAY)["escalated"] == 0
    assert Notification.objects.filter(kind=Notification.Kind.ESCALATION).count() == 1


def test_a_reminder_already_with_the_managers_does_not_escalate(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(last_reviewed_at=T0)
    scan(clock, T0 + 29 * DAY)
    (reminder,) = reminders(rule=DriftRule.MANAGER_REVIEW)
    assert reminder.recipient is None
    assert scan(clock, T0 + 60 * DAY)["escalated"] == 0
    assert not Notification.objects.filter(kind=Notification.Kind.ESCALATION).exists()


# 2. Plan actions --------------------------------------------------------------------------------------------


def test_a_plan_action_past_its_date_is_raised_the_day_after_and_resolved_when_done(clock, case, world):
    action = PlanActionFactory(enquiry=case, due_on=D0)
    assert scan(clock, T0 + datetime.timedelta(hours=13))["created"] == 0  # still the due day
    assert scan(clock, T0 + DAY)["created"] == 1
    assert notified() == [
        (
            world.users["practitioner_north"].pk,
            "A plan action is past its due date (due 13 January 2027)",
            f"/plan-actions/{action.pk}/edit/",
        )
    ]
    plans.plan_action_update(
        actor=Actor.of(world.users["practitioner_north"]),
        action=action,
        expected_version=action.version,
        changes={"status": PlanActionStatus.DONE},
    )
    assert reminders(rule=DriftRule.PLAN_ACTION, status="open") == []  # at once
    assert scan(clock, T0 + 2 * DAY)["resolved"] == 0


def test_a_plan_action_moved_with_the_person_resolves_and_raises_again_at_the_new_date(clock, case, world):
    action = PlanActionFactory(enquiry=case, due_on=D0, agreed_with_person=True)
    scan(clock, T0 + DAY)
    plans.plan_action_update(
        actor=Actor.of(world.users["practitioner_north"]),
        action=action,
        expected_version=action.version,
        changes={"due_on": D0 + 7 * DAY},
        date_change_reason="The bank appointment moved",
        person_agreed=True,
    )
    assert reminders(rule=DriftRule.PLAN_ACTION, status="open") == []  # at once
    assert scan(clock, T0 + 2 * DAY)["resolved"] == 0
    assert scan(clock, T0 + 8 * DAY)["created"] == 1
    assert [(r.due_on, r.status) for r in reminders(rule=DriftRule.PLAN_ACTION)] == [
        (D0, "resolved"),
        (D0 + 7 * DAY, "open"),
    ]


# 3. Concerns awaiting a decision ----------------------------------------------------------------------------


def test_a_concern_without_a_decision_after_the_timescale(clock, case, world):
    # Received Friday 10:00: two working days later is Tuesday 10:00 (the weekend does not count).
    friday = T0 + 2 * DAY
    concern = case.concern
    SafeguardingConcern.objects.filter(pk=concern.pk).update(
        decision=SafeguardingConcern.Decision.PENDING, decided_at=None, received_at=friday
    )
    assert scan(clock, friday + 4 * DAY - datetime.timedelta(minutes=1))["created"] == 0  # Tuesday 09:59
    assert scan(clock, friday + 4 * DAY + datetime.timedelta(minutes=1))["created"] == 1
    (reminder,) = reminders(rule=DriftRule.CONCERN_DECISION)
    assert (reminder.due_on, reminder.recipient) == (D0 + 6 * DAY, world.users["practitioner_north"])
    assert notified()[0][2] == f"/concerns/{concern.pk}/"
    SafeguardingConcern.objects.filter(pk=concern.pk).update(decision=SafeguardingConcern.Decision.SECTION_42)
    assert scan(clock, friday + 5 * DAY)["resolved"] == 1


def test_an_unallocated_concern_reminds_the_teams_managers(clock, case, world):
    SafeguardingConcern.objects.filter(pk=case.concern_id).update(
        decision=SafeguardingConcern.Decision.PENDING, allocated_to=None, received_at=T0
    )
    scan(clock, T0 + 3 * DAY)
    assert [user for user, _m, _u in notified()] == [world.users["manager_north"].pk]


# 4. Manager reviews -----------------------------------------------------------------------------------------


def test_no_manager_review_for_n_days_reminds_the_managers_until_one_is_recorded(clock, case, world):
    Enquiry.objects.filter(pk=case.pk).update(last_reviewed_at=T0)
    assert scan(clock, T0 + 28 * DAY)["created"] == 0
    assert scan(clock, T0 + 28 * DAY + datetime.timedelta(minutes=1))["created"] == 1
    (reminder,) = reminders(rule=DriftRule.MANAGER_REVIEW)
    assert reminder.due_on == D0 + 28 * DAY
    assert notified() == [
        (
            world.users["manager_north"].pk,
            "An open enquiry needs a manager review (due 10 February 2027)",
            f"/enquiries/{case.pk}/manager-review/",
        )
    ]
    reviews.manager_review_record(
        actor=Actor.of(world.users["manager_north"]), enquiry=case, note="Plan is on track."
    )
    assert reminders(rule=DriftRule.MANAGER_REVIEW, status="open", object_id=case.pk) == []  # at once
    assert scan(clock, T0 + 29 * DAY)["resolved"] == 0


def test_opening_an_enquiry_starts_the_review_clock(clock, world):
    concern = world.cases["north"][1]
    enquiry = lifecycle.enquiry_open(
        actor=Actor.of(world.users["manager_north"]), concern=concern, enquiry_type="section_42"
    )
    assert enquiry.last_reviewed_at == T0


# 5. Closure awaiting sign-off -------------------------------------------------------------------------------


def test_a_closure_not_signed_off_reminds_the_managers(clock, case, world):
    set_status(case, Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=T0)
    assert scan(clock, T0 + 5 * DAY)["created"] == 0
    assert scan(clock, T0 + 5 * DAY + datetime.timedelta(minutes=1))["created"] == 1
    assert notified() == [
        (
            world.users["manager_north"].pk,
            "A closure is waiting to be signed off (due 18 January 2027)",
            f"/enquiries/{case.pk}/sign-off/",
        )
    ]
    set_status(case, Enquiry.Status.CLOSED, closed_at=T0 + 6 * DAY)
    assert scan(clock, T0 + 6 * DAY)["resolved"] == 1


# 6. Part 2 outstanding at closure ---------------------------------------------------------------------------


def test_part2_outstanding_after_the_conclusion_is_recorded(clock, case, world):
    from feedback.models import ExperienceFeedbackPart2

    practitioner = world.users["practitioner_north"]
    lifecycle.enquiry_details_update(
        actor=Actor.of(practitioner),
        enquiry=case,
        expected_version=case.version,
        changes={"action_result": "no_risk_no_action"},
    )
    case.refresh_from_db()
    assert case.conclusion_recorded_at == T0
    assert scan(clock, T0 + 10 * DAY)["created"] == 0
    assert scan(clock, T0 + 10 * DAY + datetime.timedelta(minutes=1))["created"] == 1
    assert notified() == [
        (
            practitioner.pk,
            "Part 2 of My Safeguarding Experience is outstanding (due 23 January 2027)",
            reverse("feedback:part2_edit", args=[case.pk]),
        )
    ]
    # Not approached, but no manager has agreed yet: still outstanding.
    part2 = Part2Factory(
        enquiry=case, approached=False, not_approached_reason="danger", created_by=practitioner
    )
    assert scan(clock, T0 + 11 * DAY)["resolved"] == 0
    ExperienceFeedbackPart2.objects.filter(pk=part2.pk).update(manager_agreed_by=world.users["manager_north"])
    assert scan(clock, T0 + 12 * DAY)["resolved"] == 1


# Policies ---------------------------------------------------------------------------------------------------


def test_a_disabled_rule_raises_nothing_and_resolves_its_open_reminders(clock, case):
    PlanActionFactory(enquiry=case, due_on=D0)
    scan(clock, T0 + DAY)
    set_policy(DriftRule.PLAN_ACTION, enabled=False)
    assert scan(clock, T0 + 2 * DAY) == {"created": 0, "escalated": 0, "resolved": 1}
    PlanActionFactory(enquiry=case, due_on=D0)
    assert scan(clock, T0 + 3 * DAY)["created"] == 0


def test_a_longer_grace_in_the_policy_is_respected(clock, case):
    set_policy(DriftRule.PLAN_ACTION, days=3)
    PlanActionFactory(enquiry=case, due_on=D0)
    assert scan(clock, T0 + 3 * DAY)["created"] == 0
    assert scan(clock, T0 + 4 * DAY)["created"] == 1


# Exactly once -----------------------------------------------------------------------------------------------


def test_scanning_twice_raises_and_notifies_once(clock, case, world):
    PlanActionFactory(enquiry=case, due_on=D0)
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    first = scan(clock, T0 + 3 * DAY)
    second = scan(clock, T0 + 3 * DAY)
    assert (first["created"], second) == (2, {"created": 0, "escalated": 0, "resolved": 0})
    assert Reminder.objects.count() == 2
    assert Notification.objects.count() == 2


def test_two_scans_inserting_the_same_reminders_make_one_and_notify_each_user_once(clock, case, world):
    """What two workers running at once amount to: the insert and the notification steps done twice over.
    The unique constraints, not a check first, keep it to one reminder and one notification per user."""
    set_status(case, Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=T0)
    extra_manager = world.users["manager_north"].__class__.objects.create(email="second.manager@example.org")
    extra_manager.groups.add(*world.users["manager_north"].groups.all())
    extra_manager.teams.add(world.north)
    clock.move_to(T0 + 6 * DAY)
    now = timezone.now()
    policy = DriftPolicy.objects.get(rule=DriftRule.CLOSURE_SIGN_OFF)
    due = drift.rules.due_closure_sign_off(policy, now)
    # Both scans read the keys before either inserted, so both insert: the constraint keeps one.
    drift.raising.insert_due(rule=policy.rule, due=due, now=now)
    drift.raising.insert_due(rule=policy.rule, due=due, now=now)
    assert drift.raising.raise_due(rule=policy.rule, due=due, now=now) == 0  # a third scan: nothing new
    drift.notify.notify_open_reminders()
    drift.notify.notify_open_reminders()
    assert Reminder.objects.count() == 1
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(
        [world.users["manager_north"].pk, extra_manager.pk]
    )


def test_a_second_escalation_pass_finds_nothing_to_escalate(clock, case):
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0)
    scan(clock, T0 + 3 * DAY)
    clock.move_to(T0 + 20 * DAY)
    policies = list(DriftPolicy.objects.all())
    now = timezone.now()
    assert drift.raising.escalate(policies=policies, now=now) == 1
    assert drift.raising.escalate(policies=policies, now=now) == 0


def test_a_reallocated_case_moves_its_open_reminder_to_the_new_lead(clock, case, world):
    PlanActionFactory(enquiry=case, due_on=D0)
    scan(clock, T0 + DAY)
    colleague = world.users["practitioner_north"].__class__.objects.create(email="colleague@example.org")
    colleague.teams.add(world.north)
    Enquiry.objects.filter(pk=case.pk).update(lead_practitioner=colleague)
    scan(clock, T0 + 2 * DAY)
    (reminder,) = reminders(rule=DriftRule.PLAN_ACTION)
    assert reminder.recipient == colleague
    assert {user for user, _m, _u in notified()} == {world.users["practitioner_north"].pk, colleague.pk}


# Set-based --------------------------------------------------------------------------------------------------


def _due_cases(world, count: int) -> None:
    for i in range(count):
        enquiry = EnquiryFactory(
            person=PersonFactory(family_name=f"Drift{i:03d}"),
            team=world.north,
            lead_practitioner=world.users["practitioner_north"],
            next_contact_on=D0 - 10 * DAY,
            last_reviewed_at=T0 - 40 * DAY,
        )
        PlanActionFactory(enquiry=enquiry, due_on=D0 - 5 * DAY)


def _queries_for_a_scan(clock) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        result = scan(clock, T0)
    return len(ctx.captured_queries), result


def test_the_scan_costs_the_same_number_of_queries_for_3_or_30_due_cases(clock, case, world):
    SafeguardingConcern.objects.update(decision=SafeguardingConcern.Decision.SECTION_42)
    _due_cases(world, 3)
    small, result = _queries_for_a_scan(clock)
    assert result["created"] == 9  # 3 cases × (missed contact, overdue action, no review)
    # Arranging only (nothing in the service deletes): start the second count from the same empty state.
    Notification.objects.all().delete()
    Reminder.objects.all().delete()
    _due_cases(world, 27)
    large, result = _queries_for_a_scan(clock)
    assert result["created"] == 90
    assert small == large, (small, large)


# Two scans at once, for real (PostgreSQL: SQLite has one writer at a time) ---------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # a bare flush renumbers content types
def test_two_scans_running_at_once_raise_and_notify_once(clock, case, world):
    import threading

    from django.db import close_old_connections

    for _ in range(5):
        PlanActionFactory(enquiry=case, due_on=D0)
    Enquiry.objects.filter(pk=case.pk).update(next_contact_on=D0, last_reviewed_at=T0 - 40 * DAY)
    clock.move_to(T0 + 9 * DAY)
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            results.append(drift.drift_scan())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Reminder.objects.count() == 7  # 5 actions, the missed contact, the review
    assert sum(r["created"] for r in results) >= 7
    per_user = Notification.objects.values_list("reminder_id", "user_id", "kind")
    assert len(per_user) == len(set(per_user))
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 7
