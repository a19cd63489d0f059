"""Recording a safeguarding concern, changing it while it awaits a decision, and the section 42 decision.

The rules live here, as `concern_problems` and `decision_problems`: the forms call them so the user sees
every problem at once, and the services call them again so no other caller can get round them."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from msp_cases.accounts.models import Team, User
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import versioned_update
from msp_cases.core.events import CONCERN_DECIDED, RecordEvent, record_event

from ..models import Enquiry, RiskTypeOption, SafeguardingConcern
from ..models.choices import AllegedHarmBy, RiskSource
from ..selectors.concerns import teams_for_new_concern
from .derived import ENQUIRY_TYPE_FOR_DECISION
from .drift import drift_resolve_cleared
from .lifecycle import enquiry_open
from .providers import (
    ALLEGED_HARM_FIELDS,
    MSG_SOURCE_SERVICE_PROVIDER,
    alleged_harm_cleaned,
    alleged_harm_problems,
    alleged_provider_resolved,
)

Decision = SafeguardingConcern.Decision

# The fields a concern form edits (besides risk_types, a many-to-many).
CONCERN_FIELDS = (
    "team",
    "allocated_to",
    "received_at",
    "referrer_anonymous",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_relationship",
    "referrer_contact",
    "summary",
    "risk_location",
    "risk_source",
    "immediate_actions",
    "person_aware",
    "person_initial_views",
    *ALLEGED_HARM_FIELDS,
)
# Who the referrer is: empty when they asked to stay anonymous. Their relationship to the person
# ("a neighbour") is kept, because it tells the practitioner something without naming them.
REFERRER_IDENTITY_FIELDS = ("referrer_name", "referrer_role", "referrer_organisation", "referrer_contact")


MSG_RECEIVED_FUTURE = "The date and time the concern was received must be now or in the past"
MSG_TEAM = "Select one of your teams"
MSG_WORKER = "Select someone in the team the concern is for, or leave it unallocated"
MSG_ANONYMOUS = (
    "The referrer wants to stay anonymous, so leave their name, role, organisation and contact details "
    "empty. Choose ‘No’ if you know who they are"
)
MSG_SECTION_42_CRITERIA = (
    "A section 42 enquiry needs all three criteria to be met. "
    "Choose 'Other safeguarding enquiry' if they are not"
)
MSG_DECIDED_BEFORE_RECEIVED = "The decision cannot be recorded before the concern was received"
MSG_NFA_RESPONSE = "Enter the advice, signposting or other services offered"
MSG_RATIONALE = "Enter the reason for the decision"
MSG_LEAD = "Select a lead practitioner from the team the concern is for"
# An enquiry carries the concern's classification into the SAC (SG2a, SG2b, SG2a_b1): a concern recorded
# without it (from the front door, in the referrer's words) is classified when it is decided.
MSG_RISK_TYPES = "Select the types of risk"
MSG_RISK_LOCATION = "Select the location of risk"
MSG_RISK_SOURCE = "Select the source of risk"


class ConcernAlreadyDecided(Exception):
    """The concern has a decision: its details are fixed and it cannot be decided again."""

    def __init__(self, concern: SafeguardingConcern):
        super().__init__("This concern has already been decided")
        self.concern = concern


def concern_problems(
    *, user: User, fields: dict[str, Any], current: SafeguardingConcern | None = None
) -> dict[str, list[str]]:
    """What is wrong with these concern details, by model field name; empty when they may be saved.

    `current` is the concern being changed: its team and allocated worker may stay as they are (a concern
    allocated across teams for cover), but a new team must be one of the user's and a new worker must be
    in the concern's team."""
    problems: dict[str, list[str]] = {}
    received_at = fields.get("received_at")
    if received_at and received_at > timezone.now():
        problems.setdefault("received_at", []).append(MSG_RECEIVED_FUTURE)
    team = fields.get("team")
    team_kept = current is not None and team is not None and team.pk == current.team_id
    if team is None or (not team_kept and not teams_for_new_concern(user=user).filter(pk=team.pk).exists()):
        problems.setdefault("team", []).append(MSG_TEAM)
    worker = fields.get("allocated_to")
    worker_kept = (
        current is not None and team_kept and worker is not None and worker.pk == current.allocated_to_id
    )
    if (
        worker is not None
        and team is not None
        and not worker_kept
        and not worker.teams.filter(pk=team.pk).exists()
    ):
        problems.setdefault("allocated_to", []).append(MSG_WORKER)
    if fields.get("referrer_anonymous") and any(fields.get(name) for name in REFERRER_IDENTITY_FIELDS):
        problems.setdefault("referrer_anonymous", []).append(MSG_ANONYMOUS)
    if not (fields.get("summary") or "").strip():
        problems.setdefault("summary", []).append("Enter what happened, in the referrer’s words")
    for name, messages in alleged_harm_problems(alleged_harm_cleaned(fields)).items():
        problems.setdefault(name, []).extend(messages)
    return problems


def _raise_if(problems: dict[str, list[str]]) -> None:
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def concern_record(
    *,
    actor: Actor,
    person,
    team: Team,
    received_at: datetime,
    summary: str,
    risk_types: Iterable[RiskTypeOption] = (),
    allocated_to: User | None = None,
    referrer_anonymous: bool = False,
    referrer_name: str = "",
    referrer_role: str = "",
    referrer_organisation: str = "",
    referrer_relationship: str = "",
    referrer_contact: str = "",
    risk_location: str = "",
    risk_source: str = "",
    immediate_actions: str = "",
    person_aware: str = "",
    person_initial_views: str = "",
    **alleged_harm: Any,
) -> SafeguardingConcern:
    """Record a new concern about `person`, awaiting a decision. The caller has checked the user may see
    the person; the team must be one of the user's own. `alleged_harm`: who is alleged to have caused harm,
    the fields of `providers.ALLEGED_HARM_FIELDS` (`alleged_provider` may be a `NewCareProvider`, recorded
    with the concern)."""
    unknown = set(alleged_harm) - set(ALLEGED_HARM_FIELDS)
    if unknown:
        raise TypeError(f"Not alleged-harm fields: {sorted(unknown)}")
    fields = {
        "team": team,
        "allocated_to": allocated_to,
        "received_at": received_at,
        "referrer_anonymous": referrer_anonymous,
        "referrer_name": referrer_name,
        "referrer_role": referrer_role,
        "referrer_organisation": referrer_organisation,
        "referrer_relationship": referrer_relationship,
        "referrer_contact": referrer_contact,
        "summary": summary,
        "risk_location": risk_location,
        "risk_source": risk_source,
        "immediate_actions": immediate_actions,
        "person_aware": person_aware,
        "person_initial_views": person_initial_views,
        **alleged_harm,
    }
    _raise_if(concern_problems(user=actor.user, fields=fields))
    fields = alleged_provider_resolved(actor=actor, fields=alleged_harm_cleaned(fields))
    concern = SafeguardingConcern(person=person, recorded_by=actor.user, **fields)
    concern.full_clean()
    concern.save()
    concern.risk_types.set(risk_types)
    access_record(
        actor=actor, obj=concern, action=AccessEvent.Action.CREATE, detail="Safeguarding concern recorded"
    )
    return concern


@transaction.atomic
def concern_update(
    *,
    actor: Actor,
    concern: SafeguardingConcern,
    expected_version: int,
    changes: dict[str, Any],
    risk_types: Iterable[RiskTypeOption],
) -> SafeguardingConcern:
    """Change a concern's details while it awaits a decision. Refused once decided (ConcernAlreadyDecided)
    or if someone else saved since `expected_version` (ConcurrentEditError)."""
    unknown = set(changes) - set(CONCERN_FIELDS)
    if unknown:
        raise ValueError(f"Not concern fields: {sorted(unknown)}")
    locked = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.decision != Decision.PENDING:
        raise ConcernAlreadyDecided(locked)
    merged = {name: getattr(locked, name) for name in CONCERN_FIELDS} | changes
    _raise_if(concern_problems(user=actor.user, fields=merged, current=locked))
    if "alleged_harm_by" in changes:
        cleaned = alleged_provider_resolved(actor=actor, fields=alleged_harm_cleaned(merged))
        changes = changes | {name: cleaned[name] for name in (*ALLEGED_HARM_FIELDS, "risk_source")}
    return versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes=changes,
        m2m={"risk_types": list(risk_types)},
        detail="Safeguarding concern changed",
    )


def decision_problems(
    *,
    concern: SafeguardingConcern,
    decision: str,
    criteria: tuple[bool | None, bool | None, bool | None],
    rationale: str,
    no_further_action_response: str,
    lead_practitioner: User | None,
    decided_at: datetime,
    risk_types: Iterable[RiskTypeOption] | None = None,
    risk_location: str | None = None,
    risk_source: str | None = None,
) -> dict[str, list[str]]:
    """What is wrong with this decision, by model field name ("__all__" for the whole); empty when valid.

    `risk_types`, `risk_location`, `risk_source`: the classification given with the decision, None (or
    empty) to keep the concern's. A decision that opens an enquiry needs all three, given or already on the
    concern."""
    problems: dict[str, list[str]] = {}
    if decision in ENQUIRY_TYPE_FOR_DECISION:
        if not (list(risk_types or ()) or concern.risk_types.exists()):
            problems["risk_types"] = [MSG_RISK_TYPES]
        if not (risk_location or concern.risk_location):
            problems["risk_location"] = [MSG_RISK_LOCATION]
        if not (risk_source or concern.risk_source):
            problems["risk_source"] = [MSG_RISK_SOURCE]
    if (
        risk_source
        and concern.alleged_harm_by == AllegedHarmBy.CARE_PROVIDER
        and risk_source != RiskSource.SERVICE_PROVIDER
    ):
        problems["risk_source"] = [MSG_SOURCE_SERVICE_PROVIDER]
    if decision not in (Decision.SECTION_42, Decision.OTHER_ENQUIRY, Decision.NO_FURTHER_ACTION):
        problems["decision"] = ["Select the decision"]
    elif decision == Decision.SECTION_42 and not all(answer is True for answer in criteria):
        problems["decision"] = [MSG_SECTION_42_CRITERIA]
    questions = (
        ("criteria_care_needs", "Select yes if the person has needs for care and support"),
        (
            "criteria_abuse_or_neglect",
            "Select yes if the person is experiencing, or at risk of, abuse or neglect",
        ),
        (
            "criteria_unable_to_protect",
            "Select yes if, as a result of those needs, the person is unable to protect themselves",
        ),
    )
    for (name, message), answer in zip(questions, criteria, strict=True):
        if answer is None:
            problems[name] = [message]
    if not (rationale or "").strip():
        problems["decision_rationale"] = [MSG_RATIONALE]
    if decision == Decision.NO_FURTHER_ACTION and not (no_further_action_response or "").strip():
        problems["no_further_action_response"] = [MSG_NFA_RESPONSE]
    if (
        decision in ENQUIRY_TYPE_FOR_DECISION
        and lead_practitioner is not None
        and not lead_practitioner.teams.filter(pk=concern.team_id).exists()
    ):
        problems["lead_practitioner"] = [MSG_LEAD]
    if decided_at < concern.received_at:
        problems["__all__"] = [MSG_DECIDED_BEFORE_RECEIVED]
    return problems


@transaction.atomic
def concern_decide(
    *,
    actor: Actor,
    concern: SafeguardingConcern,
    expected_version: int,
    decision: str,
    criteria_care_needs: bool | None,
    criteria_abuse_or_neglect: bool | None,
    criteria_unable_to_protect: bool | None,
    decision_rationale: str,
    decision_person_involvement: str = "",
    no_further_action_response: str = "",
    lead_practitioner: User | None = None,
    risk_types: Iterable[RiskTypeOption] | None = None,
    risk_location: str | None = None,
    risk_source: str | None = None,
) -> Enquiry | None:
    """Record the decision on a concern, by the signed-in user, now. A section 42 or other enquiry is opened
    in the same transaction and returned; "no further safeguarding action" returns None. The classification
    given (types, location, source of risk) is saved on the concern first, so the enquiry carries it.

    The row is locked and its decision re-read first, so a double submit or two people deciding at once
    give one decision and one enquiry: the second is refused with ConcernAlreadyDecided."""
    locked = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if locked.decision != Decision.PENDING:
        raise ConcernAlreadyDecided(locked)
    now = timezone.now()
    criteria = (criteria_care_needs, criteria_abuse_or_neglect, criteria_unable_to_protect)
    _raise_if(
        decision_problems(
            concern=locked,
            decision=decision,
            criteria=criteria,
            rationale=decision_rationale,
            no_further_action_response=no_further_action_response,
            lead_practitioner=lead_practitioner,
            decided_at=now,
            risk_types=risk_types,
            risk_location=risk_location,
            risk_source=risk_source,
        )
    )
    opens_enquiry = decision in ENQUIRY_TYPE_FOR_DECISION
    given = (("risk_location", risk_location), ("risk_source", risk_source))
    classification = {name: value for name, value in given if value}
    risk_types = list(risk_types or ())
    decided = versioned_update(
        actor=actor,
        instance=locked,
        expected_version=expected_version,
        changes={
            "decision": decision,
            "criteria_care_needs": criteria_care_needs,
            "criteria_abuse_or_neglect": criteria_abuse_or_neglect,
            "criteria_unable_to_protect": criteria_unable_to_protect,
            "decision_rationale": decision_rationale,
            "decision_person_involvement": decision_person_involvement,
            # Advice and signposting belong to "no further safeguarding action" only.
            "no_further_action_response": "" if opens_enquiry else no_further_action_response,
            "decided_by": actor.user,
            "decided_at": now,
            **classification,
        },
        m2m={"risk_types": risk_types} if risk_types else None,
        detail="Decision on a safeguarding concern",
    )
    drift_resolve_cleared(concern=locked, now=now)
    enquiry = None
    if opens_enquiry:
        enquiry = enquiry_open(
            actor=actor,
            concern=decided,
            enquiry_type=ENQUIRY_TYPE_FOR_DECISION[decision],
            lead_practitioner=lead_practitioner,
        )
    record_event(
        RecordEvent(
            CONCERN_DECIDED,
            occurred_at=now,
            concern_id=decided.pk,
            enquiry_id=enquiry.pk if enquiry else None,
            code=decision,
        )
    )
    return enquiry
