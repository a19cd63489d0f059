"""Referrals from partners' systems (referrals:write): send one to the front door, once per Idempotency-Key,
and read what became of the ones this client sent. Thin: the checks are the online form's, the writes the
front door's service (msp_cases/api/referrals.py)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral

from . import scopes
from .problems import PROBLEM_JSON, ServiceUnavailable, UnprocessableContent
from .referrals import (
    QUESTIONS,
    FrontDoorFull,
    IdempotencyKeyReused,
    api_referral_submit,
    referral_status_read,
)
from .serializers import ReferralStatusSerializer
from .views import ERRORS, Problem

# How long a partner's system should wait when the front door is full: screening clears referrals in
# minutes to hours, and the capacity alert goes to the front-door team at once.
FULL_RETRY_AFTER_SECONDS = 900


class ValidationProblem(Problem):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Each field's problems, in the online form's words",
    )


def _problem(description: str, serializer=Problem) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=description)


def _referral_request_schema() -> dict:
    """The request body: every question of the online form by its field name, all strings."""
    properties = {}
    for name, steps in QUESTIONS.items():
        field = steps[0].form.base_fields[name]
        schema: dict = {"type": "string", "description": str(field.label)}
        if hasattr(field, "choices"):
            schema["enum"] = [value for value, _ in field.choices]
        elif hasattr(field, "fields"):  # the date of birth's day, month and year
            schema["format"] = "date"
        elif getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
        properties[name] = schema
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["immediate_danger", "referrer_type", "what_happened", "adult_knows", "safe_to_contact"],
        "properties": properties,
    }


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="A value of the client's choosing, new for each referral (a UUID): sending the same request "
    "again with it answers with the referral already made, never a second one. At most 255 printable "
    "ASCII characters.",
)


def _status_response(referral: Referral, *, status: int, replayed: bool = False) -> Response:
    response = Response(ReferralStatusSerializer.of(referral), status=status)
    if status == 201:
        response["Location"] = reverse("api:referral", args=[referral.pk])
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


class ReferralCreate(GenericAPIView):
    required_scope = scopes.REFERRALS_WRITE
    serializer_class = ReferralStatusSerializer

    @extend_schema(
        operation_id="referrals_create",
        summary="Send a concern to the front door",
        description="Checked by the online form's own questions, every problem at once. The referral then "
        "waits for screening, as one typed into the form does. Retries with the same Idempotency-Key and the "
        "same body answer 201 with the same referral.",
        parameters=[
            IDEMPOTENCY_KEY,
            OpenApiParameter(
                "Location",
                str,
                location=OpenApiParameter.HEADER,
                response=[201],
                description="The referral's address, to read what became of it",
            ),
            OpenApiParameter(
                "Retry-After",
                int,
                location=OpenApiParameter.HEADER,
                response=[503],
                description="Seconds to wait before sending it again, with the same Idempotency-Key",
            ),
        ],
        request={"application/json": _referral_request_schema()},
        examples=[
            OpenApiExample(
                "A professional's referral",
                request_only=True,
                value={
                    "immediate_danger": "no",
                    "referrer_type": "professional",
                    "adult_name": "Margaret Hughes",
                    "adult_date_of_birth": "1941-03-12",
                    "what_happened": "Bruising on both arms; she says her son pushes her.",
                    "adult_knows": "yes",
                    "safe_to_contact": "yes",
                    "referrer_name": "PC Jo Bell",
                    "referrer_organisation": "Northshire Police",
                    "referrer_role": "Police constable",
                    "referrer_email": "jo.bell@police.example",
                    "referrer_phone": "0300 000 0000",
                },
            )
        ],
        responses={
            201: ReferralStatusSerializer,
            (400, PROBLEM_JSON): _problem(
                "Not valid: `errors` lists each field's problems; or no Idempotency-Key", ValidationProblem
            ),
            **ERRORS,
            (422, PROBLEM_JSON): _problem("This Idempotency-Key was used for a different referral"),
            (413, PROBLEM_JSON): _problem("The request body is too large"),
            (503, PROBLEM_JSON): _problem("The front door is full: try again after Retry-After seconds"),
        },
        tags=["referrals"],
    )
    def post(self, request):
        try:
            sent = api_referral_submit(
                actor=Actor.from_request(request),
                client=request.api_client,
                idempotency_key=request.headers.get("Idempotency-Key", ""),
                body=request.data,
            )
        except IdempotencyKeyReused as refusal:
            raise UnprocessableContent(refusal.message) from None
        except FrontDoorFull as refusal:
            raise ServiceUnavailable(refusal.message, retry_after=FULL_RETRY_AFTER_SECONDS) from None
        return _status_response(sent.api_referral.referral, status=201, replayed=sent.replayed)


class ReferralDetail(GenericAPIView):
    required_scope = scopes.REFERRALS_WRITE
    serializer_class = ReferralStatusSerializer

    @extend_schema(
        operation_id="referrals_read",
        summary="What became of a referral this client sent",
        responses={200: ReferralStatusSerializer, **ERRORS},
        tags=["referrals"],
    )
    def get(self, request, pk: int):
        referral = referral_status_read(actor=Actor.from_request(request), client=request.api_client, pk=pk)
        return _status_response(referral, status=200)
