"""Every operation the schema describes needs a token, and the one scope the schema names for it: a token of
any other scope is refused (403) before anything is read or written, and no token at all is 401, both as
problems. The list comes from the schema itself, so an operation added later is covered without being
named here; which records each scope then sees is the access table's business (tests/api/test_reads.py and
the tests beside it)."""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from msp_cases.api.scopes import SCOPES
from msp_cases.audit.models import AccessEvent

from .conftest import Partner, create_client

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str, str]]:
    """(method, path, the scope it needs) for every operation in the schema."""
    spec = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                (requirement,) = operation["security"]
                (scope,) = requirement["clientCredentials"]
                found.append((method, path, scope))
    return found


OPERATIONS = _operations()


def _send(client: Client, method: str, path: str, **headers):
    url = re.sub(r"\{[^}]+\}", "1", path)  # any id: the scope is checked before the record is looked up
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, data="{}", content_type="application/json", **headers)


@pytest.fixture
def tokens(world) -> dict[str, str]:
    return {
        scope: Partner(create_client(f"Scope {scope}", [scope], ["North Locality"])).token for scope in SCOPES
    }


def test_the_schema_names_a_scope_for_every_operation():
    assert OPERATIONS
    assert {scope for _, _, scope in OPERATIONS} <= set(SCOPES)


@pytest.mark.parametrize(("method", "path", "needed"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_only_the_scope_an_operation_needs_opens_it(tokens, method, path, needed):
    client = Client()
    before = AccessEvent.objects.count()

    response = _send(client, method, path)
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"

    for scope, token in tokens.items():
        response = _send(client, method, path, HTTP_AUTHORIZATION=f"Bearer {token}")
        if scope == needed:
            assert response.status_code not in (401, 403), (scope, response.content)
        else:
            assert response.status_code == 403, (scope, response.content)
            assert response["Content-Type"] == "application/problem+json"
            assert needed in response.json()["detail"]
    # Refused requests read nothing: whatever was recorded came from the one scope that opens it.
    assert AccessEvent.objects.count() - before <= 1
