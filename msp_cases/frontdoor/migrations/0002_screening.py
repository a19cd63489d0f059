import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Screening at the front door: the adult matched or recorded, the concern recorded from the referral, the
    team it was routed to or why it was closed at the door, who screened it and when; versioned, so two
    screeners cannot both decide the same referral."""

    dependencies = [
        ("accounts", "0005_administrator_changes_drift_policies_and_schedule"),
        ("enquiries", "0008_enquiry_last_with_person_at"),
        ("frontdoor", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="closure_reason",
            field=models.TextField(blank=True, max_length=2000),
        ),
        migrations.AddField(
            model_name="referral",
            name="concern",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referral",
                to="enquiries.safeguardingconcern",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="enquiries.person",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="routed_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.team",
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="screened_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="screened_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AlterField(
            model_name="referral",
            name="state",
            field=models.CharField(
                choices=[
                    ("waiting", "Waiting for screening"),
                    ("screening", "Being screened"),
                    ("passed_on", "Passed to a locality team"),
                    ("no_further_action", "Closed: not a safeguarding concern"),
                    ("signposted", "Closed: information and advice given"),
                ],
                db_index=True,
                default="waiting",
                max_length=20,
            ),
        ),
    ]
