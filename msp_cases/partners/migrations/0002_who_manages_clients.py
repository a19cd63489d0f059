"""Unit leads make and switch off partners' API clients and their webhooks, in the app.

Frozen here, not imported from code (see accounts/migrations/0002_roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

KEEPERS = ("Unit lead",)
APP_LABEL, CODENAME = "partners", "manage_api_clients"


def _permission(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=APP_LABEL, codename=CODENAME
    )


def forwards(apps, schema_editor):
    permission = _permission(apps)
    Group = apps.get_model("auth", "Group")
    for name in KEEPERS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    permission = _permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=KEEPERS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("accounts", "0004_unit_lead_role"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
