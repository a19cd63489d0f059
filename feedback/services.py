"""Writes for My Safeguarding Experience: create-or-update of Part 1, Part 2 and the organisation's
perspective (versioned, so a second save from the same version is refused), the follow-up plan action that
"further work needed" creates, and what the closure gate still needs from this area."""

import datetime
from typing import Any

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.services.completeness import ClosureProblem
from enquiries.services.drift import drift_resolve_cleared
from enquiries.services.plans import plan_action_add
from enquiries.services.records import ensure_record_writable
from msp_cases import oversight
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError, versioned_update
from msp_cases.core.exceptions import NotPermitted

from .models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective

# Follow-up work to help the person recover is due within four weeks unless the plan says otherwise.
FURTHER_WORK_DUE_DAYS = 28
NOT_APPROACHED_FIELDS = ("approached", "not_approached_reason", "not_approached_note")


def _create_or_update(
    *,
    actor: Actor,
    model: type[models.Model],
    enquiry: Enquiry,
    expected_version: int | None,
    changes: dict[str, Any],
    creator_field: str,
    detail: str,
) -> models.Model:
    """One record per enquiry. `expected_version` None means the form was loaded when there was none: if
    someone created it in between, that is a conflict like any other, never a second record."""
    ensure_record_writable(enquiry)  # reads the stage on the locked row, not the caller's copy
    # Serialise creates for this enquiry: the enquiry row is the lock.
    Enquiry.objects.select_for_update().filter(pk=enquiry.pk).values_list("pk").first()
    existing = model._default_manager.filter(enquiry=enquiry).first()
    if expected_version is None:
        if existing is not None:
            raise ConcurrentEditError(current=existing)
        obj = model(enquiry=enquiry, **{creator_field: actor.user}, **changes)
        obj.full_clean()
        obj.save()
        access_record(actor=actor, obj=obj, action=AccessEvent.Action.CREATE, detail=detail)
        return obj
    if existing is None:  # deleted meanwhile (only through the admin): start again
        raise ConcurrentEditError(current=model(enquiry=enquiry, version=0))
    return versioned_update(
        actor=actor, instance=existing, expected_version=expected_version, changes=changes, detail=detail
    )


@transaction.atomic
def experience_part1_save(
    *, actor: Actor, enquiry: Enquiry, expected_version: int | None, changes: dict[str, Any]
) -> ExperienceFeedbackPart1:
    return _create_or_update(
        actor=actor,
        model=ExperienceFeedbackPart1,
        enquiry=enquiry,
        expected_version=expected_version,
        changes=changes,
        creator_field="created_by",
        detail="My Safeguarding Experience Part 1",
    )


@transaction.atomic
def experience_part2_save(
    *,
    actor: Actor,
    enquiry: Enquiry,
    expected_version: int | None,
    changes: dict[str, Any],
    manager_agrees: bool = False,
) -> ExperienceFeedbackPart2:
    """Part 2 at conclusion. Not approaching the person is the worker's decision (recorded as `decided_by`)
    agreed by a manager with sign-off permission in the team; changing that decision withdraws an earlier
    agreement. Further work to help them recover adds a follow-up action to the safeguarding plan, once."""
    changes = dict(changes)
    user = actor.user
    if manager_agrees and not oversight.is_team_manager(user, enquiry):
        raise NotPermitted("Only a manager in the enquiry's team can agree not to approach the person")
    current = ExperienceFeedbackPart2.objects.filter(enquiry=enquiry).first()
    if changes.get("approached"):
        changes.update(
            not_approached_reason="",
            not_approached_note="",
            decided_by=None,
            manager_agreed_by=None,
            manager_agreed_at=None,
            best_interests_answered=None,
            best_interests_who="",
        )
    else:
        decision_changed = current is None or any(
            getattr(current, name) != changes.get(name) for name in NOT_APPROACHED_FIELDS
        )
        if decision_changed:
            changes["decided_by"] = user
            changes["manager_agreed_by"] = None
            changes["manager_agreed_at"] = None
        if manager_agrees:
            changes["manager_agreed_by"] = user
            changes["manager_agreed_at"] = timezone.now()
    answered = changes.get("approached") or changes.get("best_interests_answered")
    if not answered:
        for name in (
            "listened",
            "informed",
            "safer",
            "concerns_dealt_with",
            "answered_by",
        ):
            changes[name] = ""
        changes["further_work_needed"] = None
    if (
        changes.get("further_work_needed")
        and changes.get("further_work")
        and (current is None or current.further_work_action_id is None)
    ):
        changes["further_work_action"] = plan_action_add(
            actor=actor,
            enquiry=enquiry,
            what=f"Further work to help the person recover: {changes['further_work']}",
            who=str(enquiry.lead_practitioner) if enquiry.lead_practitioner_id else "Lead practitioner",
            due_on=timezone.localdate() + datetime.timedelta(days=FURTHER_WORK_DUE_DAYS),
            agreed_with_person=bool(changes.get("approached")),
        )
    part2 = _create_or_update(
        actor=actor,
        model=ExperienceFeedbackPart2,
        enquiry=enquiry,
        expected_version=expected_version,
        changes=changes,
        creator_field="created_by",
        detail="My Safeguarding Experience Part 2",
    )
    drift_resolve_cleared(enquiry=enquiry)  # "Part 2 outstanding" clears now, not at the next scan
    return part2


@transaction.atomic
def organisation_perspective_save(
    *, actor: Actor, enquiry: Enquiry, expected_version: int | None, changes: dict[str, Any]
) -> OrganisationPerspective:
    if not oversight.is_team_manager(actor.user, enquiry):
        raise NotPermitted("Only a manager in the enquiry's team records the organisation's perspective")
    return _create_or_update(
        actor=actor,
        model=OrganisationPerspective,
        enquiry=enquiry,
        expected_version=expected_version,
        changes=changes,
        creator_field="recorded_by",
        detail="Organisation's perspective",
    )


def closure_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """What My Safeguarding Experience still needs before the enquiry can close (one query)."""
    url = reverse("feedback:part2_edit", args=[enquiry.pk])
    part2 = ExperienceFeedbackPart2.objects.filter(enquiry_id=enquiry.pk).first()
    if part2 is None:
        return [
            ClosureProblem(
                "Record My Safeguarding Experience Part 2, or why the person was not approached", url
            )
        ]
    if not part2.approached and part2.manager_agreed_by_id is None:
        return [
            ClosureProblem("A manager must agree that the person should not be approached for Part 2", url)
        ]
    return []


# The perspective page returns to the sign-off page, where it was asked for, when its address says so.
FROM_SIGN_OFF = "from=sign-off"


def perspective_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """What the signing-off manager must record before approving the closure: the organisation's perspective
    (one query). The link brings them back to the sign-off page once it is saved."""
    if OrganisationPerspective.objects.filter(enquiry_id=enquiry.pk).exists():
        return []
    url = reverse("feedback:organisation_perspective", args=[enquiry.pk])
    return [ClosureProblem("Record the organisation’s perspective", f"{url}?{FROM_SIGN_OFF}")]
