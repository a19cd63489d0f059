"""The four roles as groups with their permissions.

Frozen here (not imported from code) so this migration means the same thing forever; a later change to a
role's permissions is a new migration. Code checks permissions, never group names (msp_cases/access.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CASE_MODELS = ["person", "safeguardingconcern", "enquiry"]

ROLE_PERMISSIONS = {
    "Practitioner": [
        *(f"enquiries.{action}_{model}" for model in CASE_MODELS for action in ("view", "add", "change")),
    ],
    "Manager": [
        *(f"enquiries.{action}_{model}" for model in CASE_MODELS for action in ("view", "add", "change")),
        "enquiries.allocate_enquiry",
        "enquiries.sign_off_closure",
    ],
    "Safeguarding Unit": [
        *(f"enquiries.view_{model}" for model in CASE_MODELS),
        "enquiries.view_all_cases",
        "audit.view_accessevent",
    ],
    "Administrator": [
        *(f"accounts.{action}_{model}" for model in ("user", "team") for action in ("view", "add", "change")),
        "auth.view_group",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("enquiries", "0001_initial"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
