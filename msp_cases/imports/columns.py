"""The extract's columns, defined once: what each record type takes, which are required, what values each
allows, and how a value is read. docs/import.md lists the same (a test compares them), and the validation
reads from here, so the two never disagree.

Coded values are the service's own choices (enquiries/models/choices.py, outcomes/models.py): a row may give
the code ("female") or the label, which for the SAC's categories is the SAC's label verbatim ("Female",
"Financial or Material Abuse"), in any case."""

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from enquiries.models import Enquiry, SafeguardingConcern
from enquiries.models.choices import (
    ActionResult,
    AllegedHarmBy,
    CapacitySupport,
    ConversationMethod,
    DecisionMadeBy,
    Ethnicity,
    Gender,
    LacksCapacity,
    OutcomesAsked,
    PrimarySupportReason,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
    YesNoUnknown,
)
from msp_cases.core.text import has_visible_text
from outcomes.models import Achievement, DesiredOutcome, ExpressedBy

PERSON, CONCERN, ENQUIRY, CONVERSATION, OUTCOME = "person", "concern", "enquiry", "conversation", "outcome"
# In the order a batch writes them: every record after the records it refers to.
KINDS = (PERSON, CONCERN, ENQUIRY, CONVERSATION, OUTCOME)

TEXT, DATE, DATETIME, YES_NO, CHOICE, CHOICES, REFERENCE, TEAM, EMAIL, NUMBER = (
    "text",
    "date",
    "date and time",
    "yes or no",
    "one of",
    "any of, separated by ;",
    "external id",
    "team name",
    "email address",
    "whole number",
)

MAX_VALUE = 20_000  # characters: longer than any field of the service, and a sign of a broken extract


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    choices: type[models.TextChoices] | None = None
    # The model field it fills (default: the column's name); "" for a column read by the import itself.
    field: str | None = None
    about: str = ""

    @property
    def field_name(self) -> str:
        return self.name if self.field is None else self.field


def _text(name: str, required: bool = False, about: str = "") -> Column:
    return Column(name, TEXT, required=required, about=about)


COMMON = [
    Column(
        "record_type",
        TEXT,
        required=True,
        field="",
        about="person, concern, enquiry, conversation or outcome",
    ),
    Column(
        "external_id",
        TEXT,
        required=True,
        field="",
        about="The record's id in the earlier system, unique per type",
    ),
]

COLUMNS: dict[str, list[Column]] = {
    PERSON: [
        _text("given_name", about="Both names, or a description"),
        _text("family_name"),
        _text("description", about="Who they are, if their name is not known"),
        _text("other_names", about="One per line"),
        _text("preferred_name"),
        _text("pronouns"),
        Column("date_of_birth", DATE, about="An adult: 18 or over, born after 1900"),
        Column("date_of_death", DATE),
        Column("gender", CHOICE, required=True, choices=Gender, about="SAC SG1b"),
        Column("ethnicity", CHOICE, required=True, choices=Ethnicity, about="SAC SG1c"),
        Column(
            "primary_support_reason", CHOICE, required=True, choices=PrimarySupportReason, about="SAC SG1d"
        ),
        Column("has_autism", YES_NO, about="SG1e autism (excluding Asperger's); empty is no"),
        Column("has_aspergers", YES_NO, about="SG1e Asperger's / high functioning autism; empty is no"),
        _text("address"),
        _text("postcode"),
        _text("nhs_number", about="Ten digits, checked as the service checks them"),
        _text("local_identifier", about="Unique in the service"),
        _text("phone"),
        Column("email", EMAIL),
        _text("preferred_language"),
        Column("needs_interpreter", YES_NO),
        Column(
            "restricted", YES_NO, field="is_restricted", about="Yes: only unit leads and the importer see it"
        ),
    ],
    CONCERN: [
        Column("person_external_id", REFERENCE, required=True, field="", about="The person's external_id"),
        Column("team", TEAM, required=True, about="The name of a team in the service"),
        Column("received_at", DATETIME, required=True, about="When it was received: counts in the SAC by it"),
        _text("summary", required=True, about="What happened, in the referrer's words"),
        Column("referrer_anonymous", YES_NO),
        _text("referrer_name"),
        _text("referrer_role"),
        _text("referrer_organisation"),
        _text("referrer_relationship"),
        _text("referrer_contact"),
        Column("risk_types", CHOICES, choices=RiskType, about="SAC SG2a"),
        Column("risk_location", CHOICE, choices=RiskLocation, about="SAC SG2b"),
        Column("risk_source", CHOICE, choices=RiskSource, about="SAC SG2a and SG2b columns"),
        _text("immediate_actions"),
        Column("person_aware", CHOICE, choices=YesNoUnknown),
        _text("person_initial_views"),
        Column(
            "alleged_harm_by",
            CHOICE,
            choices=AllegedHarmBy,
            about="A care provider cannot be named by an import: choose it in the service",
        ),
        _text("alleged_person_name"),
        _text("alleged_person_relationship"),
        Column("alleged_person_at_risk", CHOICE, choices=YesNoUnknown),
        Column("alleged_person_known_to_services", CHOICE, choices=YesNoUnknown),
        Column(
            "decision",
            CHOICE,
            choices=SafeguardingConcern.Decision,
            about="Empty is awaiting a decision; the rest below are then left empty",
        ),
        Column("decided_at", DATETIME),
        Column("criteria_care_needs", YES_NO),
        Column("criteria_abuse_or_neglect", YES_NO),
        Column("criteria_unable_to_protect", YES_NO),
        _text("decision_rationale"),
        _text("decision_person_involvement"),
        _text("no_further_action_response"),
    ],
    ENQUIRY: [
        Column(
            "concern_external_id",
            REFERENCE,
            required=True,
            field="",
            about="The concern whose decision opened it: its type follows that decision",
        ),
        Column("opened_at", DATETIME, required=True, about="When it started: counts in the SAC by it"),
        Column("status", CHOICE, choices=Enquiry.Status, about="Empty is open; not proposed for closure"),
        Column("lead_practitioner_email", EMAIL, field="", about="A member of the concern's team"),
        Column("risk_types", CHOICES, choices=RiskType, about="SAC SG2a. Empty: the concern's"),
        Column("risk_location", CHOICE, choices=RiskLocation, about="SAC SG2b. Empty: the concern's"),
        Column("risk_source", CHOICE, choices=RiskSource, about="SAC SG2a/b columns. Empty: the concern's"),
        Column("lacks_capacity", CHOICE, choices=LacksCapacity, about="SAC SG3a"),
        _text("capacity_decision"),
        Column("capacity_assessed_on", DATE),
        _text("capacity_assessed_by"),
        Column("substantial_difficulty", CHOICE, choices=YesNoUnknown),
        Column(
            "capacity_support",
            CHOICE,
            choices=CapacitySupport,
            about="Where capacity lacking. SG3a counts the first four as support provided",
        ),
        Column("advocacy_referral_on", DATE),
        Column("outcomes_asked", CHOICE, choices=OutcomesAsked, about="SAC SG4a"),
        Column("outcomes_asked_on", DATE),
        Column("closed_at", DATETIME, about="When its closure was signed off: concluded in the SAC by it"),
        Column("action_result", CHOICE, choices=ActionResult, about="SAC SG2c"),
        Column(
            "risk_outcome",
            CHOICE,
            choices=RiskOutcome,
            about="SAC SG2e: only with risk identified and action taken",
        ),
        _text("closure_summary"),
    ],
    CONVERSATION: [
        Column("enquiry_external_id", REFERENCE, field="", about="The enquiry it belongs to; or a concern"),
        Column("concern_external_id", REFERENCE, field="", about="The concern, for one before any enquiry"),
        Column("occurred_at", DATETIME, required=True),
        Column("method", CHOICE, required=True, choices=ConversationMethod),
        Column("with_person", YES_NO),
        Column("with_representative", YES_NO),
        Column("with_advocate", YES_NO),
        Column("with_family", YES_NO),
        Column("with_professional", YES_NO),
        _text("others_present"),
        _text("location"),
        _text("what_matters"),
        _text("wants_to_happen"),
        _text("risks_discussed"),
        _text("persons_view_of_risks"),
        _text("options_discussed"),
        _text("decisions"),
        Column("decision_made_by", CHOICE, choices=DecisionMadeBy),
        _text("against_wishes_reason"),
        _text("others_at_risk"),
        _text("least_restrictive_reason"),
        Column("next_contact_on", DATE),
        _text("next_contact_how"),
    ],
    OUTCOME: [
        Column("enquiry_external_id", REFERENCE, required=True, field=""),
        _text("words", required=True, about="What the person wants to happen, in their own words"),
        Column("expressed_by", CHOICE, required=True, choices=ExpressedBy),
        Column("expressed_on", DATE, required=True),
        Column("priority", NUMBER),
        Column("status", CHOICE, choices=DesiredOutcome.Status, about="Empty is active"),
        _text("withdrawn_reason"),
        Column("withdrawn_on", DATE),
        Column(
            "achievement", CHOICE, choices=Achievement, about="SAC SG4a: at closure, as the person sees it"
        ),
        _text("person_comment"),
        Column("practitioner_view", CHOICE, choices=Achievement),
        _text("practitioner_comment"),
    ],
}

ALL_COLUMNS: list[str] = list(
    dict.fromkeys([c.name for c in COMMON] + [c.name for kind in KINDS for c in COLUMNS[kind]])
)

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
# Control characters other than tab, line feed and carriage return: never stored (msp_cases.core.text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
)


class BadValue(ValueError):
    """A value the column cannot take: the message says what is wrong, in the GOV.UK voice."""


def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[str(label).casefold()] = value
        table[value.casefold()] = value
    return table


_LOOKUPS: dict[type, dict[str, str]] = {}


def _choice(column: Column, raw: str) -> str:
    table = _LOOKUPS.get(column.choices)
    if table is None:
        table = _LOOKUPS[column.choices] = _lookup(column.choices)
    found = table.get(" ".join(raw.split()).casefold())
    if found is None:
        raise BadValue(f"Enter one of the values docs/import.md lists for {column.name}")
    return found


def _date(raw: str) -> datetime.date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise BadValue("Enter a real date, like 2025-04-01 or 01/04/2025")


def _datetime(raw: str) -> datetime.datetime:
    """A time in the service's time zone (UK time, summer time included); a date alone is its midnight."""
    for fmt in _DATETIME_FORMATS:
        try:
            naive = datetime.datetime.strptime(raw, fmt)
            break
        except ValueError:
            continue
    else:
        try:
            naive = datetime.datetime.combine(_date(raw), datetime.time.min)
        except BadValue:
            raise BadValue("Enter a real date and time, like 2025-04-01 09:30 or 2025-04-01") from None
    return timezone.make_aware(naive)


def read_value(column: Column, raw):
    """The value of `raw` (a string from the file; None or "" when empty) for `column`, or BadValue."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        # JSON lines may carry numbers and booleans; lists are risk types.
        if isinstance(raw, bool):
            raw = "yes" if raw else "no"
        elif isinstance(raw, list) and column.type == CHOICES:
            raw = ";".join(str(item) for item in raw)
        elif isinstance(raw, int | float):
            raw = str(raw)
        else:
            raise BadValue("Enter text, not a list or an object")
    if len(raw) > MAX_VALUE:
        raise BadValue(
            f"This value is {len(raw):,} characters long: the longest the import takes is {MAX_VALUE:,}"
        )
    if _CONTROL.search(raw):
        raise BadValue("Remove the control characters (such as NUL or escape) from this value")
    value = raw.strip()
    if value.startswith("="):
        # A spreadsheet would run it as a formula when the record is exported and opened.
        raise BadValue("A value cannot start with '=': a spreadsheet would run it as a formula")
    if not has_visible_text(value):
        value = ""
    if not value:
        if column.required:
            raise BadValue(f"Enter the {column.name.replace('_', ' ')}: it is required")
        return _empty(column)
    if column.type in (TEXT, REFERENCE, TEAM):
        return value
    if column.type == EMAIL:
        return value.lower()
    if column.type == DATE:
        return _date(value)
    if column.type == DATETIME:
        return _datetime(value)
    if column.type == YES_NO:
        answer = value.casefold()
        if answer in _YES:
            return True
        if answer in _NO:
            return False
        raise BadValue("Enter yes or no")
    if column.type == CHOICE:
        return _choice(column, value)
    if column.type == CHOICES:
        return list(dict.fromkeys(_choice(column, part) for part in value.split(";") if part.strip()))
    if column.type == NUMBER:
        if not value.isdigit() or len(value) > 4:
            raise BadValue("Enter a whole number, like 1")
        return int(value)
    raise AssertionError(column.type)


def _empty(column: Column):
    if column.type in (DATE, DATETIME, NUMBER):
        return None
    if column.type == YES_NO:
        return None
    if column.type == CHOICES:
        return []
    return ""
