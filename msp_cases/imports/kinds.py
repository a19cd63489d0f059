"""Each record type of the extract made into the service's record, checked by the service's own rules: the
concern service's `concern_problems` and `decision_problems`, the conversation log's
`conversation_rule_errors`, the person's date rules, the SAC rules of the closure gate and each model's own
`full_clean()`. Nothing here writes: `build_*` returns an unsaved record (and what goes with it) or the
problems, by column."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry, Person, SafeguardingConcern
from enquiries.models.choices import ActionResult, LacksCapacity, OutcomesAsked
from enquiries.services.completeness import sac_rules
from enquiries.services.concerns import MSG_RISK_TYPES, MSG_TEAM, concern_problems, decision_problems
from enquiries.services.conversations import (
    AGAINST_WISHES_FIELDS,
    CONTENT_FIELDS,
    conversation_earliest,
    conversation_rule_errors,
)
from enquiries.services.derived import ENQUIRY_TYPE_FOR_DECISION
from enquiries.services.providers import alleged_harm_cleaned, alleged_harm_problems
from enquiries.validators import (
    normalise_nhs_number,
    normalise_phone,
    validate_date_of_birth,
    validate_date_of_death,
    validate_nhs_number,
)
from outcomes.models import DesiredOutcome

from .columns import COLUMNS, CONCERN, CONVERSATION, ENQUIRY, OUTCOME, PERSON

Decision = SafeguardingConcern.Decision
# Each model field's column, where the two are named differently.
FIELD_COLUMNS = {"is_restricted": "restricted", "alleged_provider": "alleged_harm_by", "__all__": ""}
MSG_NAMED = next(
    c for c in Person._meta.constraints if c.name == "person_named_or_described"
).violation_error_message


@dataclass
class Built:
    """An unsaved record made from a row, and what is saved with it."""

    record: object
    risk_types: list[str] | None = None  # codes, for concerns and enquiries
    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, column: str, message: str) -> None:
        self.problems.setdefault(column, []).append(str(message))

    def merge(self, problems: dict, column_for=None) -> None:
        for name, messages in problems.items():
            column = (column_for or {}).get(name, FIELD_COLUMNS.get(name, name))
            for message in messages:
                self.add(column, message)

    def clean(self, exclude: list[str]) -> None:
        """The model's own field checks (lengths, choices, formats); the import checks foreign keys."""
        try:
            self.record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.merge(error.message_dict)


def fields_of(kind: str, values: dict) -> dict:
    return {c.field_name: values[c.name] for c in COLUMNS[kind] if c.field_name}


def _not_future(built: Built, column: str, when, now: datetime.datetime) -> None:
    day = when if isinstance(when, datetime.date) and not isinstance(when, datetime.datetime) else None
    if (day is not None and day > timezone.localdate(now)) or (
        day is None and when is not None and when > now
    ):
        built.add(column, f"The {column.replace('_', ' ')} must be now or in the past")


def build_person(values: dict, *, user) -> Built:
    fields = fields_of(PERSON, values)
    for name in ("has_autism", "has_aspergers", "needs_interpreter", "is_restricted"):
        fields[name] = bool(fields[name])
    fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"])
    person = Person(**fields, created_by=user)
    person.phone_digits = normalise_phone(person.phone)
    built = Built(person)
    for column, check in (
        ("date_of_birth", lambda: validate_date_of_birth(person.date_of_birth)),
        (
            "date_of_death",
            lambda: validate_date_of_death(person.date_of_death, date_of_birth=person.date_of_birth),
        ),
        ("nhs_number", lambda: person.nhs_number and validate_nhs_number(person.nhs_number)),
    ):
        try:
            check()
        except ValidationError as error:
            for message in error.messages:
                built.add(column, message)
    if not (person.given_name and person.family_name) and not person.description:
        built.add("given_name", MSG_NAMED)
    built.clean(exclude=["created_by", "restricted_to"])
    return built


def build_concern(values: dict, *, user, person, team, now) -> Built:
    fields = fields_of(CONCERN, values)
    risk_types = fields.pop("risk_types")
    decision = fields.pop("decision") or Decision.PENDING
    decision_fields = {
        name: fields.pop(name)
        for name in (
            "decided_at",
            "criteria_care_needs",
            "criteria_abuse_or_neglect",
            "criteria_unable_to_protect",
            "decision_rationale",
            "decision_person_involvement",
            "no_further_action_response",
        )
    }
    fields["referrer_anonymous"] = bool(fields["referrer_anonymous"])
    fields["team"] = team
    concern = SafeguardingConcern(person=person, recorded_by=user, decision=decision)
    built = Built(concern, risk_types=risk_types)
    if team is None:
        built.add("team", "There is no active team of this name in the service")
    # The concern form's rules, but for the team: the import names any active team (checked above), where a
    # practitioner may only choose their own.
    rules = concern_problems(user=user, fields=fields | {"team": None, "allocated_to": None})
    rules["team"] = [message for message in rules.get("team", []) if message != MSG_TEAM]
    built.merge({name: messages for name, messages in rules.items() if messages})
    if fields.get("alleged_harm_by") == "care_provider":
        built.merge(alleged_harm_problems(fields))
    fields = alleged_harm_cleaned(fields)
    fields.pop("alleged_provider", None)
    for name, value in fields.items():
        setattr(concern, name, value)
    _decision(built, decision, decision_fields, risk_types=risk_types, now=now, user=user)
    built.clean(exclude=["person", "team", "recorded_by", "decided_by", "allocated_to", "alleged_provider"])
    return built


def _decision(built: Built, decision: str, fields: dict, *, risk_types, now, user) -> None:
    concern = built.record
    if decision == Decision.PENDING:
        given = [name for name, value in fields.items() if value not in (None, "")]
        if given:
            built.add("decision", f"Enter the decision: {given[0].replace('_', ' ')} is given without one")
        return
    decided_at = fields["decided_at"]
    if decided_at is None:
        built.add("decided_at", "Enter when the decision was made")
        decided_at = now
    _not_future(built, "decided_at", decided_at, now)
    criteria = (
        fields["criteria_care_needs"],
        fields["criteria_abuse_or_neglect"],
        fields["criteria_unable_to_protect"],
    )
    opens_enquiry = decision in ENQUIRY_TYPE_FOR_DECISION
    if opens_enquiry and not risk_types:
        built.add("risk_types", MSG_RISK_TYPES)
    problems = decision_problems(
        concern=concern,
        decision=decision,
        criteria=criteria,
        rationale=fields["decision_rationale"],
        no_further_action_response=fields["no_further_action_response"],
        lead_practitioner=None,
        decided_at=decided_at,
        # Given, or already reported above: an unsaved concern has no risk types of its own to look at.
        risk_types=risk_types or [None],
        risk_location=concern.risk_location,
        risk_source=concern.risk_source,
    )
    problems.pop("risk_types", None)
    if concern.received_at is None:
        problems.pop("__all__", None)
    built.merge(problems, column_for={"__all__": "decided_at"})
    for name, value in fields.items():
        setattr(concern, name, value)
    concern.decision = decision
    concern.decided_at = decided_at
    concern.decided_by = user
    if opens_enquiry:
        concern.no_further_action_response = ""


def build_enquiry(
    values: dict, *, concern, concern_risk_types: list[str], lead, lead_in_team: bool, now
) -> Built:
    fields = fields_of(ENQUIRY, values)
    risk_types = fields.pop("risk_types") or list(concern_risk_types)
    enquiry_type = ENQUIRY_TYPE_FOR_DECISION.get(concern.decision)
    status = fields.pop("status") or Enquiry.Status.OPEN
    enquiry = Enquiry(
        person=concern.person,
        concern=concern,
        team=concern.team,
        enquiry_type=enquiry_type or Enquiry.Type.SECTION_42,
        status=status,
        lead_practitioner=lead,
        **{name: value for name, value in fields.items() if value not in (None, "")},
    )
    enquiry.risk_location = enquiry.risk_location or concern.risk_location
    enquiry.risk_source = enquiry.risk_source or concern.risk_source
    enquiry.lacks_capacity = enquiry.lacks_capacity or LacksCapacity.NOT_RECORDED
    enquiry.outcomes_asked = enquiry.outcomes_asked or OutcomesAsked.NOT_RECORDED
    enquiry.last_reviewed_at = enquiry.opened_at
    built = Built(enquiry, risk_types=risk_types)
    if enquiry_type is None:
        built.add(
            "concern_external_id",
            f"The concern's decision ({concern.get_decision_display()}) does not open an enquiry: "
            "record a section 42 or other enquiry decision on the concern",
        )
    if values["lead_practitioner_email"] and (lead is None or not lead_in_team):
        built.add("lead_practitioner_email", "Enter the email of an active member of the concern's team")
    if enquiry.opened_at is not None:
        _not_future(built, "opened_at", enquiry.opened_at, now)
        if concern.received_at and enquiry.opened_at.date() < timezone.localtime(concern.received_at).date():
            built.add("opened_at", "The enquiry cannot start before its concern was received")
    if status == Enquiry.Status.PROPOSED_FOR_CLOSURE:
        built.add("status", "Import it as in progress: a closure is proposed in the service, for sign-off")
    if status == Enquiry.Status.CLOSED:
        _closure(built, now)
    elif enquiry.closed_at is not None:
        built.add("closed_at", "Leave the closure date empty, or give the status as closed")
    built.clean(exclude=["person", "concern", "team", "lead_practitioner"])
    return built


def _closure(built: Built, now) -> None:
    """A closed enquiry as the closure gate leaves one: its date, and every answer the SAC counts at
    conclusion (enquiries.services.completeness), so an imported enquiry is not on the data-quality list."""
    enquiry = built.record
    if enquiry.closed_at is None:
        built.add("closed_at", "Enter when the closure was signed off")
    else:
        _not_future(built, "closed_at", enquiry.closed_at, now)
        if enquiry.opened_at and enquiry.closed_at < enquiry.opened_at:
            built.add("closed_at", "The enquiry cannot close before it started")
        enquiry.conclusion_recorded_at = enquiry.closed_at
    for rule in sac_rules():
        if rule.id == "sg2a_risk_type":
            failed = not built.risk_types
        else:
            try:
                failed = rule.fails(enquiry)
            except ValueError:  # a rule about records saved with the enquiry (its desired outcomes)
                continue
        if failed:
            built.add(rule.field or "status", rule.message)
    if enquiry.action_result != ActionResult.RISK_ACTION and enquiry.risk_outcome:
        built.add(
            "risk_outcome",
            "Remove the risk outcome: it is only recorded when risk was identified and action taken",
        )
    if not enquiry.closure_summary.strip():
        built.add("closure_summary", "Write the closure summary to the person")


def build_conversation(values: dict, *, user, enquiry, concern, now) -> Built:
    fields = fields_of(CONVERSATION, values)
    for name in ("with_person", "with_representative", "with_advocate", "with_family", "with_professional"):
        fields[name] = bool(fields[name])
    fields["decision_made_by"] = fields["decision_made_by"] or "no_decision"
    parent = enquiry or concern
    log = ConversationLog(
        person=parent.person if parent is not None else None,
        enquiry=enquiry,
        concern=concern,
        recorded_by=user,
    )
    for name, value in fields.items():
        setattr(log, name, value)
    if log.decision_made_by != "against_wishes":
        for name in AGAINST_WISHES_FIELDS:
            setattr(log, name, "")
    built = Built(log)
    content = {name: getattr(log, name) for name in CONTENT_FIELDS}
    earliest = conversation_earliest(enquiry=enquiry, concern=concern) if parent is not None else None
    # The next contact agreed then is history now: kept as recorded, as an amendment keeps one already there.
    built.merge(
        conversation_rule_errors(
            values=content, earliest=earliest, now=now, unchanged_next_contact=log.next_contact_on
        ),
        column_for={"__all__": "occurred_at"},
    )
    built.clean(exclude=["person", "enquiry", "concern", "recorded_by", "amends"])
    return built


def build_outcome(values: dict, *, user, enquiry, now) -> Built:
    fields = fields_of(OUTCOME, values)
    fields["status"] = fields["status"] or DesiredOutcome.Status.ACTIVE
    outcome = DesiredOutcome(enquiry=enquiry, created_by=user, **fields)
    if outcome.achievement:
        outcome.achievement_recorded_by = user
        outcome.achievement_recorded_at = (enquiry.closed_at if enquiry is not None else None) or now
    built = Built(outcome)
    _not_future(built, "expressed_on", outcome.expressed_on, now)
    built.clean(exclude=["enquiry", "created_by", "conversation", "achievement_recorded_by"])
    return built
