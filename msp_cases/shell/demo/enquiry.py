"""Each demo enquiry: its stage and timeline, conversations, plan and meeting, and the anti-drift fields."""

from datetime import timedelta

from enquiries.models import (
    ConversationLog,
    Enquiry,
    EnquiryEvent,
    ManagerReview,
    Meeting,
    PlanAction,
)
from msp_cases.accounts.models import User

from .cases import NO_REVIEW_YET, DemoCase, S
from .outcomes import demo_outcomes_and_experience


def demo_enquiry(case, person, concern, worker, manager, now) -> Enquiry:
    opened = concern.decided_at + timedelta(minutes=1)  # the decision comes first on the timeline
    closed = case.status == S.CLOSED
    closing = case.status in (S.PROPOSED_FOR_CLOSURE, S.CLOSED)
    enquiry = Enquiry.objects.create(
        person=person,
        concern=concern,
        enquiry_type=case.enquiry_type,
        team=concern.team,
        lead_practitioner=worker,
        status=case.status,
        opened_at=opened,
        proposed_for_closure_at=now - timedelta(days=8) if closing else None,
        closed_at=now - timedelta(days=5) if closed else None,
        risk_location=case.location,
        risk_source=case.source,
        lacks_capacity="yes" if case.key == "DEMO-009" else "no",
        capacity_decision="Whether to take part in the enquiry",
        capacity_assessed_on=(opened + timedelta(days=1)).date(),
        capacity_assessed_by=worker.full_name,
        substantial_difficulty="yes" if case.key == "DEMO-009" else "no",
        capacity_support="family" if case.key == "DEMO-009" else "",
        outcomes_asked="asked_expressed" if case.status != S.OPEN else "not_recorded",
        outcomes_asked_on=(opened + timedelta(days=1)).date() if case.status != S.OPEN else None,
        action_result="risk_action" if closing else "",
        risk_outcome="reduced" if closing else "",
        closure_summary=f"Dear {case.preferred or case.given}, this letter sums up what we did together."
        if closing
        else "",
    )
    enquiry.risk_types.set(concern.risk_types.all())

    events = [(EnquiryEvent.Kind.OPENED, opened, manager, "", S.OPEN)]
    if case.status != S.OPEN:
        events.append((EnquiryEvent.Kind.STARTED, opened + timedelta(days=1), worker, S.OPEN, S.IN_PROGRESS))
    if closing:
        events.append((EnquiryEvent.Kind.PROPOSED, enquiry.proposed_for_closure_at, worker, S.IN_PROGRESS,
                       S.PROPOSED_FOR_CLOSURE))  # fmt: skip
    if closed:
        events.append(
            (EnquiryEvent.Kind.CLOSED, enquiry.closed_at, manager, S.PROPOSED_FOR_CLOSURE, S.CLOSED)
        )
    for kind, when, by, from_status, to_status in events:
        EnquiryEvent.objects.create(
            enquiry=enquiry, kind=kind, occurred_at=when, by=by, from_status=from_status, to_status=to_status,
            allocated_to=worker if kind == EnquiryEvent.Kind.OPENED else None,
        )  # fmt: skip

    if case.status == S.OPEN:
        return enquiry
    # Two conversations with the person: what matters to them, and then the plan agreed with them.
    first = opened + timedelta(days=1, hours=2)
    ConversationLog.objects.create(
        person=person, enquiry=enquiry, occurred_at=first, recorded_by=worker, with_person=True,
        with_advocate=True, method="face_to_face", location="At home", what_matters=case.matters,
        wants_to_happen=case.wants, risks_discussed="What could happen if nothing changes.",
        persons_view_of_risks="They understand the risks and want to go at their own pace.",
        options_discussed="Talking to the police; support from the bank; a family meeting.",
        decisions="To start with the bank and decide about the police later.", decision_made_by="person",
        next_contact_on=(first + timedelta(days=7)).date(), next_contact_how="Visit at home",
        check_involve=True, check_choice=True, check_control=True, check_safety=True,
    )  # fmt: skip
    second = min(first + timedelta(days=7), now - timedelta(hours=3))
    # The in-progress North case's next agreed contact has passed, beyond the two days' grace: the drift the
    # reminders catch (`manage.py scan_drift`). Its overdue plan action below is another.
    next_contact = (now - timedelta(days=4)) if case.key == "DEMO-005" else (now + timedelta(days=10))
    ConversationLog.objects.create(
        person=person, enquiry=enquiry, occurred_at=second, recorded_by=worker, with_person=True,
        method="phone", what_matters=case.matters, wants_to_happen=case.wants,
        decisions="Agreed the plan below together.", decision_made_by="jointly",
        next_contact_on=next_contact.date(), next_contact_how="Phone call",
        check_involve=True, check_choice=True, check_control=True, check_wellbeing=True,
    )  # fmt: skip
    PlanAction.objects.create(
        enquiry=enquiry, what="Do what they asked for first, at the pace they choose", who=worker.full_name,
        due_on=(now + timedelta(days=5)).date(), agreed_with_person=True,
        status="done" if closing else "in_progress", created_by=worker,
    )  # fmt: skip
    PlanAction.objects.create(
        enquiry=enquiry, what="Check with them whether they feel safer, and what else would help",
        who="Duty worker",
        due_on=(now - timedelta(days=3)).date(), agreed_with_person=True,
        status="done" if closing else "not_started", created_by=worker,
    )  # fmt: skip
    Meeting.objects.create(
        enquiry=enquiry, kind="planning", held_on=(opened + timedelta(days=3)).date(),
        attendees=f"{worker.full_name}; Sam Patel (advocate); the person", participation="met_chair",
        persons_views="Read out from their statement: " + (case.wants or "they want to stay in control."),
        created_by=worker,
    )  # fmt: skip
    demo_outcomes_and_experience(case, enquiry, worker, manager, first.date(), closing, now)
    return enquiry


def demo_drift(case: DemoCase, enquiry: Enquiry, manager: User, now) -> None:
    """The anti-drift fields as the services would have set them: the next contact from the latest
    conversation, a manager review a few days in (not for NO_REVIEW_YET), when the conclusion was recorded."""
    latest = (
        ConversationLog.objects.filter(enquiry=enquiry, amends__isnull=True)
        .order_by("-occurred_at", "-pk")
        .first()
    )
    reviewed_at = enquiry.opened_at
    if case.status != S.OPEN and case.key not in NO_REVIEW_YET:
        reviewed_at = min(enquiry.opened_at + timedelta(days=3), now - timedelta(hours=4))
        ManagerReview.objects.create(
            enquiry=enquiry, reviewed_at=reviewed_at, by=manager,
            note="Talked the case through in supervision. The plan follows what the person asked for; "
            "check the advocate can come to the next visit.",
        )  # fmt: skip
    Enquiry.objects.filter(pk=enquiry.pk).update(
        next_contact_on=latest.next_contact_on if latest else None,
        next_contact_how=latest.next_contact_how if latest else "",
        last_reviewed_at=reviewed_at,
        conclusion_recorded_at=(enquiry.proposed_for_closure_at - timedelta(days=1))
        if enquiry.proposed_for_closure_at
        else None,
    )
