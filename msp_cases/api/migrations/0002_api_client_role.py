"""The role of every API client's service account: the read permissions a practitioner has over people,
concerns and enquiries, and nothing else, so msp_cases/access.py scopes a client to its teams' records.

Frozen here, not imported from code (see accounts/migrations/0002_roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "API client"
PERMISSIONS = [
    ("enquiries", "view_person"),
    ("enquiries", "view_safeguardingconcern"),
    ("enquiries", "view_enquiry"),
]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("accounts", "0004_unit_lead_role"),
        ("enquiries", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
