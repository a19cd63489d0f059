"""Recording, changing and ending a warning about a person ("Do not call when her son is at home").

The rules live in `person_warning_problems` and `person_warning_end_problems`: the forms call them so the
user sees every problem at once, and the services call them again so no other caller gets round them.

- A warning is agreed with a manager of a team holding the person's records, and never with whoever
  records it: a second person has weighed what it asks of everyone who contacts the person.
- If the person was not told about it, the reason is recorded.
- A warning is ended (with the date and why), never deleted: its history stays with the person's record.
- Changing the review date or ending the warning resolves at once a "past its review date" reminder
  raised about it (the drift rule `warning_review`); the scan stays the safety net."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from msp_cases.accounts.models import User
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import versioned_update
from msp_cases.core.exceptions import ServiceRefused

from ..models import Person, PersonWarning
from ..models.drift import DriftRule, Reminder
from ..models.warnings import PersonTold
from ..selectors.warnings import warning_agreement_team

# The fields a warning form edits.
WARNING_FIELDS = (
    "type",
    "what_to_do",
    "starts_on",
    "review_on",
    "person_told",
    "not_told_reason",
    "agreed_with",
)

MSG_WHY_NOT_TOLD = "Enter why the person was not told about the warning"
MSG_REVIEW_BEFORE_START = "The review date must be after the start date"
MSG_AGREED_WITH_SELF = "Select a manager other than yourself: a warning is agreed with someone else"
MSG_AGREED_WITH_RECORDER = "Select a manager other than the person who recorded the warning"
MSG_NOT_THEIR_MANAGER = "Select a manager of a team that holds this person's records"
MSG_END_BEFORE_START = "The end date must be on or after the start date"
MSG_END_FUTURE = "The end date must be today or in the past"
MSG_ALREADY_ENDED = "This warning has already ended"


def person_warning_problems(
    *, user: User, person: Person, fields: dict[str, Any], current: PersonWarning | None = None
) -> dict[str, list[str]]:
    """What is wrong with these warning details, by field; empty when they may be saved. `current` is the
    warning being changed (the manager it was agreed with may stay; a new one is checked again)."""
    problems: dict[str, list[str]] = {}
    if fields.get("person_told") == PersonTold.NO and not (fields.get("not_told_reason") or "").strip():
        problems["not_told_reason"] = [MSG_WHY_NOT_TOLD]
    starts_on, review_on = fields.get("starts_on"), fields.get("review_on")
    if starts_on and review_on and review_on <= starts_on:
        problems["review_on"] = [MSG_REVIEW_BEFORE_START]
    manager = fields.get("agreed_with")
    if manager is not None and (current is None or manager.pk != current.agreed_with_id):
        recorder_id = current.recorded_by_id if current is not None else user.pk
        if manager.pk == user.pk:
            problems["agreed_with"] = [MSG_AGREED_WITH_SELF]
        elif manager.pk == recorder_id:
            problems["agreed_with"] = [MSG_AGREED_WITH_RECORDER]
        elif warning_agreement_team(person=person, manager=manager) is None:
            problems["agreed_with"] = [MSG_NOT_THEIR_MANAGER]
    return problems


def _cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in fields.items() if k in WARNING_FIELDS}
    if fields.get("person_told") == PersonTold.YES:
        fields["not_told_reason"] = ""  # a reason for not telling them no longer applies
    return fields


@transaction.atomic
def person_warning_add(*, actor: Actor, person: Person, fields: dict[str, Any]) -> PersonWarning:
    problems = person_warning_problems(user=actor.user, person=person, fields=fields)
    if problems:
        raise ValidationError(problems)
    fields = _cleaned(fields)
    team_id = warning_agreement_team(person=person, manager=fields["agreed_with"])
    warning = PersonWarning(person=person, recorded_by=actor.user, team_id=team_id, **fields)
    warning.full_clean()
    warning.save()
    access_record(actor=actor, obj=warning, action=AccessEvent.Action.CREATE, detail="Warning recorded")
    return warning


@transaction.atomic
def person_warning_update(
    *, actor: Actor, warning: PersonWarning, expected_version: int, fields: dict[str, Any]
) -> PersonWarning:
    if warning.ended_on is not None:
        raise ServiceRefused(MSG_ALREADY_ENDED)
    problems = person_warning_problems(user=actor.user, person=warning.person, fields=fields, current=warning)
    if problems:
        raise ValidationError(problems)
    changes = _cleaned(fields)
    manager = changes.get("agreed_with")
    if manager is not None and manager.pk != warning.agreed_with_id:
        changes["team_id"] = warning_agreement_team(person=warning.person, manager=manager)
    saved = versioned_update(
        actor=actor,
        instance=warning,
        expected_version=expected_version,
        changes=changes,
        detail="Warning changed",
    )
    _resolve_review_reminders(saved)
    return saved


def person_warning_end_problems(*, warning: PersonWarning, ended_on: datetime.date | None) -> dict:
    problems: dict[str, list[str]] = {}
    if ended_on and ended_on < warning.starts_on:
        problems["ended_on"] = [MSG_END_BEFORE_START]
    elif ended_on and ended_on > timezone.localdate():
        problems["ended_on"] = [MSG_END_FUTURE]
    return problems


@transaction.atomic
def person_warning_end(
    *, actor: Actor, warning: PersonWarning, expected_version: int, ended_on: datetime.date, end_reason: str
) -> PersonWarning:
    """End the warning: it leaves the pages' warnings and stays in its history, never deleted."""
    if warning.ended_on is not None:
        raise ServiceRefused(MSG_ALREADY_ENDED)
    problems = person_warning_end_problems(warning=warning, ended_on=ended_on)
    if problems:
        raise ValidationError(problems)
    saved = versioned_update(
        actor=actor,
        instance=warning,
        expected_version=expected_version,
        changes={"ended_on": ended_on, "end_reason": end_reason, "ended_by": actor.user},
        detail="Warning ended",
    )
    _resolve_review_reminders(saved)
    return saved


def _resolve_review_reminders(warning: PersonWarning) -> int:
    """The open review reminders about this warning no longer due with their date: all of them once it has
    ended, else those for another review date than the one it has now."""
    open_reminders = Reminder.objects.filter(
        rule=DriftRule.WARNING_REVIEW, object_id=warning.pk, status=Reminder.Status.OPEN
    )
    if warning.ended_on is None:
        open_reminders = open_reminders.exclude(due_on=warning.review_on)
    return open_reminders.update(status=Reminder.Status.RESOLVED, resolved_at=timezone.now())
