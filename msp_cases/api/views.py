"""The API's operations. Thin, as the pages' views are: the same selectors (scoped by msp_cases/access.py to
the client's service account), then the record of access, as a page view records it."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from enquiries.selectors.core import enquiry_get_for_user, person_get_for_user
from enquiries.selectors.people import person_search
from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor

from . import scopes
from .pagination import BestFirstCursorPagination
from .problems import PROBLEM_JSON, problem
from .serializers import EnquirySerializer, PersonSerializer
from .versions import etag, etag_header

READ_DETAIL = "Read through the API"
LISTED_DETAIL = "Name shown in API search results"


class Problem(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()


def problem_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(Problem, description=description)


# Keyed (status, media type): a problem is sent as application/problem+json, and the schema says so.
ERRORS = {
    (401, PROBLEM_JSON): problem_response("No token, or one that has expired or been revoked"),
    (403, PROBLEM_JSON): problem_response("The token does not carry the scope this operation needs"),
    (404, PROBLEM_JSON): problem_response("No such record, or not one this client may see"),
    (429, PROBLEM_JSON): problem_response("Too many requests from this client; see Retry-After"),
}
INVALID = {(400, PROBLEM_JSON): problem_response("A value is missing or not valid; see the problem's detail")}


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        help_text="As on the person search page: name, date of birth, "
        "NHS number, local identifier, phone or postcode.",
    )


def api_view(view_class):
    """An API view: token authentication, never a session, so the pages' sign-in rule does not apply."""
    return login_not_required(view_class.as_view())


class PersonSearch(GenericAPIView):
    required_scope = scopes.PEOPLE_READ
    serializer_class = PersonSerializer
    pagination_class = BestFirstCursorPagination

    @extend_schema(
        operation_id="people_search",
        summary="Search people",
        parameters=[
            OpenApiParameter("q", str, required=True, description=SearchQuery().fields["q"].help_text)
        ],
        responses={200: PersonSerializer(many=True), **INVALID, **ERRORS},
        tags=["people"],
    )
    def get(self, request):
        query = SearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(person_search(user=request.user, query=query.validated_data["q"]))
        access_record_list(
            actor=Actor.from_request(request), person_ids=[p.pk for p in page], detail=LISTED_DETAIL
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PersonDetail(GenericAPIView):
    required_scope = scopes.PEOPLE_READ
    serializer_class = PersonSerializer

    @extend_schema(
        operation_id="people_read",
        summary="Read a person",
        responses={200: PersonSerializer, **ERRORS},
        tags=["people"],
    )
    def get(self, request, pk: int):
        person = person_get_for_user(user=request.user, pk=pk)
        access_record(actor=Actor.from_request(request), obj=person, detail=READ_DETAIL)
        return Response(self.get_serializer(person).data)


class EnquiryDetail(GenericAPIView):
    required_scope = scopes.CASES_READ
    serializer_class = EnquirySerializer

    @extend_schema(
        operation_id="enquiries_read",
        summary="Read an enquiry",
        parameters=[etag_header(200)],
        responses={200: EnquirySerializer, **ERRORS},
        tags=["enquiries"],
    )
    def get(self, request, pk: int):
        enquiry = enquiry_get_for_user(user=request.user, pk=pk)
        access_record(actor=Actor.from_request(request), obj=enquiry, detail=READ_DETAIL)
        return Response(self.get_serializer(enquiry).data, headers={"ETag": etag(enquiry)})


@csrf_exempt  # it changes nothing; a POST or PATCH to no operation is a 404 problem, not a CSRF page
@login_not_required
def not_found(request):
    """Any other address under /api/, by any method: a problem, not the pages' "Page not found"."""
    return JsonResponse(
        problem(404, "There is no such operation; see /api/schema/."),
        status=404,
        content_type=PROBLEM_JSON,
    )
