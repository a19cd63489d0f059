"""Writes for retention. Each runs in a transaction, re-checks its rule on the locked rows, records what it
did in the record of access, and queues work after commit. Nothing here deletes a record: a hold is lifted,
a disposal withdrawn or stopped, and a disposal carried out empties the personal data and keeps the record
(removal.py).

One rule decides both what the pages offer and what the services accept: `disposal_propose_problems` and
`disposal_approve_problems` return the reasons why not, in words a unit lead can act on."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enquiries.models import Person
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotPermitted, ServiceRefused

from . import selectors
from .models import Disposal, LegalHold
from .tasks import carry_out_disposal

HELD = "A legal hold is on this record. It cannot be disposed of until the hold is lifted"
OWN_PROPOSAL = "You proposed this disposal. Another unit lead must approve it"


class DisposalRefused(ServiceRefused):
    """The record may not be disposed of now (a hold, something open, not yet due, already done)."""


def _require_manager(actor: Actor) -> None:
    if not selectors.may_manage(actor.user):
        raise NotPermitted("Only unit leads review and dispose of closed cases")


def _today() -> datetime.date:
    return timezone.localdate()


# ---- Legal holds ---------------------------------------------------------------------------------------


def hold_place(*, actor: Actor, person: Person, reason: str, reference: str) -> LegalHold:
    """A hold on the person's record. Any disposal in progress stops at once: a hold always wins."""
    _require_manager(actor)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        if selectors.carried_out(person) is not None:
            raise DisposalRefused("This record was disposed of. There is nothing left to hold")
        hold = LegalHold(
            person=person, reason=reason, reference=reference, placed_by=actor.user, placed_at=timezone.now()
        )
        hold.full_clean()
        hold.save()
        now = timezone.now()
        for disposal in Disposal.objects.select_for_update().filter(
            person=person, status__in=Disposal.PENDING
        ):
            disposal.status = Disposal.Status.STOPPED
            disposal.ended_by, disposal.ended_at = actor.user, now
            disposal.end_reason = "A legal hold was placed on the record"
            disposal.save()
        access_record(
            actor=actor, obj=hold, person=person, action=AccessEvent.Action.CREATE, detail="Legal hold placed"
        )
    return hold


def hold_lift(*, actor: Actor, hold: LegalHold, reason: str) -> LegalHold:
    _require_manager(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the hold is lifted"})
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if not hold.is_active:
            raise ServiceRefused("This hold was already lifted")
        hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), actor.user, reason
        hold.full_clean()
        hold.save()
        access_record(
            actor=actor,
            obj=hold,
            person=hold.person,
            action=AccessEvent.Action.CHANGE,
            detail="Legal hold lifted",
        )
    return hold


# ---- Disposal ------------------------------------------------------------------------------------------


def disposal_propose_problems(*, person: Person, today: datetime.date | None = None) -> list[str]:
    """Why the record cannot be proposed for disposal now; none when it can."""
    today = today or _today()
    if selectors.carried_out(person) is not None:
        return ["This record was disposed of"]
    problems = []
    if selectors.active_hold(person) is not None:
        problems.append(HELD)
    if selectors.pending_disposal(person) is not None:
        problems.append("A disposal of this record is already in progress")
    closure = selectors.closure_of(person)
    if closure.is_open:
        problems.append("A concern or enquiry of this person is still open")
    elif closure.last_closed_at is None:
        problems.append("This person has no closed concern or enquiry")
    elif not closure.is_due(today):
        problems.append(
            f"This record is kept until {closure.review_due_on:%-d %B %Y} under the retention schedule"
        )
    return problems


def disposal_approve_problems(*, disposal: Disposal, user, today: datetime.date | None = None) -> list[str]:
    """Why `user` cannot approve this disposal now; none when they can."""
    if disposal.status != Disposal.Status.PROPOSED:
        return [f"This disposal is {disposal.get_status_display().lower()}, not waiting for approval"]
    problems = []
    if disposal.proposed_by_id == user.pk:
        problems.append(OWN_PROPOSAL)
    person = disposal.person
    if selectors.active_hold(person) is not None:
        problems.append(HELD)
    closure = selectors.closure_of(person)
    if closure.is_open:
        problems.append("A concern or enquiry of this person is open again")
    elif not closure.is_due(today or _today()):
        problems.append("This record is not due for disposal")
    return problems


def disposal_propose(*, actor: Actor, person: Person, reason: str) -> Disposal:
    _require_manager(actor)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        problems = disposal_propose_problems(person=person)
        if problems:
            raise DisposalRefused(problems[0])
        disposal = Disposal(person=person, reason=reason, proposed_by=actor.user, proposed_at=timezone.now())
        disposal.full_clean()
        disposal.save()
        access_record(
            actor=actor,
            obj=disposal,
            person=person,
            action=AccessEvent.Action.CREATE,
            detail="Disposal proposed",
        )
    return disposal


def disposal_approve(*, actor: Actor, disposal: Disposal) -> Disposal:
    """A second unit lead approves; the task carries the disposal out after commit."""
    _require_manager(actor)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=disposal.person_id)
        disposal = Disposal.objects.select_for_update().select_related("person").get(pk=disposal.pk)
        problems = disposal_approve_problems(disposal=disposal, user=actor.user)
        if problems:
            raise DisposalRefused(problems[0])
        disposal.status = Disposal.Status.APPROVED
        disposal.approved_by, disposal.approved_at = actor.user, timezone.now()
        disposal.full_clean()
        disposal.save()
        access_record(
            actor=actor,
            obj=disposal,
            person=disposal.person,
            action=AccessEvent.Action.CHANGE,
            detail="Disposal approved",
        )
        transaction.on_commit(lambda pk=disposal.pk: _queue_carry_out(pk), robust=True)
    return disposal


def _queue_carry_out(disposal_id: int) -> None:
    carry_out_disposal.delay(disposal_id)


def disposal_withdraw(*, actor: Actor, disposal: Disposal, reason: str) -> Disposal:
    """Either unit lead withdraws a disposal not yet carried out, saying why (the second lead's "no")."""
    _require_manager(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the disposal is withdrawn"})
    with transaction.atomic():
        disposal = Disposal.objects.select_for_update().select_related("person").get(pk=disposal.pk)
        if disposal.status != Disposal.Status.PROPOSED:
            raise DisposalRefused(
                f"This disposal is {disposal.get_status_display().lower()}: it cannot be withdrawn"
            )
        disposal.status = Disposal.Status.WITHDRAWN
        disposal.ended_by, disposal.ended_at, disposal.end_reason = actor.user, timezone.now(), reason
        disposal.full_clean()
        disposal.save()
        access_record(
            actor=actor,
            obj=disposal,
            person=disposal.person,
            action=AccessEvent.Action.CHANGE,
            detail="Disposal withdrawn",
        )
    return disposal
