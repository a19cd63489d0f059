from django.db import migrations, models


class Migration(migrations.Migration):
    """A kind of notification for transfers between teams: a concern or an enquiry waiting for the receiving
    team's manager to accept it, and the sender hearing that it was accepted or declined."""

    dependencies = [
        ("notifications", "0003_front_door_kinds"),
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
                    ("transfer", "Transfer between teams"),
                ],
                max_length=20,
            ),
        ),
    ]
