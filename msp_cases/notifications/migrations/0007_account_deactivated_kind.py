from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0006_allocated_kind"),
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
                    ("document_scan", "Document virus scan"),
                    ("allocated", "Allocated to you"),
                    ("account_deactivated", "Account deactivated"),
                ],
                max_length=20,
            ),
        ),
    ]
