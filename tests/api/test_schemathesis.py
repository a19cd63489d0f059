"""The API tried against its own live schema by schemathesis: every operation the schema describes, with
generated values (valid and invalid), sent with a token of each scope. No answer is a server error, and every
answer conforms to what the schema says: its status code is one the operation lists, its content type and
body are the ones described for that status (problems included), and its headers are the ones declared.

The application answers in process (WSGI) against this test's database, with the `world` scene in it, so
generated ids sometimes hit real records as well as missing ones."""

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from msp_cases.api.scopes import SCOPES

from .conftest import Partner, create_client

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _schema():
    """The schema as /api/schema/ serves it (drf-spectacular's generator, no request or database needed), with
    the application that answers the generated requests in process."""
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture
def one_connection(tokens):
    """As Django's test client does: the requests share this test's connection (and its transaction), so the
    end of a request must not close it. After the tokens are issued: Django's test client, which issues
    them, connects the signal again after each of its own requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world) -> dict[str, str]:
    """A token of each scope, each for its own client of North's team (the world scene's North Locality)."""
    return {
        scope: Partner(create_client(f"Schemathesis {scope}", [scope], ["North Locality"])).token
        for scope in SCOPES
    }


@schema.parametrize()
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible, never a flake
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, tokens, one_connection):
    for token in tokens.values():  # each generated request, sent with a token of each scope
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_a_nul_in_the_query_string_is_refused_as_a_problem(tokens):
    """Refused before any view reads it (PostgreSQL holds no NUL), and said the API's way."""
    from django.test import Client

    response = Client().get(
        "/api/v1/people/", {"q": "Hughes\x00"}, HTTP_AUTHORIZATION=f"Bearer {tokens['people:read']}"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The query string holds a NUL character."
