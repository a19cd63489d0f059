"""Writes to desired outcomes, and what the outcomes area needs before an enquiry can close.

SG4a consistency: recording an outcome implies the person (or their representative) was asked, so an enquiry
whose "outcomes asked" says No / Don't Know / Not Recorded is set to "Yes they were asked and outcomes were
expressed" in the same transaction, through `versioned_update` on the freshly locked enquiry (its version is
bumped and the change is in the access record and the enquiry's history). The remaining inconsistencies
("asked and expressed" with no active outcome; "asked, none expressed" with active outcomes) are closure
problems: the practitioner decides which answer is right."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from enquiries.models import ConversationLog, Enquiry
from enquiries.models.choices import OutcomesAsked
from enquiries.services.completeness import ClosureProblem, SacRule
from enquiries.services.lifecycle import TransitionRefused
from enquiries.services.records import ensure_record_writable
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError, versioned_update
from msp_cases.core.text import has_visible_text

from .derived import outcomes_asked_after_outcome
from .models import Achievement, DesiredOutcome, DesiredOutcomeRevision

# Seed 003: examples of outcomes people might want. Offered as prompts, never as a list to pick from.
PROMPTS = [
    "to be and to feel safer",
    "to maintain a key relationship",
    "to get new friends",
    "to have help to recover",
    "to have access to justice or an apology, or to know that disciplinary or other action has been taken",
    "to know that this won't happen to anyone else",
    "to maintain control over the situation",
    "to be involved in making decisions",
    "to have exercised choice",
    "to be able to protect self in the future",
    "to know where to get help",
]

# Seed 003: "not outcomes in the sense that we mean it ... conclusions or service responses".
_SERVICE_RESPONSE = re.compile(
    r"\b(un)?substantiated\b|\bmonitor(ing|ed)?\b|\bmore care\b|\bcare package\b|\bcare plan\b"
    r"|\bsafeguarding plan\b|\bincreased (care|support|visits)\b",
    re.IGNORECASE,
)

WARNING = (
    "This sounds like a conclusion or a service response rather than what the person wants to change. "
    "Outcomes in Making Safeguarding Personal are the person's own words about what they want, such as "
    "\u201cto feel safe at home\u201d."
)

ACHIEVEMENT_STAGES = (Enquiry.Status.IN_PROGRESS, Enquiry.Status.PROPOSED_FOR_CLOSURE)


def looks_like_service_response(words: str) -> bool:
    """A hint only: the words may still be the person's, and the practitioner can say so."""
    return bool(words and _SERVICE_RESPONSE.search(words))


class AchievementNotYet(TransitionRefused):
    def __init__(self):
        super().__init__("Achievement is recorded once work has started and before the enquiry is closed.")


def _check_conversation(enquiry: Enquiry, conversation: ConversationLog | None) -> None:
    if conversation is not None and conversation.enquiry_id != enquiry.pk:
        raise ValidationError({"conversation": "Select a conversation from this enquiry"})


def _sync_outcomes_asked(*, actor: Actor, enquiry: Enquiry, said_on: datetime.date) -> bool:
    """Outcomes imply asking: No / Don't Know / Not Recorded becomes "asked and expressed"."""
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    changes = outcomes_asked_after_outcome(
        outcomes_asked=locked.outcomes_asked, outcomes_asked_on=locked.outcomes_asked_on, said_on=said_on
    )
    if not changes:
        return False
    updated = versioned_update(
        actor=actor,
        instance=locked,
        expected_version=locked.version,
        changes=changes,
        detail="Outcomes asked: set by a desired outcome",
    )
    enquiry.outcomes_asked = updated.outcomes_asked
    enquiry.outcomes_asked_on = updated.outcomes_asked_on
    enquiry.version = updated.version
    return True


@transaction.atomic
def outcome_add(
    *,
    actor: Actor,
    enquiry: Enquiry,
    words: str,
    expressed_by: str,
    expressed_on: datetime.date,
    conversation: ConversationLog | None = None,
    practitioner_note: str = "",
    priority: int | None = None,
    expectations_discussion: str = "",
) -> DesiredOutcome:
    """Record what the person wants, verbatim. Sets the enquiry's SG4a answer when it said they were not
    asked (or nothing was recorded)."""
    ensure_record_writable(enquiry)
    _check_conversation(enquiry, conversation)
    outcome = DesiredOutcome(
        enquiry=enquiry,
        words=words,
        expressed_by=expressed_by,
        expressed_on=expressed_on,
        conversation=conversation,
        practitioner_note=practitioner_note,
        priority=priority,
        expectations_discussion=expectations_discussion,
        created_by=actor.user,
    )
    outcome.full_clean()
    outcome.save()
    access_record(
        actor=actor,
        obj=outcome,
        action=AccessEvent.Action.CREATE,
        person=enquiry.person,
        detail="Desired outcome",
    )
    outcome.outcomes_asked_changed = _sync_outcomes_asked(actor=actor, enquiry=enquiry, said_on=expressed_on)
    return outcome


def _locked(outcome: DesiredOutcome, expected_version: int) -> DesiredOutcome:
    locked = DesiredOutcome.objects.select_for_update().get(pk=outcome.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError(current=locked)
    return locked


@transaction.atomic
def outcome_revise(
    *,
    actor: Actor,
    outcome: DesiredOutcome,
    expected_version: int,
    words: str,
    expressed_by: str,
    expressed_on: datetime.date,
    reason: str = "",
) -> DesiredOutcome:
    """New words for an outcome; the earlier wording, who said it and when are kept as a revision."""
    ensure_record_writable(outcome)
    locked = _locked(outcome, expected_version)
    if not locked.is_active:
        raise TransitionRefused("This outcome was withdrawn, so its words can no longer be changed.")
    revision = DesiredOutcomeRevision(
        outcome=locked,
        previous_words=locked.words,
        previous_expressed_by=locked.expressed_by,
        previous_expressed_on=locked.expressed_on,
        reason=reason,
        revised_by=actor.user,
    )
    revision.full_clean()
    revision.save()
    return versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes={"words": words, "expressed_by": expressed_by, "expressed_on": expressed_on},
        detail="Desired outcome revised",
    )


@transaction.atomic
def outcome_withdraw(
    *, actor: Actor, outcome: DesiredOutcome, expected_version: int, reason: str
) -> DesiredOutcome:
    """The person no longer wants this: kept on the record, with why and when. Never deleted."""
    ensure_record_writable(outcome)
    locked = _locked(outcome, expected_version)
    if not locked.is_active:
        raise TransitionRefused("This outcome has already been withdrawn.")
    if not has_visible_text(reason):
        raise ValidationError({"withdrawn_reason": "Enter why the outcome is being withdrawn"})
    return versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes={
            "status": DesiredOutcome.Status.WITHDRAWN,
            "withdrawn_reason": reason,
            "withdrawn_on": timezone.localdate(),
        },
        detail="Desired outcome withdrawn",
    )


@transaction.atomic
def outcome_record_achievement(
    *,
    actor: Actor,
    outcome: DesiredOutcome,
    expected_version: int,
    achievement: str,
    person_comment: str = "",
    practitioner_view: str = "",
    practitioner_comment: str = "",
) -> DesiredOutcome:
    """How far the outcome was achieved as the person sees it (SG4a), and the practitioner's view where it
    differs (then their comment is required: DesiredOutcome.clean)."""
    ensure_record_writable(outcome)
    if outcome.enquiry.status not in ACHIEVEMENT_STAGES:
        raise AchievementNotYet()
    locked = _locked(outcome, expected_version)
    if not locked.is_active:
        raise TransitionRefused("This outcome was withdrawn, so there is no achievement to record.")
    return versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes={
            "achievement": achievement,
            "person_comment": person_comment,
            "practitioner_view": practitioner_view,
            "practitioner_comment": practitioner_comment,
            "achievement_recorded_by": actor.user,
            "achievement_recorded_at": timezone.now(),
        },
        detail="Desired outcome achievement recorded",
    )


def _active(enquiry: Enquiry) -> list[DesiredOutcome]:
    return [o for o in enquiry.desired_outcomes.all() if o.is_active]


def asked_consistency_problems(enquiry: Enquiry, active: list | None = None) -> list[ClosureProblem]:
    """A closure check (registered in OutcomesConfig.ready): the answer to "asked about their desired
    outcomes" says none were expressed, or that they were not asked, while outcomes are recorded."""
    active = _active(enquiry) if active is None else active
    asked = enquiry.outcomes_asked
    if asked == OutcomesAsked.ASKED_NONE and active:
        return [
            ClosureProblem(
                "Change the answer to whether the person was asked about their desired outcomes: it says "
                f"none were expressed, but {len(active)} {'is' if len(active) == 1 else 'are'} recorded",
                url=reverse("enquiries:enquiry_edit_details", args=[enquiry.pk]),
            )
        ]
    if asked in (OutcomesAsked.NO, OutcomesAsked.DONT_KNOW) and active:
        return [
            ClosureProblem(
                "Change the answer to whether the person was asked about their desired outcomes: desired "
                "outcomes are recorded, so they were asked",
                url=reverse("enquiries:enquiry_edit_details", args=[enquiry.pk]),
            )
        ]
    return []


def achievement_problems(enquiry: Enquiry, active: list | None = None) -> list[ClosureProblem]:
    """The gate's messages for the SG4a achievement rule (`ACHIEVEMENT_RULE`): outcomes expressed but none
    recorded, and each active outcome without the person's view of how far it was achieved. Whenever the
    rule fails one of these applies (no active outcome, or every active one unanswered)."""
    active = _active(enquiry) if active is None else active
    problems: list[ClosureProblem] = []
    if enquiry.outcomes_asked == OutcomesAsked.ASKED_EXPRESSED and not active:
        problems.append(
            ClosureProblem(
                "Record the person\u2019s desired outcomes in their own words, or change the answer to "
                "whether they were asked: it says outcomes were expressed",
                url=reverse("outcomes:outcome_add", args=[enquiry.pk]),
            )
        )
    for outcome in active:
        if not outcome.achievement:
            words = Truncator(outcome.words).chars(60)
            problems.append(
                ClosureProblem(
                    f"Record how far the person feels this outcome was achieved: \u201c{words}\u201d",
                    url=reverse("outcomes:outcome_achievement", args=[outcome.pk]),
                )
            )
    return problems


def closure_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """Everything the outcomes area still needs before the enquiry can be proposed for closure or signed
    off. One query."""
    active = _active(enquiry)
    return asked_consistency_problems(enquiry, active) + achievement_problems(enquiry, active)


def _no_achievement_q() -> Q:
    answered = DesiredOutcome.objects.filter(
        enquiry_id=OuterRef("pk"), status=DesiredOutcome.Status.ACTIVE, achievement__in=Achievement.values
    )
    return Q(outcomes_asked=OutcomesAsked.ASKED_EXPRESSED) & ~Q(Exists(answered))


# SG4a: of those who expressed outcomes, Fully / Partially / Not Achieved, from the person's answers on their
# active outcomes; with no answer at all the enquiry is "Not recorded"
# (msp_cases.reports.figures.achievement).
ACHIEVEMENT_RULE = SacRule(
    id="sg4a_achievement",
    label="SG4a: achievement not recorded",
    message="Record how far the person feels each of their desired outcomes was achieved",
    fails=lambda e: (
        e.outcomes_asked == OutcomesAsked.ASKED_EXPRESSED
        and not any(o.achievement in Achievement.values for o in _active(e))
    ),
    missing_q=_no_achievement_q,
    details=achievement_problems,
)
