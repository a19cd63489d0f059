"""`Enquiry.last_with_person_at`: when the latest conversation with the person happened, kept by the conversation
services (enquiries.services.derived.last_with_person_after), and the team dashboard's index on it
(docs/performance.md, "Indexes and plans").

Existing enquiries are filled from their conversations as they now stand, as the rule reads them: each entry's
current version is the newest row of its chain (the entry and its amendments share `coalesce(amends_id, id)`;
an amendment always has a higher id than what it amends), and the field is the latest `occurred_at` of those
current versions that were with the person. On PostgreSQL one UPDATE over a DISTINCT ON (a sort of the
conversations, seconds at 1,000,000 concerns); elsewhere (SQLite in development) a correlated UPDATE. The index
is built after the fill, so the UPDATE does not maintain it row by row."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models

FILL_POSTGRESQL = """
UPDATE enquiries_enquiry AS e
   SET last_with_person_at = latest.at
  FROM (SELECT enquiry_id, max(occurred_at) AS at
          FROM (SELECT DISTINCT ON (coalesce(amends_id, id)) enquiry_id, occurred_at, with_person
                  FROM enquiries_conversationlog
                 WHERE enquiry_id IS NOT NULL
                 ORDER BY coalesce(amends_id, id), id DESC) AS current_versions
         WHERE with_person
         GROUP BY enquiry_id) AS latest
 WHERE e.id = latest.enquiry_id
"""
FILL_PORTABLE = """
UPDATE enquiries_enquiry
   SET last_with_person_at = (
       SELECT max(c.occurred_at)
         FROM enquiries_conversationlog AS c
        WHERE c.enquiry_id = enquiries_enquiry.id
          AND c.with_person
          AND c.id = (SELECT max(n.id) FROM enquiries_conversationlog AS n
                       WHERE coalesce(n.amends_id, n.id) = coalesce(c.amends_id, c.id)))
"""


def fill_sql(vendor: str) -> str:
    return FILL_POSTGRESQL if vendor == "postgresql" else FILL_PORTABLE


def fill(apps, schema_editor):
    schema_editor.execute(fill_sql(schema_editor.connection.vendor))


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
        migrations.RunPython(fill, migrations.RunPython.noop),
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
