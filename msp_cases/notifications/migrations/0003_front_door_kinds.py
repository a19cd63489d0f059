from django.db import migrations, models


class Migration(migrations.Migration):
    """Two new kinds of notification for the front door: a referral routed to a team (its managers), and an
    alert to front-door staff when referrals are waiting beyond what the online form accepts."""

    dependencies = [
        ("notifications", "0002_email_skipped_label"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reminder", "Reminder"),
                    ("escalation", "Escalated reminder"),
                    ("export_ready", "Export ready"),
                    ("referral_routed", "Referral routed to your team"),
                    ("front_door_alert", "Front door alert"),
                ],
                max_length=20,
            ),
        ),
    ]
