"""The safeguarding plan (actions: what, who, by when, agreed with the person, status) and meetings
(planning, strategy, case conference: who attended, how the person took part, their views)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import versioned_update
from msp_cases.core.text import has_visible_text

from ..models import AgreedDateChange, Enquiry, Meeting, PlanAction
from ..models.choices import PlanActionStatus
from .drift import drift_resolve_cleared
from .records import ensure_record_writable


@transaction.atomic
def plan_action_add(
    *,
    actor: Actor,
    enquiry: Enquiry,
    what: str,
    who: str,
    due_on: datetime.date,
    agreed_with_person: bool,
    status: str = PlanActionStatus.NOT_STARTED,
) -> PlanAction:
    ensure_record_writable(enquiry)
    action = PlanAction(
        enquiry=enquiry,
        what=what,
        who=who,
        due_on=due_on,
        agreed_with_person=agreed_with_person,
        status=status,
        created_by=actor.user,
    )
    action.full_clean()
    action.save()
    access_record(
        actor=actor,
        obj=action,
        action=AccessEvent.Action.CREATE,
        person=enquiry.person,
        detail="Plan action",
    )
    return action


def plan_action_date_move_errors(
    *, action: PlanAction, due_on: datetime.date | None, reason: str, person_agreed: bool
) -> dict[str, str]:
    """A due date moved needs why; an action agreed with the person needs their agreement to the new date
    ("timescales fit the person", not the service). The edit form shows the same messages."""
    if due_on is None or due_on == action.due_on:
        return {}
    errors = {}
    if not has_visible_text(reason):
        errors["date_change_reason"] = "Enter why the date moved"
    if action.agreed_with_person and not person_agreed:
        errors["person_agreed"] = "Confirm that the person agreed to the new date"
    return errors


@transaction.atomic
def plan_action_update(
    *,
    actor: Actor,
    action: PlanAction,
    expected_version: int,
    changes: dict,
    date_change_reason: str = "",
    person_agreed: bool = False,
) -> PlanAction:
    """A versioned edit of one plan action (refused with ConcurrentEditError if someone saved first). A new
    due date is recorded as an AgreedDateChange, with why (and the person's agreement when it was agreed with
    them)."""
    ensure_record_writable(action)
    locked = PlanAction.objects.select_for_update().get(pk=action.pk)
    new_due = changes.get("due_on", locked.due_on)
    moved = locked.version == expected_version and new_due != locked.due_on
    if moved:
        errors = plan_action_date_move_errors(
            action=locked, due_on=new_due, reason=date_change_reason, person_agreed=person_agreed
        )
        if errors:
            raise ValidationError(errors)
    updated = versioned_update(
        actor=actor,
        instance=action,
        expected_version=expected_version,
        changes=changes,
        detail="Plan action changed",
    )
    if moved:
        change = AgreedDateChange(
            enquiry_id=locked.enquiry_id,
            what=AgreedDateChange.What.PLAN_ACTION,
            plan_action=locked,
            from_date=locked.due_on,
            to_date=new_due,
            reason=date_change_reason.strip(),
            person_agreed=bool(person_agreed),
            by=actor.user,
        )
        change.full_clean()
        change.save()
    drift_resolve_cleared(enquiry=locked.enquiry_id)
    return updated


@transaction.atomic
def meeting_add(
    *,
    actor: Actor,
    enquiry: Enquiry,
    kind: str,
    held_on: datetime.date,
    attendees: str,
    participation: str,
    persons_views: str = "",
) -> Meeting:
    ensure_record_writable(enquiry)
    meeting = Meeting(
        enquiry=enquiry,
        kind=kind,
        held_on=held_on,
        attendees=attendees,
        participation=participation,
        persons_views=persons_views,
        created_by=actor.user,
    )
    meeting.full_clean()
    meeting.save()
    access_record(
        actor=actor,
        obj=meeting,
        action=AccessEvent.Action.CREATE,
        person=enquiry.person,
        detail="Meeting",
    )
    return meeting
