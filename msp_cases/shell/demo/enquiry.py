"""Each demo enquiry's casework as its lead practitioner and team manager did it, through the services: the
details, the start of work, two conversations, the plan and a meeting, a manager review, the person's
outcomes and feedback and, for a closing case, the conclusion, the proposal and the sign-off. Each step's
moment is then moved back to when it happened in the case's story (backdate.py)."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry, EnquiryEvent
from enquiries.services.conversations import (
    conversation_earliest,
    conversation_record,
    conversation_rule_errors,
)
from enquiries.services.lifecycle import (
    enquiry_details_update,
    enquiry_propose_closure,
    enquiry_sign_off,
    enquiry_start,
)
from enquiries.services.plans import meeting_add, plan_action_add
from enquiries.services.reviews import manager_review_record
from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor

from .backdate import backdate_conclusion, backdate_next_contact, backdate_review, backdate_transition
from .cases import NO_REVIEW_YET, DemoCase, S
from .outcomes import demo_organisation_perspective, demo_outcomes, demo_outcomes_achieved

Kind = EnquiryEvent.Kind


def demo_casework(case: DemoCase, enquiry: Enquiry, worker: User, manager: User, now: datetime) -> None:
    lead, team_manager = Actor.of(worker), Actor.of(manager)
    opened = enquiry.opened_at
    _details(case, enquiry, lead, now)
    if case.status == S.OPEN:
        return
    enquiry = enquiry_start(actor=lead, enquiry=enquiry)
    backdate_transition(enquiry, Kind.STARTED, opened + timedelta(days=1))
    first = _conversations(case, enquiry, lead, now)
    closing = case.status in (S.PROPOSED_FOR_CLOSURE, S.CLOSED)
    _plan_and_meeting(case, enquiry, lead, closing, now)
    outcomes = demo_outcomes(case, enquiry, lead, first.occurred_at.date())
    if case.key not in NO_REVIEW_YET:
        review = manager_review_record(
            actor=team_manager,
            enquiry=enquiry,
            note="Talked the case through in supervision. The plan follows what the person asked for; "
            "check the advocate can come to the next visit.",
        )
        backdate_review(review, min(opened + timedelta(days=3), now - timedelta(hours=4)))
    if not closing:
        return
    demo_outcomes_achieved(case, enquiry, outcomes, lead, team_manager, now)
    _conclude(case, enquiry, lead, now)
    enquiry = enquiry_propose_closure(actor=lead, enquiry=enquiry)
    backdate_transition(enquiry, Kind.PROPOSED, now - timedelta(days=8))
    if case.status == S.CLOSED:
        # Four eyes: the team manager, who neither leads the enquiry nor proposed its closure, signs it off.
        demo_organisation_perspective(enquiry, team_manager)
        enquiry = enquiry_sign_off(actor=team_manager, enquiry=enquiry, approve=True)
        backdate_transition(enquiry, Kind.CLOSED, now - timedelta(days=5))


def _details(case: DemoCase, enquiry: Enquiry, lead: Actor, now: datetime) -> None:
    """Capacity and advocacy, assessed the day after opening; once work starts, the person was asked about
    their desired outcomes that day too."""
    next_day = min(enquiry.opened_at + timedelta(days=1), now).date()
    changes = {
        "lacks_capacity": "yes" if case.key == "DEMO-009" else "no",
        "capacity_decision": "Whether to take part in the enquiry",
        "capacity_assessed_on": next_day,
        "capacity_assessed_by": lead.user.full_name,
        "substantial_difficulty": "yes" if case.key == "DEMO-009" else "no",
        "capacity_support": "family" if case.key == "DEMO-009" else "",
    }
    if case.status != S.OPEN:
        changes |= {"outcomes_asked": "asked_expressed", "outcomes_asked_on": next_day}
    enquiry.refresh_from_db()
    enquiry_details_update(
        actor=lead,
        enquiry=enquiry,
        expected_version=enquiry.version,
        changes=changes,
        detail="Enquiry details",
    )


def _conversations(case: DemoCase, enquiry: Enquiry, lead: Actor, now: datetime) -> ConversationLog:
    """Two conversations with the person: what matters to them, then the plan agreed with them. Returns the
    first."""
    first_at = enquiry.opened_at + timedelta(days=1, hours=2)
    first = _converse(
        lead,
        enquiry,
        occurred_at=first_at,
        with_person=True,
        with_advocate=True,
        method="face_to_face",
        location="At home",
        what_matters=case.matters,
        wants_to_happen=case.wants,
        risks_discussed="What could happen if nothing changes.",
        persons_view_of_risks="They understand the risks and want to go at their own pace.",
        options_discussed="Talking to the police; support from the bank; a family meeting.",
        decisions="To start with the bank and decide about the police later.",
        decision_made_by="person",
        next_contact_on=(first_at + timedelta(days=7)).date(),
        next_contact_how="Visit at home",
        check_involve=True,
        check_choice=True,
        check_control=True,
        check_safety=True,
    )
    # The in-progress North case's next agreed contact has passed, beyond the two days' grace: the drift the
    # reminders catch (`manage.py scan_drift`). Its overdue plan action is another.
    next_contact = (now - timedelta(days=4)) if case.key == "DEMO-005" else (now + timedelta(days=10))
    _converse(
        lead,
        enquiry,
        occurred_at=min(first_at + timedelta(days=7), now - timedelta(hours=3)),
        with_person=True,
        method="phone",
        what_matters=case.matters,
        wants_to_happen=case.wants,
        decisions="Agreed the plan below together.",
        decision_made_by="jointly",
        next_contact_on=next_contact.date(),
        next_contact_how="Phone call",
        check_involve=True,
        check_choice=True,
        check_control=True,
        check_wellbeing=True,
    )
    return first


def _converse(lead: Actor, enquiry: Enquiry, **fields) -> ConversationLog:
    """A conversation held in the past, checked against the rules as they stood when it happened (the next
    contact agreed then may be past now), recorded by the service, and its agreed date put back."""
    problems = conversation_rule_errors(
        values=fields, earliest=conversation_earliest(enquiry=enquiry), now=fields["occurred_at"]
    )
    if problems:
        raise ValidationError(problems)
    agreed, today = fields["next_contact_on"], timezone.localdate()
    log = conversation_record(
        actor=lead, enquiry=enquiry, fields={**fields, "next_contact_on": max(agreed, today)}
    )
    if agreed < today:
        backdate_next_contact(log, agreed)
    return log


def _plan_and_meeting(case: DemoCase, enquiry: Enquiry, lead: Actor, closing: bool, now: datetime) -> None:
    worker = lead.user
    plan_action_add(
        actor=lead,
        enquiry=enquiry,
        what="Do what they asked for first, at the pace they choose",
        who=worker.full_name,
        due_on=(now + timedelta(days=5)).date(),
        agreed_with_person=True,
        status="done" if closing else "in_progress",
    )
    plan_action_add(
        actor=lead,
        enquiry=enquiry,
        what="Check with them whether they feel safer, and what else would help",
        who="Duty worker",
        due_on=(now - timedelta(days=3)).date(),  # overdue while the case is open: a drift reminder
        agreed_with_person=True,
        status="done" if closing else "not_started",
    )
    meeting_add(
        actor=lead,
        enquiry=enquiry,
        kind="planning",
        held_on=(enquiry.opened_at + timedelta(days=3)).date(),
        attendees=f"{worker.full_name}; Sam Patel (advocate); the person",
        participation="met_chair",
        persons_views="Read out from their statement: " + (case.wants or "they want to stay in control."),
    )


def _conclude(case: DemoCase, enquiry: Enquiry, lead: Actor, now: datetime) -> None:
    """The action and result, the risk outcome and the letter to the person, the day before the proposal."""
    letter = f"Dear {case.preferred or case.given}, this letter sums up what we did together."
    enquiry.refresh_from_db()
    enquiry_details_update(
        actor=lead,
        enquiry=enquiry,
        expected_version=enquiry.version,
        changes={"action_result": "risk_action", "risk_outcome": "reduced", "closure_summary": letter},
        detail="Enquiry closure details",
    )
    backdate_conclusion(enquiry, now - timedelta(days=9))
