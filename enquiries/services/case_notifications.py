"""Telling staff about a change to a case that concerns them: allocated to them, their proposed closure
returned, their case audited. Every path that makes the change goes through one service, which calls one of
these, so a page, a bulk action, a command or the demo seeder all notify alike.

The message is in fixed words, with no name and no case content: it is also what an email is built from
(msp_cases.notifications.emails). The notification points at the record by id; the notifications page names
the person, and shows a manager's comments, from the record at the time it is shown, to whoever may still
see it."""

from collections.abc import Iterable

from django.urls import reverse

from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from ..models import Enquiry, EnquiryEvent, SafeguardingConcern

CONCERN_ALLOCATED_MESSAGE = "A safeguarding concern has been allocated to you. It needs a decision."
ENQUIRY_ALLOCATED_MESSAGE = "A safeguarding enquiry has been allocated to you to lead."
CLOSURE_RETURNED_MESSAGE = "A closure you proposed was returned by a manager, with comments."
CASE_FILE_AUDIT_MESSAGE = "A case-file audit has been saved with comments on an enquiry you lead."


def _others(user_ids: Iterable[int | None], actor_id: int) -> list[int]:
    """Who to tell: each once, never the person who made the change."""
    return [pk for pk in dict.fromkeys(user_ids) if pk is not None and pk != actor_id]


def concern_allocated_notify(*, actor_id: int, concern: SafeguardingConcern) -> int:
    return notify(
        specs=[
            NotificationSpec(
                user_id=pk,
                kind=Notification.Kind.ALLOCATED,
                message=CONCERN_ALLOCATED_MESSAGE,
                url=reverse("enquiries:concern_detail", args=[concern.pk]),
                concern_id=concern.pk,
            )
            for pk in _others([concern.allocated_to_id], actor_id)
        ]
    )


def enquiry_allocated_notify(*, actor_id: int, enquiry: Enquiry) -> int:
    return notify(
        specs=[
            NotificationSpec(
                user_id=pk,
                kind=Notification.Kind.ALLOCATED,
                message=ENQUIRY_ALLOCATED_MESSAGE,
                url=reverse("enquiries:enquiry_detail", args=[enquiry.pk]),
                enquiry_id=enquiry.pk,
            )
            for pk in _others([enquiry.lead_practitioner_id], actor_id)
        ]
    )


def closure_returned_notify(
    *, actor_id: int, enquiry: Enquiry, proposer_id: int | None, event: EnquiryEvent
) -> int:
    """Whoever proposed the closure, and the lead practitioner if someone else proposed it (the lead is the
    one to act on the comments). The comments themselves stay in the service: `event` points at them."""
    return notify(
        specs=[
            NotificationSpec(
                user_id=pk,
                kind=Notification.Kind.CLOSURE_RETURNED,
                message=CLOSURE_RETURNED_MESSAGE,
                url=reverse("enquiries:enquiry_detail", args=[enquiry.pk]),
                enquiry_id=enquiry.pk,
                enquiry_event_id=event.pk,
            )
            for pk in _others([proposer_id, enquiry.lead_practitioner_id], actor_id)
        ]
    )


def case_file_audit_notify(*, actor_id: int, enquiry: Enquiry) -> int:
    """The enquiry's lead practitioner, who sees the audit on the enquiry page."""
    return notify(
        specs=[
            NotificationSpec(
                user_id=pk,
                kind=Notification.Kind.CASE_FILE_AUDIT,
                message=CASE_FILE_AUDIT_MESSAGE,
                url=reverse("enquiries:enquiry_detail", args=[enquiry.pk]) + "#case-file-audit",
                enquiry_id=enquiry.pk,
            )
            for pk in _others([enquiry.lead_practitioner_id], actor_id)
        ]
    )
