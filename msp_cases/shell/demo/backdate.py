"""Moving what the services stamped "now" back to when it happened in the demo's story.

The demo's history spans months, but every service records the present moment (`timezone.now()`): the
decision, the opening, each stage change, a review, an achievement, a manager's agreement. The seeder calls
the services, so every rule and derived field is theirs, and then moves those moments back here: dates are
the only thing it sets by hand. Each helper is one `QuerySet.update` of the timestamps one service call
set, moved together so they still agree with each other (an enquiry's `last_reviewed_at` is the moment it
opened, or its latest review, exactly as the services keep it). The housekeeping timestamps Django sets
itself (`created_at`, `recorded_at`) and the record of access keep the real time of the run."""

from datetime import date, datetime

from enquiries.models import ConversationLog, Enquiry, EnquiryEvent, ManagerReview, SafeguardingConcern
from enquiries.services.conversations import enquiry_next_contact_sync
from feedback.models import ExperienceFeedbackPart2
from outcomes.models import DesiredOutcome


def backdate_decision(concern: SafeguardingConcern, when: datetime) -> None:
    """`concern_decide` records the decision as made now."""
    SafeguardingConcern.objects.filter(pk=concern.pk).update(decided_at=when)
    concern.decided_at = when


def backdate_opening(enquiry: Enquiry, when: datetime) -> None:
    """`enquiry_open` stamps the opening, its event and `last_reviewed_at` (no review yet: the "no manager
    review" rule counts from the opening) with the same moment."""
    Enquiry.objects.filter(pk=enquiry.pk).update(opened_at=when, last_reviewed_at=when)
    EnquiryEvent.objects.filter(enquiry=enquiry, kind=EnquiryEvent.Kind.OPENED).update(occurred_at=when)
    enquiry.opened_at = enquiry.last_reviewed_at = when


# The stage timestamp each transition sets on the enquiry with its event, if any.
_STAGE_TIMESTAMP = {
    EnquiryEvent.Kind.STARTED: None,
    EnquiryEvent.Kind.PROPOSED: "proposed_for_closure_at",
    EnquiryEvent.Kind.CLOSED: "closed_at",
}


def backdate_transition(enquiry: Enquiry, kind: str, when: datetime) -> None:
    """A transition service writes its event and the stage's timestamp with the same moment."""
    EnquiryEvent.objects.filter(enquiry=enquiry, kind=kind).update(occurred_at=when)
    field = _STAGE_TIMESTAMP[kind]
    if field:
        Enquiry.objects.filter(pk=enquiry.pk).update(**{field: when})
        setattr(enquiry, field, when)


def backdate_review(review: ManagerReview, when: datetime) -> None:
    """`manager_review_record` stamps the review and the enquiry's `last_reviewed_at` together."""
    ManagerReview.objects.filter(pk=review.pk).update(reviewed_at=when)
    Enquiry.objects.filter(pk=review.enquiry_id).update(last_reviewed_at=when)


def backdate_conclusion(enquiry: Enquiry, when: datetime) -> None:
    """`enquiry_details_update` stamps when the action and result were first recorded (the "Part 2
    outstanding at closure" rule counts from it)."""
    Enquiry.objects.filter(pk=enquiry.pk).update(conclusion_recorded_at=when)


def backdate_achievement(outcome: DesiredOutcome, when: datetime) -> None:
    """`outcome_record_achievement` stamps when the person's view was recorded."""
    DesiredOutcome.objects.filter(pk=outcome.pk).update(achievement_recorded_at=when)


def backdate_manager_agreement(part2: ExperienceFeedbackPart2, when: datetime) -> None:
    """`experience_part2_save` stamps when a manager agreed not to approach the person."""
    ExperienceFeedbackPart2.objects.filter(pk=part2.pk).update(manager_agreed_at=when)


def backdate_next_contact(log: ConversationLog, on: date) -> None:
    """A next contact agreed in an old conversation may be past by now, and `conversation_record` only takes
    today or later: the seeder records the earliest date it accepts, then puts back the date agreed at the
    time (the demo checks the conversation against the rules as of when it happened). The enquiry's next
    contact then follows its latest conversation again, by the service's own function."""
    ConversationLog.objects.filter(pk=log.pk).update(next_contact_on=on)
    log.next_contact_on = on
    if log.enquiry_id:
        enquiry_next_contact_sync(enquiry=log.enquiry)
