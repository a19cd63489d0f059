"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail; a request
that fails validation also lists `errors`, field by field. Out of scope is 404, as on the pages."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
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


def problem_exception_handler(exc, context):
    if isinstance(exc, Http404):
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
    return Response(body, status=response.status_code, headers=headers, content_type=PROBLEM_JSON)
