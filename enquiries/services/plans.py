"""The safeguarding plan (actions: what, who, by when, agreed with the person, status) and meetings
(planning, strategy, case conference: who attended, how the person took part, their views)."""

import datetime

from django.db import transaction
from django.http import HttpRequest

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record

from ..models import Enquiry, Meeting, PlanAction
from ..models.choices import PlanActionStatus
from .concurrency import versioned_update
from .lifecycle import ensure_enquiry_not_closed


@transaction.atomic
def plan_action_add(
    *,
    request: HttpRequest,
    enquiry: Enquiry,
    what: str,
    who: str,
    due_on: datetime.date,
    agreed_with_person: bool,
    status: str = PlanActionStatus.NOT_STARTED,
) -> PlanAction:
    ensure_enquiry_not_closed(enquiry)
    action = PlanAction(
        enquiry=enquiry,
        what=what,
        who=who,
        due_on=due_on,
        agreed_with_person=agreed_with_person,
        status=status,
        created_by=request.user,
    )
    action.full_clean()
    action.save()
    access_record(
        request=request,
        obj=action,
        action=AccessEvent.Action.CREATE,
        person=enquiry.person,
        detail="Plan action",
    )
    return action


def plan_action_update(
    *, request: HttpRequest, action: PlanAction, expected_version: int, changes: dict
) -> PlanAction:
    """A versioned edit of one plan action (refused with ConcurrentEditError if someone saved first)."""
    ensure_enquiry_not_closed(action.enquiry)
    return versioned_update(
        request=request,
        instance=action,
        expected_version=expected_version,
        changes=changes,
        detail="Plan action changed",
    )


@transaction.atomic
def meeting_add(
    *,
    request: HttpRequest,
    enquiry: Enquiry,
    kind: str,
    held_on: datetime.date,
    attendees: str,
    participation: str,
    persons_views: str = "",
) -> Meeting:
    ensure_enquiry_not_closed(enquiry)
    meeting = Meeting(
        enquiry=enquiry,
        kind=kind,
        held_on=held_on,
        attendees=attendees,
        participation=participation,
        persons_views=persons_views,
        created_by=request.user,
    )
    meeting.full_clean()
    meeting.save()
    access_record(
        request=request,
        obj=meeting,
        action=AccessEvent.Action.CREATE,
        person=enquiry.person,
        detail="Meeting",
    )
    return meeting
