"""Writes to the conversation log: "a series of conversations supported by a process".

The log is append-only. `conversation_record` adds an entry; `conversation_amend` adds a correction as a new
entry linked to the original. Nothing here (or anywhere) updates or deletes an entry, and the model refuses.

Decisions recorded here:
- A conversation belongs to an enquiry or to a concern (before or without an enquiry), never both; the
  access layer follows that parent.
- No conversation can be added to, or amended on, a **closed** enquiry, nor on the concern a closed enquiry
  came from (those conversations show on the enquiry's timeline): its record was signed off as it stands.
  Reopen the enquiry (with a reason) to add to it, or record a new concern (services.records decides).
- An amendment always amends the **original** entry (the root of the chain), even when the user started from
  an earlier amendment, so an entry has one flat list of corrections, newest last. The amendment form starts
  from the newest version; if someone else amended the entry after the form was loaded the save is refused
  (ConcurrentEditError), so one correction never silently undoes another.
- `Enquiry.last_with_person_at` (when the latest conversation with the person happened; the caseload and the
  team dashboard sort by it) follows every entry as it now stands: recording one with the person, or
  correcting an entry's date or whether the person was there, sets it again from the rule in services.derived.
- `Enquiry.next_contact_on/how` is the single truth for the next contact agreed with the person (the caseload,
  the enquiry page and the drift scan read it). Recording the latest conversation sets it from that
  conversation (a conversation recorded after the fact, older than the latest, leaves it alone); an amendment
  of the latest conversation that changes the next contact sets it too. A date moved with the person's
  agreement (services.reviews.next_contact_move) sets it in between; the next conversation takes over.
- The rules (`conversation_rule_errors`) are checked here and, with the same function, by the form, so the
  user sees every problem at once and no caller can skip them.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError
from msp_cases.core.text import has_visible_text

from ..models import ConversationLog, DecisionMadeBy, Enquiry, SafeguardingConcern
from ..models.conversations import MSP_CHECK_FIELDS, PARTICIPANT_FIELDS
from ..selectors.conversations import conversation_current_versions
from .derived import LATEST_CONVERSATION_FIRST, last_with_person_after, next_contact_after
from .drift import drift_resolve_cleared
from .records import ensure_record_writable

# Everything a practitioner writes in an entry: what the record and amendment forms set, and what an amendment
# copies from the version it corrects.
CONTENT_FIELDS = [
    "occurred_at",
    *PARTICIPANT_FIELDS,
    "others_present",
    "method",
    "location",
    "what_matters",
    "wants_to_happen",
    "risks_discussed",
    "persons_view_of_risks",
    "options_discussed",
    "expectations_discussed",
    "decisions",
    "decision_made_by",
    "against_wishes_reason",
    "others_at_risk",
    "least_restrictive_reason",
    "next_contact_on",
    "next_contact_how",
    *MSP_CHECK_FIELDS,
    "reflection",
]
AGAINST_WISHES_FIELDS = {
    "against_wishes_reason": "Enter why the decision went against the person's wishes",
    "others_at_risk": "Enter who else was at risk",
    "least_restrictive_reason": "Enter why this was the least restrictive option",
}
CLOSED_MESSAGE = "This enquiry is closed. Reopen it to record or correct a conversation."


def conversation_earliest(*, enquiry: Enquiry | None = None, concern: SafeguardingConcern | None = None):
    """The earliest a conversation on this case can have happened: when the concern was received (or, for an
    enquiry with no concern, when it was opened)."""
    if enquiry is not None:
        return enquiry.concern.received_at if enquiry.concern_id else enquiry.opened_at
    return concern.received_at if concern is not None else None


def conversation_rule_errors(
    *,
    values: dict[str, Any],
    earliest: datetime.datetime | None,
    now: datetime.datetime | None = None,
    unchanged_next_contact: datetime.date | None = None,
) -> dict[str, list[str]]:
    """What is wrong with an entry, keyed by model field name ("__all__" for the whole entry).

    `unchanged_next_contact`: when amending, the next contact already recorded may now be in the past; keeping
    it is allowed, entering a new past date is not."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    occurred_at = values.get("occurred_at")
    occurred_on = values.get("occurred_on")  # the date alone, when the time is missing or not understood
    if occurred_at is None and occurred_on is not None and occurred_on > timezone.localdate(now):
        add("occurred_at", "The date of the conversation must be today or in the past")
    if occurred_at is not None:
        local = timezone.localtime(occurred_at)
        if local.date() > timezone.localdate(now):
            add("occurred_at", "The date of the conversation must be today or in the past")
        elif occurred_at > now:
            add("occurred_at", "The time of the conversation must be in the past")
        elif earliest is not None and occurred_at < earliest:
            when = timezone.localtime(earliest)
            add(
                "occurred_at",
                "The date of the conversation must be on or after the date the concern was received "
                f"({when:%-d %B %Y} at {when:%H:%M})",
            )
    if not any(values.get(f) for f in PARTICIPANT_FIELDS):
        add("with_person", "Select who the conversation was with")
    if values.get("with_person") and not (values.get("what_matters") or "").strip():
        add("what_matters", "Write down what matters to the person, in their words")
    made_by = values.get("decision_made_by")
    if made_by and made_by != DecisionMadeBy.NO_DECISION and not (values.get("decisions") or "").strip():
        add("decisions", "Enter the decisions made")
    if made_by == DecisionMadeBy.AGAINST_WISHES:
        for field, message in AGAINST_WISHES_FIELDS.items():
            if not (values.get(field) or "").strip():
                add(field, message)
    next_on = values.get("next_contact_on")
    if next_on is not None and next_on < timezone.localdate(now) and next_on != unchanged_next_contact:
        add("next_contact_on", "The date of the next contact must be today or in the future")
    if next_on is None and (values.get("next_contact_how") or "").strip():
        add("next_contact_on", "Enter the date of the next contact")
    return errors


def _check(log: ConversationLog, *, earliest, unchanged_next_contact: datetime.date | None = None) -> None:
    if log.decision_made_by != DecisionMadeBy.AGAINST_WISHES:
        # Reasons only belong to a decision made against the person's wishes; don't keep stale ones.
        for field in AGAINST_WISHES_FIELDS:
            setattr(log, field, "")
    values = {f: getattr(log, f) for f in CONTENT_FIELDS}
    errors = conversation_rule_errors(
        values=values, earliest=earliest, unchanged_next_contact=unchanged_next_contact
    )
    if errors:
        raise ValidationError(errors)
    log.full_clean()


@transaction.atomic
def conversation_record(
    *,
    actor: Actor,
    fields: dict[str, Any],
    enquiry: Enquiry | None = None,
    concern: SafeguardingConcern | None = None,
) -> ConversationLog:
    """Add an entry to the log of an enquiry or of a concern."""
    if (enquiry is None) == (concern is None):
        raise ValueError("A conversation belongs to an enquiry or to a concern")
    parent = enquiry or concern
    ensure_record_writable(parent)
    log = ConversationLog(
        person=parent.person,
        enquiry=enquiry,
        concern=concern,
        recorded_by=actor.user,
        **{f: v for f, v in fields.items() if f in CONTENT_FIELDS},
    )
    _check(log, earliest=conversation_earliest(enquiry=enquiry, concern=concern))
    log.save()
    if enquiry is not None:
        _follow_latest(enquiry_id=enquiry.pk, version=log)
        if log.with_person:
            enquiry_last_with_person_sync(enquiry=enquiry)
    access_record(actor=actor, obj=log, action=AccessEvent.Action.CREATE, detail="Conversation recorded")
    drift_resolve_cleared(enquiry=enquiry)
    return log


def conversation_root(log: ConversationLog) -> ConversationLog:
    return log.amends if log.amends_id else log


def conversation_latest_version(root: ConversationLog) -> ConversationLog:
    """The newest version of an entry: its latest amendment, or the entry itself."""
    return root.amendments.order_by("-pk").first() or root


@transaction.atomic
def conversation_amend(
    *,
    actor: Actor,
    original: ConversationLog,
    fields: dict[str, Any],
    reason: str,
    based_on_pk: int,
) -> ConversationLog:
    """Record a correction to `original` as a new entry; `original` is never changed.

    `based_on_pk` is the version the user's form started from; if a newer amendment exists the correction is
    refused with ConcurrentEditError so it cannot silently undo someone else's."""
    # The enquiry first (as sign-off locks it), then the root, so two amendments of one entry are taken one
    # after the other.
    ensure_record_writable(original)
    root = ConversationLog.objects.select_for_update().get(pk=conversation_root(original).pk)
    latest = conversation_latest_version(root)
    if latest.pk != based_on_pk:
        raise ConcurrentEditError(current=latest)
    if not has_visible_text(reason):
        raise ValidationError({"amendment_reason": "Enter what is being corrected and why"})
    values = {f: getattr(latest, f) for f in CONTENT_FIELDS}
    values.update({f: v for f, v in fields.items() if f in CONTENT_FIELDS})
    amendment = ConversationLog(
        person=root.person,
        enquiry=root.enquiry,
        concern=root.concern,
        recorded_by=actor.user,
        amends=root,
        amendment_reason=reason,
        **values,
    )
    _check(
        amendment,
        earliest=conversation_earliest(enquiry=root.enquiry, concern=root.concern),
        unchanged_next_contact=latest.next_contact_on,
    )
    amendment.save()
    if root.enquiry_id and (amendment.next_contact_on, amendment.next_contact_how) != (
        latest.next_contact_on,
        latest.next_contact_how,
    ):
        _follow_latest(enquiry_id=root.enquiry_id, version=amendment)
    if root.enquiry_id and (amendment.occurred_at, amendment.with_person) != (
        latest.occurred_at,
        latest.with_person,
    ):
        enquiry_last_with_person_sync(enquiry=root.enquiry)
    access_record(actor=actor, obj=amendment, action=AccessEvent.Action.CREATE, detail="Conversation amended")
    drift_resolve_cleared(enquiry=root.enquiry_id)
    return amendment


def _latest_version(**filters) -> ConversationLog | None:
    return (
        conversation_current_versions()
        .filter(**filters)
        .order_by(*LATEST_CONVERSATION_FIRST)
        .only("pk", "occurred_at", "next_contact_on", "next_contact_how")
        .first()
    )


def latest_next_contact(
    *, enquiry: Enquiry | None = None, concern: SafeguardingConcern | None = None
) -> tuple[datetime.date | None, str]:
    """The next contact agreed in the latest conversation (as amended) of an enquiry, or of a concern before
    any enquiry: (date or None, how)."""
    if enquiry is not None:
        latest = _latest_version(enquiry_id=enquiry.pk)
    else:
        latest = _latest_version(concern_id=concern.pk, enquiry__isnull=True)
    return next_contact_after(
        [(latest.occurred_at, latest.pk, latest.next_contact_on, latest.next_contact_how)] if latest else []
    )


def enquiry_next_contact_sync(*, enquiry: Enquiry) -> None:
    """Set the enquiry's next contact from its latest conversation, whatever was there (data repair, test
    arrangement). The services use `_follow_latest`, which keeps a date moved since."""
    on, how = latest_next_contact(enquiry=enquiry)
    Enquiry.objects.filter(pk=enquiry.pk).update(next_contact_on=on, next_contact_how=how)
    enquiry.next_contact_on, enquiry.next_contact_how = on, how


def enquiry_last_with_person_sync(*, enquiry: Enquiry) -> None:
    """Set `Enquiry.last_with_person_at` from every entry of the enquiry as it now stands. The services call
    it whenever an entry may have changed the answer (one with the person recorded; a correction of the date
    or of whether the person was there), under the enquiry's lock (ensure_record_writable), so two entries
    recorded at once cannot each miss the other; data repair and test arrangement call it too."""
    at = last_with_person_after(
        conversation_current_versions()
        .filter(enquiry_id=enquiry.pk)
        .values_list("occurred_at", "with_person")
        .order_by()
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(last_with_person_at=at)
    enquiry.last_with_person_at = at


def _follow_latest(*, enquiry_id: int, version: ConversationLog) -> None:
    """When `version` is now the latest conversation of the enquiry, its agreed next contact stands. Not a
    versioned edit: no form edits these fields alongside, and a stale details form must not be refused."""
    latest = _latest_version(enquiry_id=enquiry_id)
    if latest is not None and latest.pk == version.pk:
        Enquiry.objects.filter(pk=enquiry_id).update(
            next_contact_on=version.next_contact_on, next_contact_how=version.next_contact_how
        )
