"""`Enquiry.last_with_person_at`: when the latest conversation with the person happened, kept by the conversation
services (enquiries.services.derived.last_with_person_after), and the team dashboard's index on it
(docs/performance.md, "Indexes and plans").

Existing enquiries are filled from their conversations as they now stand, as the rule reads them: each entry's
current version is the newest row of its chain (an amendment always amends the original entry, so a chain is
the rows sharing `coalesce(amends_id, id)`, and a later amendment has a higher id), and the field is the latest
`occurred_at` of those current versions that were with the person. One UPDATE ... FROM; the index is built
after it, so the UPDATE does not maintain it row by row."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

# A current version has no newer row in its chain: an anti-join on `amends_id`, which PostgreSQL runs as one
# hash anti-join over the table (6 s for 1,290,000 conversations on a busy 2-core machine; a DISTINCT ON over
# the chains took twice that, sorting on disk). Plain SQL, so SQLite in development runs the same statement.
FILL = """
UPDATE enquiries_enquiry
   SET last_with_person_at = latest.at
  FROM (SELECT c.enquiry_id, max(c.occurred_at) AS at
          FROM enquiries_conversationlog AS c
         WHERE c.enquiry_id IS NOT NULL
           AND c.with_person
           AND NOT EXISTS (SELECT 1 FROM enquiries_conversationlog AS n
                            WHERE n.amends_id = coalesce(c.amends_id, c.id) AND n.id > c.id)
         GROUP BY c.enquiry_id) AS latest
 WHERE enquiries_enquiry.id = latest.enquiry_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_administrator_changes_drift_policies_and_schedule"),
        ("enquiries", "0007_report_period_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="last_with_person_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last conversation with the person"
            ),
        ),
        migrations.AddField(
            model_name="historicalenquiry",
            name="last_with_person_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last conversation with the person"
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="enquiry",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce("last_with_person_at", "opened_at"),
                models.F("id"),
                condition=models.Q(("status", "closed"), _negated=True),
                name="enquiry_open_silent_since",
            ),
        ),
    ]
