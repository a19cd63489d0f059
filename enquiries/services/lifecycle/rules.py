"""Who may take which step on an enquiry now, and the words for "no": `transition_refusal` answers for the
enquiry page's buttons and for the services alike, so a button is never offered that a service would
refuse."""

from dataclasses import dataclass

from msp_cases.accounts import roles

from ...models import Enquiry, EnquiryEvent
from ...refusals import TransitionNotPermitted, TransitionRefused, four_eyes_refusal

S = Enquiry.Status

ALLOCATE = "allocate"
START = "start"
PROPOSE_CLOSURE = "propose_closure"
SIGN_OFF = "sign_off"
REOPEN = "reopen"
TRANSITIONS = (ALLOCATE, START, PROPOSE_CLOSURE, SIGN_OFF, REOPEN)


@dataclass(frozen=True)
class Standing:
    """The user's standing toward one enquiry: what the rules need to know about them there, worked out
    once (a couple of queries) so the enquiry page can ask about every transition without a query each. (Who
    acts and from where, for the record of access, is msp_cases.core.actor.Actor.)"""

    user_id: int
    can_edit: bool  # the shared access rule: in scope, may change cases, not a read-only role
    in_team: bool  # a member of the enquiry's team
    is_lead: bool
    may_allocate: bool  # the manager permission `enquiries.allocate_enquiry`
    may_sign_off: bool  # the manager permission `enquiries.sign_off_closure`
    proposed_closure: bool = False  # made the proposal for closure now waiting for sign-off

    @classmethod
    def of(cls, user, enquiry: Enquiry) -> "Standing":
        can_edit = user.has_perm(roles.EDIT_CASE, enquiry)
        in_team = can_edit and user.teams.filter(pk=enquiry.team_id).exists()
        may_sign_off = user.has_perm(roles.SIGN_OFF)
        return cls(
            user_id=user.pk,
            can_edit=can_edit,
            in_team=in_team,
            is_lead=enquiry.lead_practitioner_id is not None and enquiry.lead_practitioner_id == user.pk,
            may_allocate=user.has_perm(roles.ALLOCATE),
            may_sign_off=may_sign_off,
            # Only asked when it can matter (a manager in the team, a proposal waiting): one query.
            proposed_closure=in_team
            and may_sign_off
            and enquiry.status == S.PROPOSED_FOR_CLOSURE
            and closure_proposer_id(enquiry) == user.pk,
        )

    @property
    def is_team_manager(self) -> bool:
        return self.in_team and (self.may_allocate or self.may_sign_off)


def closure_proposer_id(enquiry: Enquiry) -> int | None:
    """Who made the proposal for closure now waiting for sign-off: the latest "proposed" event. Events are
    only appended, each in the same transaction as the stage change and under the enquiry's row lock, so the
    highest id is the latest proposal whatever the clocks said. A list that read it in its own query sets
    `closure_proposed_by_id` on the enquiry (enquiries.selectors.dashboard.sign_off_queue)."""
    if hasattr(enquiry, "closure_proposed_by_id"):
        return enquiry.closure_proposed_by_id
    return (
        EnquiryEvent.objects.filter(enquiry_id=enquiry.pk, kind=EnquiryEvent.Kind.PROPOSED)
        .order_by("-pk")
        .values_list("by_id", flat=True)
        .first()
    )


def transition_refusal(name: str, *, standing: Standing, enquiry: Enquiry) -> TransitionRefused | None:
    """Why the user with this `standing` may not take step `name` on `enquiry` now, or None when they may.
    Role first (so the answer does not depend on the stage for someone who could never do it), then the
    stage."""
    status = enquiry.status
    if not standing.can_edit:
        return TransitionNotPermitted("You cannot change this enquiry.")
    if name == ALLOCATE:
        if not (standing.may_allocate and standing.in_team):
            return TransitionNotPermitted("Only a manager in the enquiry's team can allocate it.")
        if status == S.CLOSED:
            return TransitionRefused("The enquiry is closed. Reopen it before allocating it.")
        return None
    if name == START:
        if not (standing.is_lead or standing.is_team_manager):
            return TransitionNotPermitted(
                "Only the lead practitioner or a manager in the team can start work."
            )
        if status != S.OPEN:
            return TransitionRefused(f"Work can only start on an open enquiry. This one is {_stage(status)}.")
        if enquiry.lead_practitioner_id is None:
            return TransitionRefused("Allocate the enquiry to a lead practitioner before starting work.")
        return None
    if name == PROPOSE_CLOSURE:
        if not (standing.is_lead or standing.is_team_manager):
            return TransitionNotPermitted(
                "Only the lead practitioner or a manager in the team can propose closure."
            )
        if status != S.IN_PROGRESS:
            return TransitionRefused(
                f"Only an enquiry in progress can be proposed for closure. This one is {_stage(status)}."
            )
        return None
    if name == SIGN_OFF:
        if not (standing.may_sign_off and standing.in_team):
            return TransitionNotPermitted("Only a manager in the enquiry's team can sign off its closure.")
        if status != S.PROPOSED_FOR_CLOSURE:
            return TransitionRefused(
                f"Only an enquiry proposed for closure can be signed off. This one is {_stage(status)}."
            )
        # Sign-off is a second pair of eyes: neither the lead nor whoever proposed the closure approves it.
        return four_eyes_refusal(is_lead=standing.is_lead, proposed_closure=standing.proposed_closure)
    if name == REOPEN:
        if not (standing.may_sign_off and standing.in_team):
            return TransitionNotPermitted("Only a manager in the enquiry's team can reopen it.")
        if status != S.CLOSED:
            return TransitionRefused(f"Only a closed enquiry can be reopened. This one is {_stage(status)}.")
        return None
    raise ValueError(f"Unknown transition {name!r}")


def available_transitions(*, user, enquiry: Enquiry, standing: Standing | None = None) -> list[str]:
    """The steps `user` may take on `enquiry` now, in lifecycle order (for the enquiry page's buttons)."""
    standing = standing or Standing.of(user, enquiry)
    return [
        name for name in TRANSITIONS if transition_refusal(name, standing=standing, enquiry=enquiry) is None
    ]


def _stage(status: str) -> str:
    return S(status).label.lower()
