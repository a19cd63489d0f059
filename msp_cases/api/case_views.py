"""An enquiry's parts through the API: its conversation log (read, and append a conversation), the person's
desired outcomes, My Safeguarding Experience Part 1 and Part 2, and the documents on an enquiry or a concern
with their content once scanned clean.

Each goes through the pages' own selectors and services: the enquiry, concern or document is fetched through
msp_cases/access.py for the client's service account (404 for what it may not see, as on the pages); a
conversation is recorded by the page's own service, with its rules; a document is served only in the states
the pages serve it in. Every read is recorded in the record of access, as a page view is."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from enquiries.models import ConversationLog
from enquiries.selectors.conversations import conversation_get_for_user
from enquiries.selectors.core import concern_get_for_user, enquiry_get_for_user
from enquiries.services.records import EnquiryClosed
from feedback.selectors import part1_for_enquiry, part2_for_enquiry
from msp_cases import access
from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.documents.models import Document
from msp_cases.documents.selectors import document_get_for_user, document_list
from msp_cases.documents.services import document_read_record
from outcomes.models import DesiredOutcome

from . import scopes
from .case_serializers import (
    ConversationSerializer,
    DesiredOutcomeSerializer,
    DocumentSerializer,
    ExperienceSerializer,
)
from .conversations import api_conversation_record
from .problems import PROBLEM_JSON, UnprocessableContent, problem
from .referrals import IdempotencyKeyReused
from .views import ERRORS, INVALID, problem_response

# What each read is recorded as in the record of access (against the enquiry, concern or document read).
CONVERSATIONS_READ = "Conversations read through the API"
OUTCOMES_READ = "Desired outcomes read through the API"
EXPERIENCE_READ = "My Safeguarding Experience read through the API"
DOCUMENTS_READ = "Documents listed through the API"
CONVERSATION_READ = "Conversation read through the API"

APPEND_ONLY = {
    (409, PROBLEM_JSON): problem_response(
        "The enquiry is closed: a manager must reopen it before a conversation is recorded"
    )
}


class RecordedOrderPagination(CursorPagination):
    """Oldest first, in the order entries were added (stable as new ones arrive: a partner reads on from the
    last `next` link to find what was added since)."""

    ordering = "id"
    page_size = 50


class NewestFirstPagination(CursorPagination):
    ordering = "-id"
    page_size = 50


class EnquiryConversations(GenericAPIView):
    """The conversation log of an enquiry: read it, or append a conversation. Append-only, as on the pages:
    no conversation is changed or deleted (PUT, PATCH and DELETE answer 405)."""

    serializer_class = ConversationSerializer
    pagination_class = RecordedOrderPagination

    @property
    def required_scope(self) -> str:
        return scopes.CASES_WRITE if self.request.method == "POST" else scopes.CASES_READ

    @extend_schema(
        operation_id="enquiries_conversations_list",
        summary="Read an enquiry's conversations",
        description="Every entry of the log, the enquiry's and the concern's it came from, in the order they "
        "were recorded. An amendment is an entry of its own naming the original in `amends`.",
        responses={200: ConversationSerializer(many=True), **ERRORS},
        tags=["enquiries"],
    )
    def get(self, request, pk: int):
        enquiry = enquiry_get_for_user(user=request.user, pk=pk)
        page = self.paginate_queryset(_entries(user=request.user, enquiry=enquiry))
        access_record(actor=Actor.from_request(request), obj=enquiry, detail=CONVERSATIONS_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="enquiries_conversations_create",
        summary="Record a conversation on an enquiry",
        description="Checked by the same rules as the page's form: who it was with, when (not in the future, "
        "not before the concern was received), what matters to the person in their words when they were "
        "there, the reasons for a decision against their wishes, a next contact not in the past.",
        request=ConversationSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                location=OpenApiParameter.HEADER,
                required=False,
                description="A value of the client's choosing, new for each conversation (a UUID): sending "
                "the same request again with it answers with the conversation already recorded, never a "
                "second one. At most 255 printable ASCII characters. Without it, each request records one.",
            )
        ],
        responses={
            201: ConversationSerializer,
            **INVALID,
            **APPEND_ONLY,
            **ERRORS,
            (422, PROBLEM_JSON): problem_response(
                "This Idempotency-Key was used for a different conversation"
            ),
        },
        tags=["enquiries"],
    )
    def post(self, request, pk: int):
        enquiry = enquiry_get_for_user(user=request.user, pk=pk)
        # Writing to a case is the shared rule's `edit_case`, as on the page: without it, 404 (nothing leaks).
        if not request.user.has_perm(EDIT_CASE, enquiry):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            recorded = api_conversation_record(
                actor=Actor.from_request(request),
                client=request.api_client,
                enquiry=enquiry,
                idempotency_key=request.headers.get("Idempotency-Key"),
                body=request.data,
                fields=serializer.validated_data,
            )
        except EnquiryClosed as refusal:
            return Response(problem(409, refusal.message), status=409, content_type=PROBLEM_JSON)
        except DjangoValidationError as invalid:
            raise exceptions.ValidationError(_field_errors(invalid)) from None
        except IdempotencyKeyReused as refusal:
            raise UnprocessableContent(refusal.message) from None
        log = recorded.conversation
        location = request.build_absolute_uri(reverse("api:conversation", args=[log.pk]))
        headers = {"Location": location}
        if recorded.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(self.get_serializer(log).data, status=201, headers=headers)


def _entries(*, user, enquiry):
    """Every entry of the enquiry's log, originals and amendments, as its timeline reads them: the enquiry's
    own and the concern's it came from (an amendment carries its original's enquiry and concern), each
    through the access rule's rows of that record."""
    entries = access.within(ConversationLog.objects.select_related("recorded_by"), user, enquiry)
    if enquiry.concern is not None:
        entries |= access.within(ConversationLog.objects.select_related("recorded_by"), user, enquiry.concern)
    return entries


def _field_errors(invalid: DjangoValidationError) -> dict[str, list[str]]:
    """The service's refusals, field by field as the API names them ("__all__" is the whole entry)."""
    if not hasattr(invalid, "error_dict"):
        return {"non_field_errors": invalid.messages}
    return {
        ("non_field_errors" if field == "__all__" else field): messages
        for field, messages in invalid.message_dict.items()
    }


class ConversationDetail(GenericAPIView):
    """One entry of a conversation log (an original or an amendment)."""

    required_scope = scopes.CASES_READ
    serializer_class = ConversationSerializer

    @extend_schema(
        operation_id="conversations_read",
        summary="Read a conversation",
        responses={200: ConversationSerializer, **ERRORS},
        tags=["enquiries"],
    )
    def get(self, request, pk: int):
        log = conversation_get_for_user(user=request.user, pk=pk)
        access_record(actor=Actor.from_request(request), obj=log, detail=CONVERSATION_READ)
        return Response(self.get_serializer(log).data)


class EnquiryOutcomes(GenericAPIView):
    """The person's desired outcomes on an enquiry, in their words, withdrawn ones included (with why)."""

    required_scope = scopes.CASES_READ
    serializer_class = DesiredOutcomeSerializer
    pagination_class = None

    @extend_schema(
        operation_id="enquiries_outcomes_list",
        summary="Read an enquiry's desired outcomes",
        description="In the person's order of priority. At closure each says how far the person feels it was "
        "achieved (SAC SG4a).",
        responses={200: DesiredOutcomeSerializer(many=True), **ERRORS},
        tags=["enquiries"],
    )
    def get(self, request, pk: int):
        enquiry = enquiry_get_for_user(user=request.user, pk=pk)
        outcomes = DesiredOutcome.objects.filter(enquiry=enquiry)
        access_record(actor=Actor.from_request(request), obj=enquiry, detail=OUTCOMES_READ)
        return Response(self.get_serializer(outcomes, many=True).data)


class EnquiryExperience(GenericAPIView):
    """My Safeguarding Experience: Part 1 (at the start) and Part 2 (at the end) of an enquiry."""

    required_scope = scopes.CASES_READ
    serializer_class = ExperienceSerializer

    @extend_schema(
        operation_id="enquiries_experience_read",
        summary="Read an enquiry's My Safeguarding Experience Part 1 and Part 2",
        description="Each part is null until it is recorded.",
        responses={200: ExperienceSerializer, **ERRORS},
        tags=["enquiries"],
    )
    def get(self, request, pk: int):
        enquiry = enquiry_get_for_user(user=request.user, pk=pk)
        parts = {
            "part1": part1_for_enquiry(user=request.user, enquiry=enquiry),
            "part2": part2_for_enquiry(user=request.user, enquiry=enquiry),
        }
        access_record(actor=Actor.from_request(request), obj=enquiry, detail=EXPERIENCE_READ)
        return Response(self.get_serializer(parts).data)


class _RecordDocuments(GenericAPIView):
    """The documents on a record, newest first, as its page lists them (removed ones left out)."""

    required_scope = scopes.CASES_READ
    serializer_class = DocumentSerializer
    pagination_class = NewestFirstPagination

    def record(self, request, pk: int):
        raise NotImplementedError

    def get(self, request, pk: int):
        record = self.record(request, pk)
        page = self.paginate_queryset(document_list(user=request.user, record=record))
        access_record(actor=Actor.from_request(request), obj=record, detail=DOCUMENTS_READ)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class EnquiryDocuments(_RecordDocuments):
    def record(self, request, pk: int):
        return enquiry_get_for_user(user=request.user, pk=pk)

    @extend_schema(
        operation_id="enquiries_documents_list",
        summary="List an enquiry's documents",
        description="Its own, its meetings' and its conversations' documents: metadata only.",
        responses={200: DocumentSerializer(many=True), **ERRORS},
        tags=["documents"],
    )
    def get(self, request, pk: int):
        return super().get(request, pk)


class ConcernDocuments(_RecordDocuments):
    def record(self, request, pk: int):
        return concern_get_for_user(user=request.user, pk=pk)

    @extend_schema(
        operation_id="concerns_documents_list",
        summary="List a concern's documents",
        description="Metadata only.",
        responses={200: DocumentSerializer(many=True), **ERRORS},
        tags=["documents"],
    )
    def get(self, request, pk: int):
        return super().get(request, pk)


# Why a document's content is not served, by its scan state (Document.SERVABLE are served).
NOT_SERVED = {
    Document.ScanStatus.AWAITING_SCAN: "This document is waiting for a virus scan. Try again later.",
    Document.ScanStatus.INFECTED: "A virus was found in this document. It is kept, but never served.",
    Document.ScanStatus.SCAN_FAILED: "This document could not be checked for viruses, so it is never "
    "served. It can be added again.",
}
# How long a client should wait before asking again for a file waiting for its scan.
SCAN_RETRY_SECONDS = 60


class DocumentContent(GenericAPIView):
    """A document's file, only in the states the pages serve it in: scanned clean, not scanned (no scanner
    configured) or made by this service. Anything else is a 409 problem saying why, and records nothing."""

    required_scope = scopes.CASES_READ

    def perform_content_negotiation(self, request, force=False):
        # The file is sent as what it is, whatever the client accepts; only a problem is JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="documents_content_read",
        summary="Download a document's content",
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file, as its own type"),
            (409, PROBLEM_JSON): problem_response(
                "Not scanned clean: waiting for its scan (see Retry-After), a virus found, or the scan "
                "failed. `scan_status` says which."
            ),
            **ERRORS,
        },
        tags=["documents"],
    )
    def get(self, request, pk: int):
        document = document_get_for_user(user=request.user, pk=pk)
        if not document.is_servable:
            headers = {}
            if document.scan_status == Document.ScanStatus.AWAITING_SCAN:
                headers["Retry-After"] = str(SCAN_RETRY_SECONDS)
            detail = NOT_SERVED.get(document.scan_status, "This document cannot be served.")
            return Response(
                problem(409, detail, scan_status=document.scan_status),
                status=409,
                headers=headers,
                content_type=PROBLEM_JSON,
            )
        try:
            handle = document.file.storage.open(document.file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        document_read_record(actor=Actor.from_request(request), document=document, inline=False)
        response = FileResponse(
            handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
        )
        # As the pages send a file: never interpreted, never sniffed as another type, never kept.
        response["Content-Security-Policy"] = "sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response
