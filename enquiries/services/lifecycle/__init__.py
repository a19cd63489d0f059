"""Enquiry stages as explicit transitions. Each is a service that checks its conditions, moves the stage,
and writes an EnquiryEvent; nothing else sets `Enquiry.status`.

    open ──start──▶ in progress ──propose──▶ proposed for closure ──sign off (approve)──▶ closed
                         ▲                          │                                      │
                         └──── sign off (return) ───┘◀──────────────── reopen ─────────────┘

Allocation (and re-allocation) is not a stage change but is recorded the same way.

Every transition locks the enquiry row (`select_for_update`) and re-checks its conditions on the locked
row, so two people pressing "Sign off" at once cannot both succeed: the second finds the enquiry already
closed and is refused. A transition also bumps the version, so an edit form loaded before the stage
changed is refused rather than saved over it.

Who may do what is answered by `transition_refusal`, which the enquiry page also uses to decide which
buttons to show, so a button is never offered that the service would refuse for the user's role.

    rules.py        who may do what now (Standing, transition_refusal)
    closure.py      the closure gate (enquiry_close_problems, enquiry_sign_off_problems)
    transitions.py  open, allocate, start, reopen; the row lock and event they share; details edits
    sign_off.py     propose closure, sign off (approve or return)
The refusals and the four-eyes rule are in enquiries/refusals.py, below the selectors that show them too.
Callers import from enquiries.services.lifecycle."""

from ...refusals import SignOffByAnotherManager, TransitionNotPermitted, TransitionRefused, four_eyes_refusal
from ..records import EnquiryClosed, ensure_enquiry_not_closed  # the refusal every write shares
from .closure import enquiry_close_problems, enquiry_sign_off_problems
from .rules import (
    ALLOCATE,
    PROPOSE_CLOSURE,
    REOPEN,
    SIGN_OFF,
    START,
    TRANSITIONS,
    Standing,
    available_transitions,
    closure_proposer_id,
    transition_refusal,
)
from .sign_off import enquiry_propose_closure, enquiry_sign_off
from .transitions import enquiry_allocate, enquiry_details_update, enquiry_open, enquiry_reopen, enquiry_start

__all__ = [
    "ALLOCATE",
    "PROPOSE_CLOSURE",
    "REOPEN",
    "SIGN_OFF",
    "START",
    "TRANSITIONS",
    "EnquiryClosed",
    "SignOffByAnotherManager",
    "Standing",
    "TransitionNotPermitted",
    "TransitionRefused",
    "available_transitions",
    "closure_proposer_id",
    "enquiry_allocate",
    "enquiry_close_problems",
    "enquiry_details_update",
    "enquiry_open",
    "enquiry_propose_closure",
    "enquiry_reopen",
    "enquiry_sign_off",
    "enquiry_sign_off_problems",
    "enquiry_start",
    "ensure_enquiry_not_closed",
    "four_eyes_refusal",
    "transition_refusal",
]
