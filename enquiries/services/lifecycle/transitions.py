"""The stage changes other than closure (open, allocate, start, reopen), the row lock and event every
transition shares, and the versioned edit of an enquiry's details."""

from django.db import transaction
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError, versioned_update
from msp_cases.core.text import has_visible_text

from ...models import Enquiry, EnquiryEvent, SafeguardingConcern
from ..case_notifications import enquiry_allocated_notify
from ..conversations import latest_next_contact
from ..derived import conclusion_recorded_after, enquiry_opening
from ..drift import drift_resolve_cleared
from ..records import ensure_enquiry_not_closed
from .rules import (
    ALLOCATE,
    REOPEN,
    START,
    Standing,
    TransitionRefused,
    transition_refusal,
)

S = Enquiry.Status


def lock_for_transition(
    *, actor: Actor, enquiry: Enquiry, name: str, expected_version: int | None
) -> Enquiry:
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
    refusal = transition_refusal(name, standing=Standing.of(actor.user, locked), enquiry=locked)
    if refusal is not None:
        raise refusal
    return locked


def save_transition(
    *,
    actor: Actor,
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
        by=actor.user,
        from_status=from_status,
        to_status=enquiry.status,
        allocated_to=allocated_to,
        comment=comment,
    )
    access_record(actor=actor, obj=enquiry, action=AccessEvent.Action.CHANGE, detail=detail)
    drift_resolve_cleared(enquiry=enquiry, now=now)
    return enquiry


@transaction.atomic
def enquiry_open(
    *,
    actor: Actor,
    concern: SafeguardingConcern,
    enquiry_type: str,
    lead_practitioner=None,
) -> Enquiry:
    """Open the enquiry a decision called for, carrying the concern's risk details across."""
    now = timezone.now()
    enquiry = Enquiry(
        person=concern.person,
        concern=concern,
        **enquiry_opening(
            enquiry_type=enquiry_type,
            team_id=concern.team_id,
            allocated_to_id=concern.allocated_to_id,
            risk_location=concern.risk_location,
            risk_source=concern.risk_source,
            opened_at=now,
            lead_practitioner_id=lead_practitioner.pk if lead_practitioner else None,
        ),
    )
    # A next contact agreed with the person while the concern was being decided carries over.
    enquiry.next_contact_on, enquiry.next_contact_how = latest_next_contact(concern=concern)
    enquiry.full_clean()
    enquiry.save()
    enquiry.risk_types.set(concern.risk_types.all())
    EnquiryEvent.objects.create(
        enquiry=enquiry,
        kind=EnquiryEvent.Kind.OPENED,
        occurred_at=now,
        by=actor.user,
        to_status=Enquiry.Status.OPEN,
        allocated_to=enquiry.lead_practitioner,
    )
    access_record(actor=actor, obj=enquiry, action=AccessEvent.Action.CREATE, detail="Enquiry opened")
    return enquiry


@transaction.atomic
def enquiry_allocate(
    *,
    actor: Actor,
    enquiry: Enquiry,
    lead_practitioner,
    reason: str = "",
    expected_version: int | None = None,
) -> Enquiry:
    """Allocate (or re-allocate) the enquiry to a lead practitioner, who must be an active member of the
    enquiry's team. A re-allocation needs a reason; the event records who it went to, and the previous
    event in the chain records who had it before."""
    locked = lock_for_transition(
        actor=actor, enquiry=enquiry, name=ALLOCATE, expected_version=expected_version
    )
    if lead_practitioner is None or not lead_practitioner.is_active:
        raise TransitionRefused("Choose an active member of staff to lead the enquiry.")
    if not lead_practitioner.teams.filter(pk=locked.team_id).exists():
        raise TransitionRefused(f"The lead practitioner must be a member of {locked.team}.")
    if locked.lead_practitioner_id == lead_practitioner.pk:
        raise TransitionRefused(f"{lead_practitioner} is already the lead practitioner.")
    if locked.lead_practitioner_id is not None and not has_visible_text(reason):
        raise TransitionRefused("Enter the reason for re-allocating the enquiry.")
    locked.lead_practitioner = lead_practitioner
    allocated = save_transition(
        actor=actor,
        enquiry=locked,
        kind=EnquiryEvent.Kind.ALLOCATED,
        from_status=locked.status,
        now=timezone.now(),
        comment=reason.strip(),
        allocated_to=lead_practitioner,
        detail="Enquiry allocated",
    )
    # The new lead is told, unless they allocated it to themselves (case_notifications).
    enquiry_allocated_notify(actor_id=actor.user.pk, enquiry=allocated)
    return allocated


@transaction.atomic
def enquiry_start(*, actor: Actor, enquiry: Enquiry, expected_version: int | None = None) -> Enquiry:
    """Open → in progress: the lead practitioner (or a manager) starts work with the person."""
    locked = lock_for_transition(actor=actor, enquiry=enquiry, name=START, expected_version=expected_version)
    locked.status = S.IN_PROGRESS
    return save_transition(
        actor=actor,
        enquiry=locked,
        kind=EnquiryEvent.Kind.STARTED,
        from_status=S.OPEN,
        now=timezone.now(),
        detail="Enquiry work started",
    )


@transaction.atomic
def enquiry_reopen(
    *, actor: Actor, enquiry: Enquiry, reason: str, expected_version: int | None = None
) -> Enquiry:
    """Closed → in progress, with the reason recorded."""
    locked = lock_for_transition(actor=actor, enquiry=enquiry, name=REOPEN, expected_version=expected_version)
    if not has_visible_text(reason):
        raise TransitionRefused("Enter the reason for reopening the enquiry.")
    locked.status = S.IN_PROGRESS
    locked.closed_at = None
    locked.proposed_for_closure_at = None
    return save_transition(
        actor=actor,
        enquiry=locked,
        kind=EnquiryEvent.Kind.REOPENED,
        from_status=S.CLOSED,
        now=timezone.now(),
        comment=reason.strip(),
        detail="Enquiry reopened",
    )


def enquiry_details_update(
    *,
    actor: Actor,
    enquiry: Enquiry,
    expected_version: int,
    changes: dict,
    m2m: dict | None = None,
    detail: str = "Enquiry details changed",
) -> Enquiry:
    """Risk, capacity, advocacy, outcomes asked, or the closure details: a versioned edit of an enquiry that
    is not closed. A stage change bumps the version too, so an edit loaded before closure is refused."""
    ensure_enquiry_not_closed(enquiry)
    recorded_at = conclusion_recorded_after(
        action_result=changes.get("action_result", ""),
        conclusion_recorded_at=enquiry.conclusion_recorded_at,
        now=timezone.now(),
    )
    if recorded_at != enquiry.conclusion_recorded_at:
        changes = {**changes, "conclusion_recorded_at": recorded_at}
    return versioned_update(
        actor=actor,
        instance=enquiry,
        expected_version=expected_version,
        changes=changes,
        m2m=m2m,
        detail=detail,
    )
