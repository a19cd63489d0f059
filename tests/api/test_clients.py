"""Machine clients: made only by the command, their secret shown once and stored hashed, a token issued by the
real OAuth 2 token endpoint (client credentials) with no more than the client's scopes, and a service account
that can never sign in to the pages."""

import json

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from oauth2_provider.models import AccessToken, Application

from msp_cases.api.models import ApiClient
from tests.factories import TeamFactory

from .conftest import TOKEN_URL, basic, create_client, issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def north(db):
    return TeamFactory(name="North Locality")


def test_the_command_prints_one_json_line_and_stores_the_secret_hashed(north, capsys):
    call_command(
        "api_client",
        "create",
        "Police referrals",
        "--scope",
        "people:read",
        "cases:read",
        "--team",
        "North Locality",
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert set(line) >= {"client_id", "client_secret"}
    application = Application.objects.get(client_id=line["client_id"])
    assert application.client_secret != line["client_secret"]
    assert check_password(line["client_secret"], application.client_secret)
    assert application.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS
    client = application.api_client
    assert client.scope_list == ["people:read", "cases:read"]
    assert list(client.user.teams.all()) == [north]
    assert client.user.role_names == ["API client"]
    # Recorded as any account's role and teams are, given from the command line.
    assert sorted((c.kind, c.name, c.granted, c.changed_by) for c in client.user.role_changes.all()) == [
        ("role", "API client", True, None),
        ("team", "North Locality", True, None),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scope", "everything"], "invalid choice"),
        (["--scope", "people:read", "--team", "Atlantis"], "No active team named: Atlantis"),
    ],
)
def test_the_command_refuses_unknown_scopes_and_teams(north, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api_client", "create", "Warehouse", *args)
    assert not ApiClient.objects.exists()


def test_the_command_refuses_a_second_client_of_the_same_name(north):
    create_client("Warehouse", ["reports:read"])
    with pytest.raises(CommandError, match="already exists"):
        create_client("warehouse", ["reports:read"])


def test_client_credentials_issue_a_bearer_token_with_the_clients_scopes(north):
    credentials = create_client("Police referrals", ["people:read", "cases:read"], ["North Locality"])
    token = issue_token(credentials)
    assert token["token_type"] == "Bearer"
    assert set(token["scope"].split()) == {"people:read", "cases:read"}
    assert token["expires_in"] == 3600
    assert "refresh_token" not in token
    assert (
        AccessToken.objects.get(token_checksum__isnull=False).application.client_id
        == credentials["client_id"]
    )


def test_a_token_asked_for_fewer_scopes_carries_only_those(north):
    credentials = create_client("Police referrals", ["people:read", "cases:read"], ["North Locality"])
    assert issue_token(credentials, scope="people:read")["scope"] == "people:read"


def test_a_client_cannot_give_itself_a_scope_it_was_not_given(north):
    credentials = create_client("Police referrals", ["people:read"], ["North Locality"])
    response = Client().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "scope": "people:read cases:write"},
        HTTP_AUTHORIZATION=basic(credentials["client_id"], credentials["client_secret"]),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_a_wrong_secret_gets_no_token(north):
    credentials = create_client("Police referrals", ["people:read"], ["North Locality"])
    response = Client().post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(credentials["client_id"], "not-the-secret"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_other_grants_are_refused(north):
    credentials = create_client("Police referrals", ["people:read"], ["North Locality"])
    client = ApiClient.objects.get()
    response = Client().post(
        TOKEN_URL,
        {"grant_type": "password", "username": client.user.email, "password": "x"},
        HTTP_AUTHORIZATION=basic(credentials["client_id"], credentials["client_secret"]),
    )
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_the_service_account_cannot_sign_in_to_the_pages(north, settings):
    credentials = create_client("Police referrals", ["people:read"], ["North Locality"])
    user = ApiClient.objects.get().user
    assert user.is_active
    assert not user.has_usable_password()
    assert user.email.endswith("@clients.invalid")
    # Neither its address with its client secret, nor any other password, signs it in.
    for password in (credentials["client_secret"], "a-long-test-password"):
        response = Client().post(reverse("login"), {"username": user.email, "password": password})
        assert response.status_code == 200
        assert "_auth_user_id" not in response.wsgi_request.session


def test_a_token_issued_is_the_service_accounts_sign_in_so_account_review_sees_it_in_use(north):
    credentials = create_client("Warehouse", ["reports:read"])
    user = ApiClient.objects.get().user
    assert user.last_login is None
    issue_token(credentials)
    user.refresh_from_db()
    assert user.last_login is not None


def test_no_admin_page_can_make_a_client_or_change_its_secret(client_for):
    from django.contrib import admin
    from oauth2_provider.models import AccessToken, Application

    from tests.factories import UserFactory

    assert not admin.site.is_registered(Application)
    assert not admin.site.is_registered(AccessToken)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert client_for(superuser).get("/admin/oauth2_provider/application/add/").status_code == 404


def test_single_sign_on_refuses_the_service_account_whatever_the_provider_vouches_for(north, monkeypatch, rf):
    """Even a provider that vouched for a client's address (none can: it is in the reserved .invalid domain)
    would not sign anyone in as the client: the refusal is the one for an unknown account."""
    from msp_cases.accounts.sso import backends

    create_client("Police referrals", ["people:read"], ["North Locality"])
    user = ApiClient.objects.get().user
    assert user.is_service_account
    endpoints = type(
        "Endpoints", (), {"token_endpoint": "", "userinfo_endpoint": "", "jwks_uri": "", "issuer": ""}
    )
    monkeypatch.setattr(backends, "provider", lambda: endpoints)
    backend = backends.SingleSignOnBackend()
    monkeypatch.setattr(backend, "get_token", lambda payload: {"id_token": "x"})
    monkeypatch.setattr(backend, "id_token_claims", lambda *a, **k: {"sub": "1"})
    monkeypatch.setattr(backend, "email_from", lambda *a, **k: user.email)
    with pytest.raises(backends.SignInRefused) as refusal:
        backend.sign_in(rf.get("/sso/callback/", {"code": "c"}), nonce="n", code_verifier=None)
    assert refusal.value.reason == backends.Refusal.UNKNOWN_ACCOUNT


def test_tokens_are_stored_hashed(north):
    credentials = create_client("Police referrals", ["people:read"], ["North Locality"])
    token = issue_token(credentials)["access_token"]
    assert not AccessToken.objects.filter(token=token).exists()
    assert AccessToken.objects.count() == 1
