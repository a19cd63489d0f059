"""A signed-in session gets its own id, used in pages and addresses, so the session key (a credential) is
never written into a page or a URL. The table is new and holds only live sessions: recreated, not altered."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_signed_in_sessions_and_account_status"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="SignedInSession"),
        migrations.CreateModel(
            name="SignedInSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "session",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signed_in",
                        to="sessions.session",
                    ),
                ),
                ("signed_in_at", models.DateTimeField()),
                ("device", models.CharField(blank=True, max_length=100)),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signed_in_sessions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-signed_in_at"]},
        ),
    ]
