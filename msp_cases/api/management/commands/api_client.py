"""python manage.py api_client create NAME --scope SCOPE... [--team TEAM...]

Prints one JSON line with the new client's client_id and client_secret: the secret is shown this once and
stored hashed. Nobody gives themselves API access: clients are made here (and, later, by unit leads)."""

import json

from django.core.management.base import BaseCommand, CommandError

from msp_cases.api.scopes import SCOPES
from msp_cases.api.services import api_client_create
from msp_cases.core.exceptions import ServiceRefused


class Command(BaseCommand):
    help = "Create a machine client of the partners' API (docs/api.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a client and print its credentials once")
        create.add_argument("name")
        create.add_argument("--scope", nargs="+", required=True, choices=list(SCOPES), dest="scopes")
        create.add_argument(
            "--team",
            nargs="+",
            default=[],
            dest="teams",
            help="Teams whose records the client may read (none: the front door only)",
        )

    def handle(self, *args, action: str, **options):
        try:
            client, secret = api_client_create(
                actor=None, name=options["name"], scopes=options["scopes"], team_names=options["teams"]
            )
        except ServiceRefused as refusal:
            raise CommandError(str(refusal)) from None
        line = {
            "name": client.name,
            "client_id": client.application.client_id,
            "client_secret": secret,
            "scopes": client.scope_list,
            "teams": sorted(options["teams"]),
        }
        self.stdout.write(json.dumps(line))
