"""Handing work between teams, and a second concern joining an open enquiry.

- `transfer_request`: ask for a concern (awaiting a decision) or an enquiry (not closed) to move to another
  team, with a reason. It stays with the sending team — their access, their dashboard — until accepted.
- `transfer_refer`: the duplicate check's dead end. A practitioner recording a person another team already
  holds sends the concern to that team instead. What is created is a *request carrying what they typed*, not
  a concern: a concern needs a person, and recording one here would mean either a second record of the same
  adult (the duplicate the check exists to prevent) or a concern on the other team's person, which would put
  that person in the sender's view (the access rule follows concerns). The receiving manager records the
  concern on their own person's record when they accept, through `concern_record`, so every rule of a
  concern applies; the sender learns only that another team holds the person.
- `transfer_accept`: the receiving team's manager takes it on and chooses who leads it, in one step.
- `transfer_decline`: the receiving team's manager says no, with a reason; the record stays where it was.
- `transfer_withdraw`: the sending side takes back a transfer still waiting.
- `concern_join_enquiry`: a second concern about a person with an open enquiry is added to that enquiry.

Each locks the rows it changes and re-checks its conditions on them (enquiries.transfer_rules answers for
the pages' buttons too), writes the record of access, and tells the people who must act (no case content in
notifications). One pending transfer per record is the database's unique constraint, not a check first."""

import dataclasses
import datetime
from collections.abc import Iterable

from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import ADD_CONCERN, ALLOCATE, EDIT_CASE
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError, versioned_update
from msp_cases.core.text import has_visible_text
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from ..models import (
    CareProvider,
    ConcernJoin,
    Enquiry,
    EnquiryEvent,
    RiskTypeOption,
    SafeguardingConcern,
    TeamTransfer,
)
from ..selectors.transfers import holding_team, receiving_workers, user_team_ids
from ..transfer_rules import (
    TransferNotPermitted,
    TransferRefused,
    transfer_decide_refusal,
    transfer_request_refusal,
    transfer_withdraw_refusal,
)
from .case_notifications import concern_allocated_notify, enquiry_allocated_notify
from .concerns import concern_record
from .derived import ENQUIRY_TYPE_FOR_DECISION
from .drift import drift_resolve_cleared
from .providers import NewCareProvider
from .records import ensure_record_writable

What = TeamTransfer.What
Status = TeamTransfer.Status

MSG_REASON = "Enter why it should move to this team"
MSG_TEAM = "Select the team to transfer it to"
MSG_ALREADY_PENDING = (
    "A transfer of this record is already waiting for the receiving team. Wait for their answer."
)
MSG_LEAD = "Select who will lead the work, from the receiving team"
MSG_DECLINE_REASON = "Enter why your team is declining the transfer"
MSG_JOIN_REASON = "Enter why this concern belongs to the enquiry"
MSG_NO_HOLDER = (
    "No other team holds a person with these details now. Record the person and the concern yourself, or ask "
    "your manager."
)


def _managers_of(team_id: int) -> list[int]:
    """The active managers who may accept work for a team (the dashboard's allocate permission)."""
    users = ModelBackend().with_perm(ALLOCATE, is_active=True).filter(teams=team_id)
    return list(users.values_list("pk", flat=True))


def _notify(user_ids: Iterable[int], message: str, transfer: TeamTransfer) -> None:
    url = reverse("enquiries:transfer_detail", args=[transfer.pk])
    notify(
        specs=[
            NotificationSpec(user_id=pk, kind=Notification.Kind.TRANSFER, message=message, url=url)
            for pk in dict.fromkeys(user_ids)
        ]
    )


def _create_pending(transfer: TeamTransfer) -> TeamTransfer:
    """Insert the request; a second pending one for the same record is refused by the unique constraint
    (a savepoint, so the caller's transaction carries on to show the refusal)."""
    transfer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:
        raise TransferRefused(MSG_ALREADY_PENDING) from exc
    return transfer


@transaction.atomic
def transfer_request(
    *,
    actor: Actor,
    to_team: Team | None,
    reason: str,
    concern: SafeguardingConcern | None = None,
    enquiry: Enquiry | None = None,
) -> TeamTransfer:
    """Ask for `concern` or `enquiry` (one of them) to move to `to_team`. The receiving team's managers are
    notified; the record stays with its team until one of them accepts."""
    if (concern is None) == (enquiry is None):
        raise ValueError("Transfer a concern or an enquiry")
    model = SafeguardingConcern if concern is not None else Enquiry
    locked = (
        model.objects.select_for_update(of=("self",)).select_related("person").get(pk=(concern or enquiry).pk)
    )
    ensure_record_writable(locked)
    refusal = transfer_request_refusal(user=actor.user, record=locked)
    if refusal is not None:
        raise refusal
    if to_team is None or not to_team.is_active or to_team.pk == locked.team_id:
        raise TransferRefused(MSG_TEAM, field="to_team")
    if not has_visible_text(reason):
        raise TransferRefused(MSG_REASON, field="reason")
    transfer = _create_pending(
        TeamTransfer(
            what=What.CONCERN if concern is not None else What.ENQUIRY,
            concern=locked if concern is not None else None,
            enquiry=locked if enquiry is not None else None,
            person=locked.person,
            from_team_id=locked.team_id,
            to_team=to_team,
            reason=reason.strip(),
            requested_by=actor.user,
            requested_at=timezone.now(),
        )
    )
    access_record(
        actor=actor, obj=locked, action=AccessEvent.Action.CHANGE, detail=f"Transfer to {to_team} requested"
    )
    _notify(_managers_of(to_team.pk), "A case is waiting for your team to accept or decline it", transfer)
    return transfer


def _referral_json(fields: dict) -> dict:
    """The concern's fields as the request keeps them: dates as ISO text, types of risk as codes, a care
    provider chosen from the list as its id and one typed in as what was typed (recorded on acceptance)."""
    kept = {}
    for name, value in fields.items():
        if name in ("team", "allocated_to"):
            continue
        if name == "risk_types":
            kept[name] = [r.code for r in value]
        elif name == "alleged_provider":
            if isinstance(value, CareProvider):
                kept[name] = {"pk": value.pk}
            elif isinstance(value, NewCareProvider):
                kept[name] = {"new": dataclasses.asdict(value)}
            else:
                kept[name] = None
        elif isinstance(value, datetime.datetime | datetime.date):
            kept[name] = value.isoformat()
        else:
            kept[name] = value
    return kept


def referral_concern_fields(transfer: TeamTransfer) -> dict:
    """The concern fields a referral carries, as `concern_record` takes them."""
    fields = dict(transfer.referral.get("concern", {}))
    fields["received_at"] = datetime.datetime.fromisoformat(fields["received_at"])
    fields["risk_types"] = list(RiskTypeOption.objects.filter(code__in=fields.get("risk_types", [])))
    provider = fields.get("alleged_provider") or {}
    if "pk" in provider:
        fields["alleged_provider"] = CareProvider.objects.filter(pk=provider["pk"]).first()
    elif "new" in provider:
        fields["alleged_provider"] = NewCareProvider(**provider["new"])
    elif "alleged_provider" in fields:
        fields["alleged_provider"] = None
    return fields


@transaction.atomic
def transfer_refer(*, actor: Actor, from_team: Team, identity: dict, fields: dict) -> TeamTransfer:
    """Send a concern about a person another team holds to that team, from the duplicate check. `identity`
    is what the sender typed about the person (given_name, family_name, date_of_birth, nhs_number); `fields`
    the concern as `concern_record` takes it. The holding team is found again here, never taken from the page.
    Returns the request; its `person` is never shown to the sender."""
    if from_team.pk not in user_team_ids(actor.user) or not actor.user.has_perm(ADD_CONCERN):
        raise TransferNotPermitted("You cannot send concerns for this team.")
    holder = holding_team(
        user=actor.user,
        given_name=identity.get("given_name", ""),
        family_name=identity.get("family_name", ""),
        date_of_birth=identity.get("date_of_birth"),
        nhs_number=identity.get("nhs_number", ""),
    )
    if holder is None:
        raise TransferRefused(MSG_NO_HOLDER)
    dob = identity.get("date_of_birth")
    transfer = _create_pending(
        TeamTransfer(
            what=What.REFERRAL,
            person=holder.person,
            from_team=from_team,
            to_team=holder.team,
            reason="The duplicate check found this person recorded by your team.",
            referral={
                "identity": {**identity, "date_of_birth": dob.isoformat() if dob else None},
                "concern": _referral_json(fields),
            },
            requested_by=actor.user,
            requested_at=timezone.now(),
        )
    )
    # On the person's record of access (unit staff read it), though the sender cannot open the person.
    access_record(
        actor=actor,
        obj=transfer,
        person=holder.person,
        action=AccessEvent.Action.CREATE,
        detail="Concern sent to the team that holds the person",
    )
    _notify(_managers_of(holder.team.pk), "A concern has been sent to your team to record", transfer)
    return transfer


def _lock_for_decision(*, actor: Actor, transfer: TeamTransfer) -> TeamTransfer:
    locked = (
        TeamTransfer.objects.select_for_update(of=("self",))
        .select_related("to_team", "from_team", "person")
        .get(pk=transfer.pk)
    )
    refusal = transfer_decide_refusal(user=actor.user, transfer=locked, team_ids=user_team_ids(actor.user))
    if refusal is not None:
        raise refusal
    return locked


@transaction.atomic
def transfer_accept(*, actor: Actor, transfer: TeamTransfer, lead_practitioner: User | None) -> TeamTransfer:
    """The receiving team takes the record on, led by `lead_practitioner` (an active member of the team): the
    concern or enquiry (and the concern an enquiry came from, while the sending team holds it) moves to the
    team; a referral becomes a concern on the team's own record of the person."""
    locked = _lock_for_decision(actor=actor, transfer=transfer)
    if (
        lead_practitioner is None
        or not receiving_workers(transfer=locked).filter(pk=lead_practitioner.pk).exists()
    ):
        raise TransferRefused(MSG_LEAD, field="lead_practitioner")
    now = timezone.now()
    note = f"Transferred from {locked.from_team} to {locked.to_team}: {locked.reason}"
    if locked.what == What.REFERRAL:
        fields = referral_concern_fields(locked)
        locked.concern = concern_record(
            actor=actor, person=locked.person, team=locked.to_team, allocated_to=lead_practitioner, **fields
        )
    elif locked.what == What.CONCERN:
        _move_concern(
            actor=actor, concern=locked.concern, transfer=locked, worker=lead_practitioner, pending_only=True
        )
    else:
        enquiry = Enquiry.objects.select_for_update(of=("self",)).get(pk=locked.enquiry_id)
        ensure_record_writable(enquiry)
        enquiry.team = locked.to_team
        enquiry.lead_practitioner = lead_practitioner
        enquiry.version += 1
        enquiry.full_clean()
        enquiry.save()
        # An allocation, as the dashboard's allocate records it: the chain of leads stays whole.
        EnquiryEvent.objects.create(
            enquiry=enquiry,
            kind=EnquiryEvent.Kind.ALLOCATED,
            occurred_at=now,
            by=actor.user,
            from_status=enquiry.status,
            to_status=enquiry.status,
            allocated_to=lead_practitioner,
            comment=note,
        )
        access_record(
            actor=actor, obj=enquiry, action=AccessEvent.Action.CHANGE, detail="Enquiry transferred"
        )
        drift_resolve_cleared(enquiry=enquiry, now=now)
        if enquiry.concern_id is not None:
            # The concern it came from goes with it, so the new team can open what its timeline links to.
            concern = SafeguardingConcern.objects.select_for_update().get(pk=enquiry.concern_id)
            if concern.team_id == locked.from_team_id:
                _move_concern(actor=actor, concern=concern, transfer=locked, worker=None, pending_only=False)
    locked.status = Status.ACCEPTED
    locked.decided_by = actor.user
    locked.decided_at = now
    locked.allocated_to = lead_practitioner
    locked.full_clean(validate_constraints=False)
    locked.save()
    _notify([locked.requested_by_id], "A transfer you asked for was accepted", locked)
    # Whoever the receiving manager chose is told, as any allocation tells them (case_notifications).
    if locked.what == What.ENQUIRY:
        enquiry_allocated_notify(actor_id=actor.user.pk, enquiry=enquiry)
    else:
        concern_allocated_notify(
            actor_id=actor.user.pk, concern=SafeguardingConcern.objects.get(pk=locked.concern_id)
        )
    return locked


def _move_concern(
    *,
    actor: Actor,
    concern: SafeguardingConcern,
    transfer: TeamTransfer,
    worker: User | None,
    pending_only: bool,
) -> None:
    locked = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    ensure_record_writable(locked)
    if pending_only and locked.decision != SafeguardingConcern.Decision.PENDING:
        raise TransferRefused(
            "A decision was recorded on this concern after the transfer was asked for. "
            "Decline this transfer; the sending team can transfer the enquiry instead."
        )
    locked.team = transfer.to_team
    if worker is not None or pending_only:
        locked.allocated_to = worker
    elif locked.allocated_to_id and not locked.allocated_to.teams.filter(pk=transfer.to_team_id).exists():
        locked.allocated_to = None
    locked.version += 1
    locked.full_clean()
    locked.save()
    access_record(actor=actor, obj=locked, action=AccessEvent.Action.CHANGE, detail="Concern transferred")


@transaction.atomic
def transfer_decline(*, actor: Actor, transfer: TeamTransfer, reason: str) -> TeamTransfer:
    """The receiving team says no, with a reason; the record stays with the sending team."""
    locked = _lock_for_decision(actor=actor, transfer=transfer)
    if not has_visible_text(reason):
        raise TransferRefused(MSG_DECLINE_REASON, field="decline_reason")
    locked.status = Status.DECLINED
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    locked.decline_reason = reason.strip()
    locked.full_clean(validate_constraints=False)
    locked.save()
    access_record(
        actor=actor,
        obj=locked,
        person=locked.person,
        action=AccessEvent.Action.CHANGE,
        detail=f"Transfer to {locked.to_team} declined",
    )
    _notify([locked.requested_by_id], "A transfer you asked for was declined", locked)
    return locked


@transaction.atomic
def transfer_withdraw(*, actor: Actor, transfer: TeamTransfer) -> TeamTransfer:
    """The sending side takes back a transfer still waiting (the wrong team, or no longer needed); the
    receiving team's managers are told it no longer waits for them."""
    locked = (
        TeamTransfer.objects.select_for_update(of=("self",)).select_related("to_team").get(pk=transfer.pk)
    )
    refusal = transfer_withdraw_refusal(user=actor.user, transfer=locked, team_ids=user_team_ids(actor.user))
    if refusal is not None:
        raise refusal
    locked.status = Status.WITHDRAWN
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    locked.full_clean(validate_constraints=False)
    locked.save()
    access_record(
        actor=actor,
        obj=locked,
        person=locked.person,
        action=AccessEvent.Action.CHANGE,
        detail=f"Transfer to {locked.to_team} withdrawn",
    )
    _notify(_managers_of(locked.to_team_id), "A transfer to your team was withdrawn", locked)
    return locked


@transaction.atomic
def concern_join_enquiry(
    *, actor: Actor, concern: SafeguardingConcern, enquiry: Enquiry, reason: str, expected_version: int
) -> ConcernJoin:
    """Add a concern awaiting a decision to an open enquiry about the same person, instead of deciding it
    into a second enquiry. The concern is decided as the enquiry's kind ("Section 42 enquiry" or "Other
    safeguarding enquiry"), by this user, now, with the reason as its rationale; it stays its own record, so
    SAC still counts it among concerns received, and no enquiry is opened, so none is counted twice."""
    locked_enquiry = Enquiry.objects.select_for_update(of=("self",)).get(pk=enquiry.pk)
    ensure_record_writable(locked_enquiry)
    locked = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if not (actor.user.has_perm(EDIT_CASE, locked) and actor.user.has_perm(EDIT_CASE, locked_enquiry)):
        raise TransferNotPermitted("You cannot add this concern to that enquiry.")
    if locked_enquiry.person_id != locked.person_id or locked_enquiry.concern_id == locked.pk:
        raise TransferRefused("Choose an open enquiry about the same person.", field="enquiry")
    if locked.decision != SafeguardingConcern.Decision.PENDING:
        raise TransferRefused("A decision has already been recorded on this concern.")
    if locked.version != expected_version:
        raise ConcurrentEditError(current=locked)
    if not has_visible_text(reason):
        raise TransferRefused(MSG_JOIN_REASON, field="reason")
    now = timezone.now()
    decision = next(d for d, kind in ENQUIRY_TYPE_FOR_DECISION.items() if kind == locked_enquiry.enquiry_type)
    versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes={
            "decision": decision,
            "decision_rationale": f"Added to enquiry {locked_enquiry.pk}: {reason.strip()}",
            "decided_by": actor.user,
            "decided_at": now,
        },
        detail=f"Concern added to enquiry {locked_enquiry.pk}",
    )
    try:
        with transaction.atomic():
            join = ConcernJoin.objects.create(
                concern=locked, enquiry=locked_enquiry, reason=reason.strip(), by=actor.user, joined_at=now
            )
    except IntegrityError as exc:
        raise TransferRefused("This concern has already been added to an enquiry.") from exc
    access_record(
        actor=actor, obj=locked_enquiry, action=AccessEvent.Action.CHANGE, detail="A second concern added"
    )
    drift_resolve_cleared(concern=locked, now=now)
    return join


__all__ = [
    "concern_join_enquiry",
    "referral_concern_fields",
    "transfer_accept",
    "transfer_decline",
    "transfer_refer",
    "transfer_request",
    "transfer_withdraw",
]
