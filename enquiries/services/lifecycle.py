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
buttons to show, so a button is never offered that the service would refuse for the user's role."""

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.concurrency import ConcurrentEditError
from msp_cases.core.text import has_visible_text

from ..models import Enquiry, EnquiryEvent, SafeguardingConcern
from ..models.choices import ActionResult
from .completeness import (
    BEFORE_APPROVAL,
    BEFORE_PROPOSAL,
    CLOSURE_DETAILS,
    ClosureProblem,
    closure_checks,
    sac_problems,
)
from .drift import drift_resolve_cleared

S = Enquiry.Status

ALLOCATE = "allocate"
START = "start"
PROPOSE_CLOSURE = "propose_closure"
SIGN_OFF = "sign_off"
REOPEN = "reopen"
TRANSITIONS = (ALLOCATE, START, PROPOSE_CLOSURE, SIGN_OFF, REOPEN)


class TransitionRefused(Exception):
    """The enquiry is not in a stage (or a state) where this step can happen. `message` says why, in
    words a practitioner can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionNotPermitted(TransitionRefused):
    """The user's role does not allow this step on this enquiry at all (e.g. a practitioner signing off)."""


@dataclass(frozen=True)
class Actor:
    """What the rules need to know about the user in relation to one enquiry, worked out once (a couple of
    queries) so the enquiry page can ask about every transition without a query each."""

    user_id: int
    can_edit: bool  # the shared access rule: in scope, may change cases, not a read-only role
    in_team: bool  # a member of the enquiry's team
    is_lead: bool
    may_allocate: bool  # the manager permission `enquiries.allocate_enquiry`
    may_sign_off: bool  # the manager permission `enquiries.sign_off_closure`
    proposed_closure: bool = False  # made the proposal for closure now waiting for sign-off

    @classmethod
    def of(cls, user, enquiry: Enquiry) -> "Actor":
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


class SignOffByAnotherManager(TransitionRefused):
    """Four eyes: the manager who approves a closure is neither the lead practitioner nor the person who
    proposed it. `short` is the same answer in the few words a list has room for."""

    def __init__(self, message: str, *, short: str):
        super().__init__(message)
        self.short = short


def four_eyes_refusal(*, is_lead: bool, proposed_closure: bool) -> SignOffByAnotherManager | None:
    """The sign-off rule's second pair of eyes, for the sign-off page, the enquiry page's buttons, the
    service and the sign-off queue alike."""
    if is_lead:
        return SignOffByAnotherManager(
            "You are the lead practitioner for this enquiry, so another manager must sign off its closure.",
            short="You lead this enquiry: another manager signs it off",
        )
    if proposed_closure:
        return SignOffByAnotherManager(
            "Another manager must approve this closure: you proposed it.",
            short="You proposed this closure: another manager must approve it",
        )
    return None


def transition_refusal(name: str, *, actor: Actor, enquiry: Enquiry) -> TransitionRefused | None:
    """Why `actor` may not take step `name` on `enquiry` now, or None when they may. Role first (so the
    answer does not depend on the stage for someone who could never do it), then the stage."""
    status = enquiry.status
    if not actor.can_edit:
        return TransitionNotPermitted("You cannot change this enquiry.")
    if name == ALLOCATE:
        if not (actor.may_allocate and actor.in_team):
            return TransitionNotPermitted("Only a manager in the enquiry's team can allocate it.")
        if status == S.CLOSED:
            return TransitionRefused("The enquiry is closed. Reopen it before allocating it.")
        return None
    if name == START:
        if not (actor.is_lead or actor.is_team_manager):
            return TransitionNotPermitted(
                "Only the lead practitioner or a manager in the team can start work."
            )
        if status != S.OPEN:
            return TransitionRefused(f"Work can only start on an open enquiry. This one is {_stage(status)}.")
        if enquiry.lead_practitioner_id is None:
            return TransitionRefused("Allocate the enquiry to a lead practitioner before starting work.")
        return None
    if name == PROPOSE_CLOSURE:
        if not (actor.is_lead or actor.is_team_manager):
            return TransitionNotPermitted(
                "Only the lead practitioner or a manager in the team can propose closure."
            )
        if status != S.IN_PROGRESS:
            return TransitionRefused(
                f"Only an enquiry in progress can be proposed for closure. This one is {_stage(status)}."
            )
        return None
    if name == SIGN_OFF:
        if not (actor.may_sign_off and actor.in_team):
            return TransitionNotPermitted("Only a manager in the enquiry's team can sign off its closure.")
        if status != S.PROPOSED_FOR_CLOSURE:
            return TransitionRefused(
                f"Only an enquiry proposed for closure can be signed off. This one is {_stage(status)}."
            )
        # Sign-off is a second pair of eyes: neither the lead nor whoever proposed the closure approves it.
        return four_eyes_refusal(is_lead=actor.is_lead, proposed_closure=actor.proposed_closure)
    if name == REOPEN:
        if not (actor.may_sign_off and actor.in_team):
            return TransitionNotPermitted("Only a manager in the enquiry's team can reopen it.")
        if status != S.CLOSED:
            return TransitionRefused(f"Only a closed enquiry can be reopened. This one is {_stage(status)}.")
        return None
    raise ValueError(f"Unknown transition {name!r}")


def available_transitions(*, user, enquiry: Enquiry, actor: Actor | None = None) -> list[str]:
    """The steps `user` may take on `enquiry` now, in lifecycle order (for the enquiry page's buttons)."""
    actor = actor or Actor.of(user, enquiry)
    return [name for name in TRANSITIONS if transition_refusal(name, actor=actor, enquiry=enquiry) is None]


def _registered_problems(enquiry: Enquiry, when: str) -> list[ClosureProblem]:
    """What the closure checks other apps registered from their `AppConfig.ready()` still need (the outcomes
    app: the answer to "asked about their desired outcomes" agrees with the outcomes recorded; the feedback
    app: Part 2 done or why not, and at sign-off the organisation's perspective)."""
    return [problem for check in closure_checks(when) for problem in check.problems(enquiry)]


def enquiry_close_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """What must be recorded before closure can be proposed, and again before it is signed off (on the locked
    row). The single place the closure gate lives.

    First every answer the SAC counts at conclusion (`completeness.sac_rules()`, the same rules that put a
    concluded enquiry on the SAC data-quality list, so a signed-off enquiry is never on it), then what the
    gate asks beyond the SAC: a risk outcome only where it applies, the closure summary to the person, and
    the checks other apps registered."""
    problems = sac_problems(enquiry)
    closure_details = reverse(CLOSURE_DETAILS, args=[enquiry.pk])
    if enquiry.action_result != ActionResult.RISK_ACTION and enquiry.risk_outcome:
        problems.append(
            ClosureProblem(
                "Remove the risk outcome: it is only recorded when risk was identified and action taken",
                url=closure_details,
                field="risk_outcome",
            )
        )
    if not enquiry.closure_summary.strip():
        problems.append(
            ClosureProblem(
                "Write the closure summary to the person", url=closure_details, field="closure_summary"
            )
        )
    problems.extend(_registered_problems(enquiry, BEFORE_PROPOSAL))
    return problems


def enquiry_sign_off_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """What the signing-off manager must still record before the closure can be approved, beyond the closure
    gate the proposal passed (returning it needs none of it): the organisation's perspective, which the
    feedback app registers. The sign-off page lists these; `enquiry_sign_off` refuses an approval while any
    remain, on the locked row."""
    return _registered_problems(enquiry, BEFORE_APPROVAL)


def _messages(problems: list[ClosureProblem]) -> str:
    return "; ".join(problem.message for problem in problems)


def _stage(status: str) -> str:
    return S(status).label.lower()


def _lock(*, request: HttpRequest, enquiry: Enquiry, name: str, expected_version: int | None) -> Enquiry:
    """The enquiry row, locked for this transaction, with the transition's conditions re-checked on it."""
    locked = (
        # Lock only the enquiry's own row: PostgreSQL refuses FOR UPDATE across the outer join that the
        # nullable lead practitioner would bring, and the related rows need no lock.
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("person", "team", "lead_practitioner")
        .get(pk=enquiry.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(current=locked)
    refusal = transition_refusal(name, actor=Actor.of(request.user, locked), enquiry=locked)
    if refusal is not None:
        raise refusal
    return locked


def _save(
    *,
    request: HttpRequest,
    enquiry: Enquiry,
    kind: str,
    from_status: str,
    now,
    comment: str = "",
    allocated_to=None,
    detail: str,
) -> Enquiry:
    enquiry.version += 1
    enquiry.full_clean()
    enquiry.save()
    EnquiryEvent.objects.create(
        enquiry=enquiry,
        kind=kind,
        occurred_at=now,
        by=request.user,
        from_status=from_status,
        to_status=enquiry.status,
        allocated_to=allocated_to,
        comment=comment,
    )
    access_record(request=request, obj=enquiry, action=AccessEvent.Action.CHANGE, detail=detail)
    drift_resolve_cleared(enquiry=enquiry, now=now)
    return enquiry


@transaction.atomic
def enquiry_open(
    *,
    request: HttpRequest,
    concern: SafeguardingConcern,
    enquiry_type: str,
    lead_practitioner=None,
) -> Enquiry:
    """Open the enquiry a decision called for, carrying the concern's risk details across."""
    now = timezone.now()
    enquiry = Enquiry(
        person=concern.person,
        concern=concern,
        enquiry_type=enquiry_type,
        team=concern.team,
        lead_practitioner=lead_practitioner or concern.allocated_to,
        status=Enquiry.Status.OPEN,
        opened_at=now,
        risk_location=concern.risk_location,
        risk_source=concern.risk_source,
        # "No manager review for N days" counts from the opening until the first ManagerReview.
        last_reviewed_at=now,
    )
    # A next contact agreed with the person while the concern was being decided carries over.
    from .conversations import latest_next_contact

    enquiry.next_contact_on, enquiry.next_contact_how = latest_next_contact(concern=concern)
    enquiry.full_clean()
    enquiry.save()
    enquiry.risk_types.set(concern.risk_types.all())
    EnquiryEvent.objects.create(
        enquiry=enquiry,
        kind=EnquiryEvent.Kind.OPENED,
        occurred_at=now,
        by=request.user,
        to_status=Enquiry.Status.OPEN,
        allocated_to=enquiry.lead_practitioner,
    )
    access_record(request=request, obj=enquiry, action=AccessEvent.Action.CREATE, detail="Enquiry opened")
    return enquiry


@transaction.atomic
def enquiry_allocate(
    *,
    request: HttpRequest,
    enquiry: Enquiry,
    lead_practitioner,
    reason: str = "",
    expected_version: int | None = None,
) -> Enquiry:
    """Allocate (or re-allocate) the enquiry to a lead practitioner, who must be an active member of the
    enquiry's team. A re-allocation needs a reason; the event records who it went to, and the previous
    event in the chain records who had it before."""
    locked = _lock(request=request, enquiry=enquiry, name=ALLOCATE, expected_version=expected_version)
    if lead_practitioner is None or not lead_practitioner.is_active:
        raise TransitionRefused("Choose an active member of staff to lead the enquiry.")
    if not lead_practitioner.teams.filter(pk=locked.team_id).exists():
        raise TransitionRefused(f"The lead practitioner must be a member of {locked.team}.")
    if locked.lead_practitioner_id == lead_practitioner.pk:
        raise TransitionRefused(f"{lead_practitioner} is already the lead practitioner.")
    if locked.lead_practitioner_id is not None and not has_visible_text(reason):
        raise TransitionRefused("Enter the reason for re-allocating the enquiry.")
    locked.lead_practitioner = lead_practitioner
    return _save(
        request=request,
        enquiry=locked,
        kind=EnquiryEvent.Kind.ALLOCATED,
        from_status=locked.status,
        now=timezone.now(),
        comment=reason.strip(),
        allocated_to=lead_practitioner,
        detail="Enquiry allocated",
    )


@transaction.atomic
def enquiry_start(*, request: HttpRequest, enquiry: Enquiry, expected_version: int | None = None) -> Enquiry:
    """Open → in progress: the lead practitioner (or a manager) starts work with the person."""
    locked = _lock(request=request, enquiry=enquiry, name=START, expected_version=expected_version)
    locked.status = S.IN_PROGRESS
    return _save(
        request=request,
        enquiry=locked,
        kind=EnquiryEvent.Kind.STARTED,
        from_status=S.OPEN,
        now=timezone.now(),
        detail="Enquiry work started",
    )


@transaction.atomic
def enquiry_propose_closure(
    *, request: HttpRequest, enquiry: Enquiry, comment: str = "", expected_version: int | None = None
) -> Enquiry:
    """In progress → proposed for closure, once everything enquiry_close_problems asks for is recorded."""
    locked = _lock(request=request, enquiry=enquiry, name=PROPOSE_CLOSURE, expected_version=expected_version)
    problems = enquiry_close_problems(locked)
    if problems:
        raise TransitionRefused("Before proposing closure: " + _messages(problems) + ".")
    now = timezone.now()
    locked.status = S.PROPOSED_FOR_CLOSURE
    locked.proposed_for_closure_at = now
    return _save(
        request=request,
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
    request: HttpRequest,
    enquiry: Enquiry,
    approve: bool,
    comments: str = "",
    expected_version: int | None = None,
) -> Enquiry:
    """A manager in the team, neither the lead practitioner nor whoever proposed the closure, approves it
    (→ closed) or returns it with comments (→ in progress). Approval re-checks the closure gate and needs
    what `enquiry_sign_off_problems` asks of the manager: the organisation's perspective."""
    locked = _lock(request=request, enquiry=enquiry, name=SIGN_OFF, expected_version=expected_version)
    now = timezone.now()
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
    return _save(
        request=request,
        enquiry=locked,
        kind=kind,
        from_status=S.PROPOSED_FOR_CLOSURE,
        now=now,
        comment=comments.strip(),
        detail=detail,
    )


@transaction.atomic
def enquiry_reopen(
    *, request: HttpRequest, enquiry: Enquiry, reason: str, expected_version: int | None = None
) -> Enquiry:
    """Closed → in progress, with the reason recorded."""
    locked = _lock(request=request, enquiry=enquiry, name=REOPEN, expected_version=expected_version)
    if not has_visible_text(reason):
        raise TransitionRefused("Enter the reason for reopening the enquiry.")
    locked.status = S.IN_PROGRESS
    locked.closed_at = None
    locked.proposed_for_closure_at = None
    return _save(
        request=request,
        enquiry=locked,
        kind=EnquiryEvent.Kind.REOPENED,
        from_status=S.CLOSED,
        now=timezone.now(),
        comment=reason.strip(),
        detail="Enquiry reopened",
    )


class EnquiryClosed(TransitionRefused):
    """A closed enquiry's record is settled: reopen it (with a reason) before changing it."""

    def __init__(self):
        super().__init__("This enquiry is closed. A manager must reopen it before it can be changed.")


def ensure_enquiry_not_closed(enquiry: Enquiry) -> None:
    if enquiry.status == S.CLOSED:
        raise EnquiryClosed()


def enquiry_details_update(
    *,
    request: HttpRequest,
    enquiry: Enquiry,
    expected_version: int,
    changes: dict,
    m2m: dict | None = None,
    detail: str = "Enquiry details changed",
) -> Enquiry:
    """Risk, capacity, advocacy, outcomes asked, or the closure details: a versioned edit of an enquiry that
    is not closed. A stage change bumps the version too, so an edit loaded before closure is refused."""
    from msp_cases.core.concurrency import versioned_update

    ensure_enquiry_not_closed(enquiry)
    if changes.get("action_result") and enquiry.conclusion_recorded_at is None:
        # The drift rule "Part 2 outstanding at closure" counts from when the conclusion was first recorded.
        changes = {**changes, "conclusion_recorded_at": timezone.now()}
    return versioned_update(
        request=request,
        instance=enquiry,
        expected_version=expected_version,
        changes=changes,
        m2m=m2m,
        detail=detail,
    )
