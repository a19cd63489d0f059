"""`python -m tests.sso.provider.seed`: the provider's tables, its people and its registered clients, from
the JSON in PROVIDER_SEED (written by tests/sso/oidc_provider.py)."""

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.provider.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    seed = json.loads(os.environ["PROVIDER_SEED"])
    for person in seed["people"]:
        User.objects.create_user(
            username=person["email"],
            email=person["email"],
            password=seed["password"],
            first_name=person["name"],
        )
    for client in seed["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            post_logout_redirect_uris=" ".join(client["post_logout_redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


if __name__ == "__main__":
    main()
