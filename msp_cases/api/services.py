"""Making a machine client: its service account, its OAuth 2 application and its scopes, all at once."""

import secrets

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from msp_cases.accounts import roles
from msp_cases.accounts.models import SERVICE_ACCOUNT_DOMAIN, Team, User
from msp_cases.accounts.services import user_access_set
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import ServiceRefused

from .models import ApiClient
from .scopes import CASES_WRITE, SCOPES

# The role of every client's service account (migrations/0002_api_client_role.py): read permissions only.
API_CLIENT_ROLE = roles.API_CLIENT


def client_roles(scopes: list[str]) -> list[str]:
    """The roles of a client's service account: reading, and the change permission only with cases:write
    (a client without that scope can never write, whatever it asks for)."""
    return [API_CLIENT_ROLE, *([roles.API_CLIENT_UPDATES] if CASES_WRITE in scopes else [])]


def api_client_create_problems(
    *, name: str, scopes: list[str], team_names: list[str]
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems.setdefault("name", []).append("Enter the client's name")
    elif ApiClient.objects.filter(name__iexact=name.strip()).exists():
        problems.setdefault("name", []).append("A client with this name already exists")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if not scopes:
        problems.setdefault("scope", []).append("Give the client at least one scope")
    if unknown:
        problems.setdefault("scope", []).append(
            f"Unknown scope: {', '.join(unknown)} (known: {', '.join(SCOPES)})"
        )
    found = set(Team.objects.filter(name__in=team_names, is_active=True).values_list("name", flat=True))
    missing = [team for team in team_names if team not in found]
    if missing:
        problems.setdefault("team", []).append(f"No active team named: {', '.join(missing)}")
    return problems


@transaction.atomic
def api_client_create(
    *, actor: Actor | None, name: str, scopes: list[str], team_names: list[str]
) -> tuple[ApiClient, str]:
    """The client and its secret, in clear this once: django-oauth-toolkit stores it hashed."""
    problems = api_client_create_problems(name=name, scopes=scopes, team_names=team_names)
    if problems:
        raise ServiceRefused("; ".join(message for messages in problems.values() for message in messages))
    name = name.strip()
    user = User(
        email=f"{slugify(name)[:40] or 'client'}-{secrets.token_hex(4)}@{SERVICE_ACCOUNT_DOMAIN}",
        full_name=f"API client: {name}"[:150],
        job_title="Partners' API machine client",
        is_active=True,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    # Its role and teams given as anyone's are, each recorded (who gave it: the actor, or the command line).
    user_access_set(
        actor=actor.user if actor else None,
        user=user,
        groups=Group.objects.filter(name__in=client_roles(scopes)),
        teams=Team.objects.filter(name__in=team_names),
        ip_address=actor.ip_address if actor else None,
    )
    secret = generate_client_secret()
    application = Application.objects.create(
        name=name,
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ApiClient.objects.create(
        name=name,
        application=application,
        user=user,
        scopes=" ".join(dict.fromkeys(scopes)),
        created_by=actor.user if actor else None,
    )
    return client, secret


def api_client_token_issued(*, application_id: int) -> None:
    """A token issued is the client's sign-in: its service account's last sign-in is now, so the account
    review (msp_cases/account_review) counts a client in use as an account in use and never deactivates it
    for being unused; a client that stops asking for tokens is reviewed like anyone else."""
    User.objects.filter(api_client__application_id=application_id).update(last_login=timezone.now())
