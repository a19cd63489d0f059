"""Restricted-record access becomes a role, "Unit lead", so it is given like every other role: in the user
admin, by someone other than the user, and recorded. Whoever held the permission directly is moved into
the role, and the direct grant is removed (the user admin no longer edits direct permissions).

Frozen here, not imported from code (see 0002_roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

UNIT_LEAD = "Unit lead"
APP_LABEL, CODENAME = "enquiries", "view_restricted_records"


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
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=UNIT_LEAD)
    group.permissions.set([permission])
    User = apps.get_model("accounts", "User")
    holders = list(User.objects.filter(user_permissions=permission))
    group.user_set.add(*holders)
    permission.user_set.remove(*holders)


def backwards(apps, schema_editor):
    permission = _permission(apps)
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=UNIT_LEAD).first()
    if group is None:
        return
    permission.user_set.add(*group.user_set.all())
    group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_role_change_record"),
        ("enquiries", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
