"""What disposal removes, and how: every free-text field that can hold personal data (names, contact
details, what was said, notes), in the record and in each of its earlier versions (simple-history's rows),
and every file (documents, exported PDFs). What stays is what the statutory returns and the MSP measures
count: the records themselves, their dates, and their coded answers (choices, yes/no), so the SAC return of
any past year and the measures are the same after a disposal as before it (docs/retention.md).

A new free-text field on one of these models must be named here or in KEPT: tests/retention/test_removal.py
fails until it is, so a disposal never leaves a new kind of personal data behind unseen."""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from enquiries.models import (
    AgreedDateChange,
    ConcernJoin,
    ConversationLog,
    Enquiry,
    EnquiryEvent,
    ManagerReview,
    Meeting,
    NetworkMember,
    Person,
    PersonWarning,
    PlanAction,
    SafeguardingConcern,
    TeamTransfer,
)
from feedback.models import (
    CaseFileAudit,
    ExperienceFeedbackPart1,
    ExperienceFeedbackPart2,
    OrganisationPerspective,
)
from msp_cases.documents.models import Document
from msp_cases.exports.models import Export
from msp_cases.frontdoor.models import Referral, ReferralEvent
from msp_cases.reviews.models import ReviewIndividual
from msp_cases.subject_access.models import SubjectAccessRequest
from outcomes.models import DesiredOutcome, DesiredOutcomeRevision


@dataclass(frozen=True)
class Cleared:
    """The rows of `model` about the person (`of(person)`), and the fields emptied in each. `values` gives a
    field a value other than empty (the person's tombstone)."""

    model: type[models.Model]
    of: object  # person -> Q
    fields: tuple[str, ...]
    values: dict = field(default_factory=dict)
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or str(self.model._meta.verbose_name_plural).capitalize()


def _by(path: str):
    return lambda person: Q(**{path: person})


PERSON_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "preferred_name",
    "pronouns",
    "address",
    "postcode",
    "nhs_number",
    "local_identifier",
    "phone",
    "phone_digits",
    "email",
    "contact_through",
    "preferred_language",
    "other_communication_needs",
    "contact_preferences",
    "safe_contact",
)

CLEARED: tuple[Cleared, ...] = (
    Cleared(NetworkMember, _by("person"), ("name", "role", "agency", "contact", "notes")),
    Cleared(
        SafeguardingConcern,
        _by("person"),
        (
            "allocation_reason",
            "referrer_name",
            "referrer_role",
            "referrer_organisation",
            "referrer_relationship",
            "referrer_contact",
            "summary",
            "immediate_actions",
            "person_initial_views",
            "alleged_person_name",
            "alleged_person_relationship",
            "decision_rationale",
            "decision_person_involvement",
            "no_further_action_response",
        ),
    ),
    Cleared(
        Enquiry,
        _by("person"),
        ("capacity_decision", "capacity_assessed_by", "closure_summary", "next_contact_how"),
    ),
    Cleared(EnquiryEvent, _by("enquiry__person"), ("comment",), label="Enquiry events"),
    Cleared(PlanAction, _by("enquiry__person"), ("what", "who")),
    Cleared(Meeting, _by("enquiry__person"), ("attendees", "persons_views")),
    Cleared(ManagerReview, _by("enquiry__person"), ("note",)),
    Cleared(AgreedDateChange, _by("enquiry__person"), ("reason",)),
    Cleared(
        ConversationLog,
        _by("person"),
        (
            "others_present",
            "location",
            "what_matters",
            "wants_to_happen",
            "risks_discussed",
            "persons_view_of_risks",
            "options_discussed",
            "expectations_discussed",
            "decisions",
            "against_wishes_reason",
            "others_at_risk",
            "least_restrictive_reason",
            "next_contact_how",
            "reflection",
            "amendment_reason",
        ),
        label="Conversations",
    ),
    Cleared(TeamTransfer, _by("person"), ("reason", "referral", "decline_reason")),
    Cleared(ConcernJoin, _by("concern__person"), ("reason",)),
    Cleared(PersonWarning, _by("person"), ("what_to_do", "not_told_reason", "end_reason")),
    Cleared(
        DesiredOutcome,
        _by("enquiry__person"),
        (
            "words",
            "practitioner_note",
            "expectations_discussion",
            "withdrawn_reason",
            "person_comment",
            "practitioner_comment",
        ),
    ),
    Cleared(DesiredOutcomeRevision, _by("outcome__enquiry__person"), ("previous_words", "reason")),
    Cleared(
        ExperienceFeedbackPart1,
        _by("enquiry__person"),
        ("involvement", "informed_by", "who_involved", "who_not_told", "communication_support"),
    ),
    Cleared(
        ExperienceFeedbackPart2,
        _by("enquiry__person"),
        (
            "not_approached_note",
            "best_interests_who",
            "listened_comment",
            "informed_comment",
            "safer_comment",
            "concerns_dealt_with_comment",
            "questions_since",
            "further_work",
            "reflections",
        ),
    ),
    Cleared(
        OrganisationPerspective,
        _by("enquiry__person"),
        (
            "could_be_better",
            "agencies_worked_together",
            "changes_recommended",
            "systems_comment",
            "training_needs",
        ),
    ),
    Cleared(
        CaseFileAudit,
        _by("enquiry__person"),
        (
            "outcomes_own_words_note",
            "involved_from_start_note",
            "advocate_considered_note",
            "part2_sought_note",
            "against_wishes_explained_note",
            "timescales_agreed_note",
            "comments",
        ),
    ),
    Cleared(
        Referral,
        lambda person: Q(person=person) | Q(concern__person=person),
        (
            "adult_name",
            "adult_description",
            "adult_address",
            "adult_date_of_birth",
            "adult_age",
            "adult_communication_needs",
            "what_happened",
            "when_happened",
            "where_happened",
            "alleged_cause",
            "alleged_cause_relationship",
            "adult_wishes",
            "contact_how",
            "contact_when",
            "must_not_know",
            "referrer_name",
            "referrer_relationship",
            "referrer_email",
            "referrer_phone",
            "referrer_organisation",
            "referrer_role",
            "police_crime_number",
            "closure_reason",
        ),
        label="Online reports",
    ),
    Cleared(
        ReferralEvent,
        lambda person: Q(referral__person=person) | Q(referral__concern__person=person),
        ("detail",),
        label="Online report events",
    ),
    Cleared(Document, _by("person"), ("title", "provided_by", "original_name")),
    Cleared(
        ReviewIndividual, _by("person"), ("description",), label="Safeguarding Adults Review individuals"
    ),
    Cleared(SubjectAccessRequest, _by("person"), ("reason",)),
)

# Text fields of those models that stay: codes, fingerprints and reasons written by the service itself,
# not about the person (each checked by tests/retention/test_removal.py against the models' fields).
KEPT = {
    "enquiries.EnquiryEvent": {"from_status", "to_status"},
    "frontdoor.Referral": {"reference", "submission_key"},
    "frontdoor.ReferralEvent": {"action"},
    # The stored name is generated, never the uploaded one; the file itself is deleted (files_of). The
    # document is marked removed, with the retention schedule as the reason (disposal.py).
    "documents.Document": {"content_type", "sha256", "scan_detail", "file", "removed_reason"},
    "subject_access.SubjectAccessRequest": {"reference"},
}


def _empty(model: type[models.Model], name: str):
    model_field = model._meta.get_field(name)
    if model_field.null:
        return None
    return ""


def _person_values(person: Person, tombstone: str) -> dict:
    return {**dict.fromkeys(PERSON_FIELDS, ""), "description": tombstone}


def _history_of(model: type[models.Model]):
    history = getattr(model, "history", None)
    return history.model if history is not None else None


def files_of(person: Person) -> tuple[list[tuple[object, str]], list[int]]:
    """The stored files about the person, as (storage, name): every document's file as recorded in any of
    its versions, and the exported files (case summaries, subject access packs) made from the record. Also
    the ids of those exports, whose titles go too."""
    found = []
    documents = Document.objects.filter(person=person)
    storage = Document._meta.get_field("file").storage
    names = set(documents.exclude(file="").values_list("file", flat=True))
    names |= set(
        _history_of(Document)
        .objects.filter(id__in=documents.values("pk"))
        .exclude(file="")
        .values_list("file", flat=True)
    )
    found += [(storage, name) for name in sorted(names)]
    exports = Export.objects.filter(
        Q(enquiry__person=person)
        | Q(pk__in=SubjectAccessRequest.objects.filter(person=person, export__isnull=False).values("export"))
    )
    export_storage = Export._meta.get_field("file").storage
    found += [(export_storage, name) for name in exports.exclude(file="").values_list("file", flat=True)]
    return found, list(exports.values_list("pk", flat=True))


def remove_personal_data(*, person: Person, tombstone: str) -> dict[str, int]:
    """Empty every field above in the person's records and in their earlier versions, in the database; the
    files are deleted by the caller after the commit (a file deleted before a rollback could not come back).
    Returns the counts kept on the disposal record."""
    removed: dict[str, int] = {}
    versions = 0
    targets = [Cleared(Person, lambda p: Q(pk=p.pk), (), label="People"), *CLEARED]
    for cleared in targets:
        model = cleared.model
        values = (
            _person_values(person, tombstone)
            if model is Person
            else {name: _empty(model, name) for name in cleared.fields}
        )
        rows = model.objects.filter(cleared.of(person))
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            continue
        # update() rather than save(): no new version is written holding what is being removed, and the
        # append-only conversations are cleared as their earlier versions are.
        if any(f.name == "version" for f in model._meta.concrete_fields):
            model.objects.filter(pk__in=ids).update(**values, version=models.F("version") + 1)
        else:
            model.objects.filter(pk__in=ids).update(**values)
        removed[cleared.name] = len(ids)
        history = _history_of(model)
        if history is not None:
            versions += history.objects.filter(id__in=ids).update(**values)
    removed["Earlier versions"] = versions
    return removed
