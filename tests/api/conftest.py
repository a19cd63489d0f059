"""Machine clients of the partners' API and their tokens, issued by the real token endpoint."""

import base64
import json

import pytest
from django.core.management import call_command
from django.test import Client

from msp_cases.api.models import ApiClient

TOKEN_URL = "/api/oauth/token/"


def create_client(name: str, scopes: list[str], teams: list[str] = ()) -> dict:
    """`manage.py api_client create`, as an operator runs it: its one JSON line."""
    from io import StringIO

    out = StringIO()
    args = ["create", name, "--scope", *scopes]
    if teams:
        args += ["--team", *teams]
    call_command("api_client", *args, stdout=out)
    return json.loads(out.getvalue())


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def issue_token(credentials: dict, **extra) -> dict:
    response = Client().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", **extra},
        HTTP_AUTHORIZATION=basic(credentials["client_id"], credentials["client_secret"]),
    )
    assert response.status_code == 200, response.content
    return response.json()


class Partner:
    """A partner's system: its credentials, its token, and a test client that sends it."""

    def __init__(self, credentials: dict):
        self.credentials = credentials
        self.token = issue_token(credentials)["access_token"]
        self.client = ApiClient.objects.get(application__client_id=credentials["client_id"])
        self.http = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def get(self, url: str, **params):
        return self.http.get(url, params)


@pytest.fixture
def partner(world):
    """partner(scopes, teams) -> a Partner bound to those teams of the world scene (North/South)."""
    counter = iter(range(1000))

    def make(scopes: list[str], teams: list[str] = ("North Locality",)) -> Partner:
        return Partner(create_client(f"Partner {next(counter)}", scopes, list(teams)))

    return make
