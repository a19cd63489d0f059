"""Writes that keep an enquiry from drifting while fitting the person's timescales: a manager's review
(supervision note) and moving the next contact agreed with the person, with their agreement.

- Only a manager of the enquiry's team (permission `enquiries.sign_off_closure`, member of the team) records
  a review; it sets `Enquiry.last_reviewed_at`, which clears the "no manager review" reminder at next scan.
- The next contact moves only with the person's agreement and a reason; each move is kept (AgreedDateChange)
  and the enquiry page lists them all. The enquiry edit is versioned like the other enquiry edits, so a move
  made from a stale page is refused rather than applied over someone else's.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import versioned_update
from msp_cases.core.exceptions import NotPermitted
from msp_cases.core.text import has_visible_text

from ..models import AgreedDateChange, Enquiry, ManagerReview
from .derived import last_reviewed_after
from .drift import drift_resolve_cleared
from .lifecycle import Standing
from .records import ensure_record_writable

PERSON_AGREED_MESSAGE = "Confirm that the person agreed to the new date"
REVIEW_NOT_PERMITTED = "Only a manager in the enquiry's team can record a manager review."


def may_record_review(*, user, enquiry: Enquiry, standing: Standing | None = None) -> bool:
    standing = standing or Standing.of(user, enquiry)
    return standing.can_edit and standing.in_team and standing.may_sign_off


@transaction.atomic
def manager_review_record(*, actor: Actor, enquiry: Enquiry, note: str) -> ManagerReview:
    """A team manager's supervision note on an open enquiry; the practitioner sees it on the enquiry page."""
    locked = Enquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk)
    if not may_record_review(user=actor.user, enquiry=locked):
        raise NotPermitted(REVIEW_NOT_PERMITTED)
    ensure_record_writable(locked)
    if not has_visible_text(note):
        raise ValidationError({"note": "Enter the supervision note"})
    now = timezone.now()
    review = ManagerReview(enquiry=locked, reviewed_at=now, by=actor.user, note=note.strip())
    review.full_clean()
    review.save()
    # Not a versioned edit: no form edits this field, and an open details form must not be refused for it.
    last_reviewed_at = last_reviewed_after(locked.last_reviewed_at, now)
    Enquiry.objects.filter(pk=locked.pk).update(last_reviewed_at=last_reviewed_at)
    enquiry.last_reviewed_at = last_reviewed_at
    access_record(actor=actor, obj=review, action=AccessEvent.Action.CREATE, detail="Manager review")
    drift_resolve_cleared(enquiry=locked, now=now)
    return review


def next_contact_move_errors(
    *, current: datetime.date | None, to_date: datetime.date | None, reason: str, person_agreed: bool
) -> dict[str, str]:
    """What is wrong with a move (the form shows the same messages)."""
    errors = {}
    if to_date is None:
        errors["to_date"] = "Enter the new date of the next contact"
    elif to_date < timezone.localdate():
        errors["to_date"] = "The new date of the next contact must be today or in the future"
    elif to_date == current:
        errors["to_date"] = "The new date must be different from the date already agreed"
    if not has_visible_text(reason):
        errors["reason"] = "Enter why the date moved"
    if not person_agreed:
        errors["person_agreed"] = PERSON_AGREED_MESSAGE
    return errors


@transaction.atomic
def next_contact_move(
    *,
    actor: Actor,
    enquiry: Enquiry,
    to_date: datetime.date,
    reason: str,
    person_agreed: bool,
    expected_version: int,
    how: str | None = None,
) -> AgreedDateChange:
    """Move the next contact agreed with the person, with their agreement, recording why."""
    ensure_record_writable(enquiry)
    locked = Enquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk)
    from_date = locked.next_contact_on
    errors = next_contact_move_errors(
        current=from_date, to_date=to_date, reason=reason, person_agreed=person_agreed
    )
    if errors:
        raise ValidationError(errors)
    changes = {"next_contact_on": to_date}
    if how is not None and how.strip():
        changes["next_contact_how"] = how.strip()
    versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes=changes,
        detail="Next contact moved with the person's agreement",
    )
    change = AgreedDateChange(
        enquiry=locked,
        what=AgreedDateChange.What.NEXT_CONTACT,
        from_date=from_date,
        to_date=to_date,
        reason=reason.strip(),
        person_agreed=True,
        by=actor.user,
    )
    change.full_clean()
    change.save()
    drift_resolve_cleared(enquiry=locked)
    return change
