"""Concerns: read one (cases:read) and make the selected updates a partner's system may make (cases:write),
through the pages' own selector and service. A GET says the version it shows as its ETag; a PATCH must
send it back in If-Match (msp_cases/api/versions.py), and the page's service refuses a change crossed by
another (its row lock and version check), so nothing is overwritten silently."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from enquiries.models import RiskTypeOption
from enquiries.selectors.concerns import concern_enquiries
from enquiries.selectors.core import concern_get_for_user
from enquiries.services.concerns import ConcernAlreadyDecided, concern_update
from msp_cases.accounts.roles import EDIT_CASE
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError

from . import scopes
from .problems import PROBLEM_JSON, Conflict
from .referral_views import ValidationProblem
from .serializers import ConcernSerializer, ConcernUpdateSerializer
from .versions import etag, etag_header, if_match_version, stale
from .views import ERRORS, READ_DETAIL, Problem

UPDATED_DETAIL = "Changed through the API"
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the concern as you read it, like "3": refused (412) if it has changed since.',
)
ETAG_HEADER = OpenApiResponse(ConcernSerializer, description="The concern; its version is the ETag header")


def _problem(description: str, serializer=Problem) -> OpenApiResponse:
    return OpenApiResponse(serializer, description=description)


class ConcernDetail(GenericAPIView):
    serializer_class = ConcernSerializer

    @property
    def required_scope(self) -> str:
        # Reading needs cases:read; changing, cases:write (and the role that comes with it).
        method = getattr(getattr(self, "request", None), "method", "GET")
        return scopes.CASES_WRITE if method == "PATCH" else scopes.CASES_READ

    def _shown(self, request, concern, *, status: int = 200) -> Response:
        enquiry_ids = list(concern_enquiries(user=request.user, concern=concern).values_list("pk", flat=True))
        data = ConcernSerializer(concern, context={"enquiry_ids": enquiry_ids}).data
        return Response(data, status=status, headers={"ETag": etag(concern)})

    @extend_schema(
        operation_id="concerns_read",
        summary="Read a concern",
        parameters=[etag_header(200)],
        responses={200: ETAG_HEADER, **ERRORS},
        tags=["concerns"],
    )
    def get(self, request, pk: int):
        concern = concern_get_for_user(user=request.user, pk=pk)
        access_record(actor=Actor.from_request(request), obj=concern, detail=READ_DETAIL)
        return self._shown(request, concern)

    @extend_schema(
        operation_id="concerns_update",
        summary="Change a concern awaiting its decision",
        description="Only the fields sent change. The page's own rules apply (a source of risk that fits "
        "who is alleged to have caused harm, for one); every problem is listed at once.",
        parameters=[IF_MATCH, etag_header(200, 412)],
        request=ConcernUpdateSerializer,
        responses={
            200: ETAG_HEADER,
            (400, PROBLEM_JSON): _problem(
                "Not valid: `errors` lists each field's problems", ValidationProblem
            ),
            **ERRORS,
            (409, PROBLEM_JSON): _problem("The concern has been decided: its details are fixed"),
            (412, PROBLEM_JSON): _problem("Changed since you read it: the ETag header is its version now"),
            (413, PROBLEM_JSON): _problem("The request body is too large"),
            (428, PROBLEM_JSON): _problem("No If-Match: send the ETag of the concern as you read it"),
        },
        tags=["concerns"],
    )
    def patch(self, request, pk: int):
        actor = Actor.from_request(request)
        concern = concern_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm(EDIT_CASE, concern):
            raise PermissionDenied("This client may read this concern but not change it.")
        expected = if_match_version(request, concern)
        given = ConcernUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        codes = changes.pop("risk_types", None)
        # The whole set when given; else the one held stays (the service sets it either way).
        held = concern.risk_types.all() if codes is None else RiskTypeOption.objects.filter(code__in=codes)
        try:
            saved = concern_update(
                actor=actor,
                concern=concern,
                expected_version=expected,
                changes=changes,
                risk_types=list(held),
            )
        except ConcurrentEditError as crossed:
            raise stale(crossed.current) from None
        except ConcernAlreadyDecided:
            raise Conflict(
                "A decision has been recorded for this concern, so its details are fixed."
            ) from None
        return self._shown(request, concern_get_for_user(user=request.user, pk=saved.pk))
