"""Restricted-record access is a role like the others, so the user admin can give and take it away."""

import pytest
from django.core.management import call_command

from msp_cases.accounts import roles
from msp_cases.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_unit_lead_reads_restricted_records_through_the_unit_lead_role():
    call_command("seed_demo")
    lead = User.objects.get(email="unit@example.org")
    assert set(lead.role_names) == {roles.SAFEGUARDING_UNIT, roles.UNIT_LEAD}
    assert lead.has_perm(roles.VIEW_RESTRICTED)
    assert not lead.user_permissions.exists()
    assert not User.objects.get(email="admin@example.org").has_perm(roles.VIEW_RESTRICTED)


def test_the_unit_lead_role_gives_restricted_records_letter_templates_api_clients_retention_only():
    from django.contrib.auth.models import Group

    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=roles.UNIT_LEAD).permissions.all()
    }
    assert perms == {
        roles.VIEW_RESTRICTED,
        roles.MANAGE_LETTER_TEMPLATES,
        roles.MANAGE_API_CLIENTS,
        roles.MANAGE_RETENTION,
    }


def test_whoever_held_restricted_access_directly_is_moved_into_the_unit_lead_role(db):
    import importlib

    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from tests.factories import UserFactory

    # Given the permission directly, as before the role existed.
    lead = UserFactory(role=roles.SAFEGUARDING_UNIT)
    app_label, codename = roles.VIEW_RESTRICTED.split(".")
    lead.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    assert roles.UNIT_LEAD not in lead.role_names
    migration = importlib.import_module("msp_cases.accounts.migrations.0004_unit_lead_role")
    state = MigrationLoader(connection).project_state(("accounts", "0004_unit_lead_role"))
    migration.forwards(state.apps, None)

    lead = User.objects.get(pk=lead.pk)
    assert roles.UNIT_LEAD in lead.role_names
    assert not lead.user_permissions.exists()
    assert lead.has_perm(roles.VIEW_RESTRICTED)
