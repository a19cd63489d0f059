"""The Front door role: the front-door (MASH) team's members screen referrals from the online form. One
permission, `frontdoor.screen_referral`, which opens the queue and the screening page and lets them match a
referral's adult against every team's people (name, date of birth, address, NHS number; nothing of their
cases) and record the concern for the team they route it to. They are given it in the user admin, as every
other role.

Frozen here, not imported from code (see 0002_roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FRONT_DOOR = "Front door"
APP_LABEL, CODENAME = "frontdoor", "screen_referral"


def _permission(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=APP_LABEL, codename=CODENAME
    )


def forwards(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=FRONT_DOOR)
    group.permissions.set([_permission(apps)])


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=FRONT_DOOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_administrator_changes_drift_policies_and_schedule"),
        ("frontdoor", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
