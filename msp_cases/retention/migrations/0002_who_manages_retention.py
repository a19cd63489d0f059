"""Unit leads review closed cases, place and lift legal holds, and propose and approve disposals.

Frozen here, not imported from code (see accounts/migrations/0002_roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGERS = ("Unit lead",)
APP_LABEL, CODENAME = "retention", "manage_retention"


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
    for name in MANAGERS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    permission = _permission(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=MANAGERS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0004_unit_lead_role"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
