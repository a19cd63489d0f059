"""Referrals sent through the API, one per client and Idempotency-Key; and the role a client with the
cases:write scope holds besides the API client role: `change_enquiry`, the one permission the shared rule
`edit_case` (enquiries/rules.py) asks for, so such a client may make the API's selected updates to records
in its scope and a client without the scope never can. Frozen here, not imported from code."""

import django.db.models.deletion
from django.db import migrations, models

UPDATES_ROLE = "API client: updates"
UPDATES_PERMISSIONS = [("enquiries", "change_enquiry")]


def role_forwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=UPDATES_ROLE)
    for app_label, codename in UPDATES_PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def role_backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=UPDATES_ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_api_client_role"),
        ("frontdoor", "0005_referral_outcome_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiReferral",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("idempotency_key", models.CharField(max_length=255)),
                ("request_hash", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="referrals",
                        to="api.apiclient",
                    ),
                ),
                (
                    "referral",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="api_referral",
                        to="frontdoor.referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "referral sent through the API",
                "ordering": ["created_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("client", "idempotency_key"), name="api_referral_one_per_key"
                    )
                ],
            },
        ),
        migrations.RunPython(role_forwards, role_backwards),
    ]
