from django.db import migrations, models


class Migration(migrations.Migration):
    """ "Skipped" also covers emails no longer needed when their turn came (already read in the service, the
    reminder resolved, the user gone or without an address), not only the user's preference."""

    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="email_state",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to be emailed"),
                    ("digest", "Waiting for the daily digest"),
                    ("sent", "Emailed"),
                    ("skipped", "Not emailed (preference, or no longer needed)"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
    ]
