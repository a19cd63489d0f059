"""Reads for subject access: the person a unit lead may produce a pack for, the requests already made, and
everything held about the person, as the requester sees it (msp_cases.access: a unit lead sees every
record). The pack (pack.py) turns these into PDFs and files."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry, Meeting, NetworkMember, Person, SafeguardingConcern
from enquiries.selectors import person_concerns, person_enquiries, person_get_for_user
from msp_cases import access
from msp_cases.documents.models import Document
from msp_cases.documents.selectors import document_list, document_removed_list
from msp_cases.exports.models import Export
from msp_cases.frontdoor.models import Referral
from msp_cases.reviews.models import ReviewIndividual, SafeguardingAdultsReview

from .marking import ThirdParty
from .models import SubjectAccessRequest
from .rules import may_produce_pack

# Bookkeeping, not information about the person: left out of the record's facts.
_NOT_FACTS = {
    "id",
    "person",
    "version",
    "updated_at",
    "updated_by",
    "restricted_to",
    "amends",
    "submission_key",
    "concern",
}
# Held about someone else: marked for redaction review wherever they are shown.
THIRD_PARTY_FIELDS = {
    "enquiries.SafeguardingConcern": {
        "referrer_name",
        "referrer_role",
        "referrer_organisation",
        "referrer_relationship",
        "referrer_contact",
        "alleged_person_name",
        "alleged_person_relationship",
    },
    "enquiries.ConversationLog": {"others_present"},
    "enquiries.NetworkMember": {"name", "role", "agency", "contact", "notes"},
    "enquiries.Meeting": {"attendees"},
    "frontdoor.Referral": {
        "referrer_name",
        "referrer_relationship",
        "referrer_email",
        "referrer_phone",
        "referrer_organisation",
        "referrer_role",
        "alleged_cause",
        "alleged_cause_relationship",
    },
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    third_party: bool = False


def person_for_pack(*, user, pk) -> Person:
    """The person, if `user` may produce a pack and may see them; otherwise 404, as for a record that does not
    exist."""
    if not may_produce_pack(user):
        raise Http404
    return person_get_for_user(user=user, pk=pk)


def requests_for_person(*, person: Person) -> list[SubjectAccessRequest]:
    """The requests made for the person, newest first, each with its latest pack's id and state in words (one
    query): "Try again" on a failed pack's page makes a new export for the same request."""
    # The request's id as the export's params hold it (JSON: compared as text, on the rows of this kind).
    latest = (
        Export.objects.filter(kind="subject_access_pack")
        .annotate(request_key=KeyTextTransform("request", "params"))
        .filter(request_key=Cast(OuterRef("pk"), models.CharField()))
        .order_by("-created_at")
    )
    requests = list(
        SubjectAccessRequest.objects.filter(person=person).annotate(
            pack_id=Subquery(latest.values("pk")[:1]), pack_status=Subquery(latest.values("status")[:1])
        )
    )
    for request in requests:
        request.pack_label = Export.Status(request.pack_status).label if request.pack_status else ""
    return requests


def request_for_pack(*, person: Person, pk) -> SubjectAccessRequest:
    try:
        return SubjectAccessRequest.objects.select_related("requested_by").get(pk=pk, person=person)
    except (SubjectAccessRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def facts(obj: models.Model, *, skip: tuple[str, ...] = ()) -> list[Fact]:
    """Every field the record holds, as label and words, in the model's order; empty ones left out. A new
    field on the model is in the pack without a change here: the pack is "everything held"."""
    marked = THIRD_PARTY_FIELDS.get(obj._meta.label, set())
    out = []
    for field in obj._meta.concrete_fields:
        if field.name in _NOT_FACTS or field.name in skip:
            continue
        value = getattr(obj, field.name)
        if value is None or value == "":
            continue
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, models.BooleanField):
            value = "Yes" if value else "No"
        elif isinstance(value, datetime.datetime):
            value = timezone.localtime(value).strftime("%-d %B %Y at %H:%M")
        elif isinstance(value, datetime.date):
            value = value.strftime("%-d %B %Y")
        label = str(field.verbose_name)
        out.append(Fact(label[:1].upper() + label[1:], str(value), field.name in marked))
    return out


def third_parties(*, user, person: Person) -> list[ThirdParty]:
    """The people the record knows to be someone else: the network (former members too), each concern's
    referrer (unless anonymous to the person: still marked) and the person alleged to have caused harm."""
    found = [
        ThirdParty(member.name, f"Network: {member.get_relationship_display().lower()}")
        for member in access.scoped(NetworkMember.objects.filter(person=person), user).order_by("name", "pk")
    ]
    for concern in access.scoped(SafeguardingConcern.objects.filter(person=person), user).order_by(
        "received_at"
    ):
        received = timezone.localtime(concern.received_at).strftime("%-d %B %Y")
        if concern.referrer_name.strip():
            found.append(ThirdParty(concern.referrer_name, f"Referrer of the concern received {received}"))
        if concern.alleged_person_name.strip():
            found.append(
                ThirdParty(
                    concern.alleged_person_name, f"Alleged to have caused harm (concern received {received})"
                )
            )
    for referral in _referrals(person=person):
        sent = timezone.localtime(referral.submitted_at).strftime("%-d %B %Y")
        if referral.referrer_name.strip():
            found.append(ThirdParty(referral.referrer_name, f"Reported a concern online on {sent}"))
    return found


def _referrals(*, person: Person) -> list[Referral]:
    """What was reported about the person through the online form, in the reporter's own words: the referrals
    the front door matched to them or recorded a concern about them from. Read only for a unit lead, who sees
    every concern (person_for_pack)."""
    return list(
        Referral.objects.filter(Q(person=person) | Q(concern__person=person))
        .select_related("routed_to", "screened_by")
        .order_by("submitted_at", "pk")
    )


def person_record(*, user, person: Person) -> dict:
    """Everything about the person, whatever else the enquiries' own PDFs say: their details, network, every
    concern, every conversation (each version as it was written, corrections included), every meeting (who
    attended marked as third party) and each enquiry's details."""
    network = list(access.scoped(NetworkMember.objects.filter(person=person), user).order_by("name", "pk"))
    concerns = list(
        person_concerns(user=user, person=person)
        .select_related("recorded_by", "decided_by", "alleged_provider")
        .order_by("received_at", "pk")
    )
    enquiries = list(
        person_enquiries(user=user, person=person)
        .select_related("concern", "team", "lead_practitioner")
        .order_by("opened_at", "pk")
    )
    conversations = list(
        access.scoped(ConversationLog.objects.filter(person=person), user)
        .select_related("recorded_by", "amends", "enquiry", "concern")
        .order_by("occurred_at", "pk")
    )
    meetings = list(
        access.scoped(Meeting.objects.filter(enquiry__person=person), user)
        .select_related("enquiry", "created_by")
        .order_by("held_on", "pk")
    )
    # The Safeguarding Adults Reviews naming them as one of their individuals, with what each records about
    # them (msp_cases.reviews).
    reviewed = access.scoped(SafeguardingAdultsReview.objects.filter(individuals__person=person), user)
    individuals = list(
        ReviewIndividual.objects.filter(person=person, review__in=reviewed.values("pk"))
        .select_related("review", "review__recorded_by")
        .order_by("review__referred_on", "pk")
    )
    return {
        "person": person,
        "reviews": [(i.review, facts(i.review), facts(i, skip=("review", "person"))) for i in individuals],
        "meetings": [(meeting, facts(meeting, skip=("enquiry",))) for meeting in meetings],
        "referrals": [(referral, facts(referral)) for referral in _referrals(person=person)],
        "person_facts": facts(person, skip=("is_restricted",)),
        "network": [(member, facts(member)) for member in network],
        "concerns": [(concern, facts(concern, skip=("team",))) for concern in concerns],
        "enquiries": [(enquiry, facts(enquiry, skip=("concern",))) for enquiry in enquiries],
        "conversations": [
            (c, facts(c, skip=("enquiry", "concern", "recorded_by", "recorded_at", "occurred_at", "amends")))
            for c in conversations
        ],
    }


def person_enquiries_for_pack(*, user, person: Person) -> list[Enquiry]:
    return list(
        person_enquiries(user=user, person=person)
        .select_related("person", "team", "lead_practitioner", "concern", "concern__alleged_provider")
        .order_by("opened_at", "pk")
    )


def documents_for_pack(*, user, person: Person) -> tuple[list[Document], list[Document]]:
    """Every document about the person (on any of their records), and those removed in error, which are
    still held (a unit lead sees them)."""
    held = list(document_list(user=user, record=person).order_by("uploaded_at", "pk"))
    removed = list(document_removed_list(user=user, record=person).order_by("uploaded_at", "pk"))
    return held, removed
