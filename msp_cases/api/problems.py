"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail; a request
that fails validation also lists `errors`, field by field. Out of scope is 404, as on the pages."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"


def problem(status: int, detail: str, **extra) -> dict:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


class ContentTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is too large."


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The record cannot be changed now."


class PreconditionFailed(exceptions.APIException):
    """If-Match named a version that is no longer the record's: someone changed it since it was read."""

    status_code = 412
    default_detail = "The record has changed since you read it: read it again, then send your change."


class UnprocessableContent(exceptions.APIException):
    status_code = 422
    default_detail = "The request cannot be processed."


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag of the record as you read it."


class ServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = "The service cannot take this request now."

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail)
        self.wait = retry_after  # DRF's handler sends it as Retry-After


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service's refusal, field by field (`<entity>_<action>_problems`), as the pages show it.
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        exc = exceptions.ValidationError(
            {("non_field_errors" if k == "__all__" else k): messages for k, messages in errors.items()}
        )
    elif isinstance(exc, RequestDataTooBig):
        # Past DATA_UPLOAD_MAX_MEMORY_SIZE: refused unread, as a problem rather than Django's HTML 400 page.
        exc = ContentTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("No such record, or not one this client may see.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's own handling (logged, 500)
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = "The request is not valid; see errors."
        extra["errors"] = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    else:
        detail = str(getattr(exc, "detail", "")) or HTTPStatus(response.status_code).phrase
    body = problem(response.status_code, detail, **extra)
    headers = {k: v for k, v in response.headers.items() if k in ("WWW-Authenticate", "Retry-After")}
    if isinstance(exc, PreconditionFailed) and getattr(exc, "etag", None):
        headers["ETag"] = exc.etag  # the version now, so the client can read and try again
    return Response(body, status=response.status_code, headers=headers, content_type=PROBLEM_JSON)
