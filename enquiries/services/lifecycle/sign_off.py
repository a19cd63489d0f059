"""Closing an enquiry: the proposal (through the closure gate) and the manager's sign-off, which approves it
(the gate again, on the locked row, and what the manager records) or returns it with comments."""

from django.db import transaction
from django.utils import timezone

from msp_cases.core.actor import Actor
from msp_cases.core.events import ENQUIRY_CONCLUDED, RecordEvent, record_event
from msp_cases.core.text import has_visible_text

from ...models import Enquiry, EnquiryEvent
from ..case_notifications import closure_returned_notify
from ..completeness import ClosureProblem
from .closure import enquiry_close_problems, enquiry_sign_off_problems
from .rules import PROPOSE_CLOSURE, SIGN_OFF, TransitionRefused, closure_proposer_id
from .transitions import lock_for_transition, save_transition

S = Enquiry.Status


def _messages(problems: list[ClosureProblem]) -> str:
    return "; ".join(problem.message for problem in problems)


@transaction.atomic
def enquiry_propose_closure(
    *, actor: Actor, enquiry: Enquiry, comment: str = "", expected_version: int | None = None
) -> Enquiry:
    """In progress → proposed for closure, once everything enquiry_close_problems asks for is recorded."""
    locked = lock_for_transition(
        actor=actor, enquiry=enquiry, name=PROPOSE_CLOSURE, expected_version=expected_version
    )
    problems = enquiry_close_problems(locked)
    if problems:
        raise TransitionRefused("Before proposing closure: " + _messages(problems) + ".")
    now = timezone.now()
    locked.status = S.PROPOSED_FOR_CLOSURE
    locked.proposed_for_closure_at = now
    return save_transition(
        actor=actor,
        enquiry=locked,
        kind=EnquiryEvent.Kind.PROPOSED,
        from_status=S.IN_PROGRESS,
        now=now,
        comment=comment.strip(),
        detail="Enquiry proposed for closure",
    )


@transaction.atomic
def enquiry_sign_off(
    *,
    actor: Actor,
    enquiry: Enquiry,
    approve: bool,
    comments: str = "",
    expected_version: int | None = None,
) -> Enquiry:
    """A manager in the team, neither the lead practitioner nor whoever proposed the closure, approves it
    (→ closed) or returns it with comments (→ in progress). Approval re-checks the closure gate and needs
    what `enquiry_sign_off_problems` asks of the manager: the organisation's perspective."""
    locked = lock_for_transition(
        actor=actor, enquiry=enquiry, name=SIGN_OFF, expected_version=expected_version
    )
    now = timezone.now()
    proposer_id = None if approve else closure_proposer_id(locked)
    if approve:
        problems = enquiry_close_problems(locked) + enquiry_sign_off_problems(locked)
        if problems:
            raise TransitionRefused("The closure cannot be approved: " + _messages(problems) + ".")
        locked.status = S.CLOSED
        locked.closed_at = now
        kind, detail = EnquiryEvent.Kind.CLOSED, "Enquiry closure signed off"
    else:
        if not has_visible_text(comments):
            raise TransitionRefused("Enter comments explaining why the closure is being returned.")
        locked.status = S.IN_PROGRESS
        locked.proposed_for_closure_at = None
        kind, detail = EnquiryEvent.Kind.RETURNED, "Enquiry closure returned"
    signed = save_transition(
        actor=actor,
        enquiry=locked,
        kind=kind,
        from_status=S.PROPOSED_FOR_CLOSURE,
        now=now,
        comment=comments.strip(),
        detail=detail,
    )
    if approve:
        record_event(
            RecordEvent(
                ENQUIRY_CONCLUDED,
                occurred_at=now,
                concern_id=signed.concern_id,
                enquiry_id=signed.pk,
                code=signed.action_result,
            )
        )
    else:
        # Whoever proposed it (and the lead) is told; the comments are shown in the service only.
        returned = EnquiryEvent.objects.filter(enquiry=signed, kind=kind).order_by("-pk").first()
        closure_returned_notify(
            actor_id=actor.user.pk, enquiry=signed, proposer_id=proposer_id, event=returned
        )
    return signed
