"""The Administrator role changes the drift policies and the beat schedule in the admin, as docs/access.md
says: view and change the drift policies (they cannot be added or deleted), and view, change and add
periodic tasks and their interval and crontab schedules. Not delete: deleting the anti-drift scan's task
would silently stop the reminders; a task is switched off instead.

Frozen here, not imported from code (see 0002_roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "Administrator"
PERMISSIONS = [
    "enquiries.view_driftpolicy",
    "enquiries.change_driftpolicy",
    *(
        f"django_celery_beat.{action}_{model}"
        for model in ("periodictask", "intervalschedule", "crontabschedule")
        for action in ("view", "change", "add")
    ),
]


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    perms = []
    for code in PERMISSIONS:
        app_label, codename = code.split(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return perms


def forwards(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=ADMINISTRATOR)
    group.permissions.add(*_permissions(apps))


def backwards(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_unit_lead_role"),
        ("enquiries", "0004_drift_defaults"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
