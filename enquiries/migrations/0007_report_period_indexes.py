"""Indexes for the timeliness report at national scale (docs/performance.md, "Reports at 1,000,000 concerns"):

- `concern_decided_at`: concerns decided in a period, with the columns concern-to-decision reads (when
  received, which team), so a year of decisions is an index-only scan instead of a scan of every concern;
- `enquiry_closed_at`: enquiries closed in a period, with their team, type and opening time, for the
  durations table (an index-only scan of the year's closures).

INCLUDE columns are PostgreSQL's; elsewhere these are plain partial indexes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0006_person_search_and_restricted_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enquiry",
            index=models.Index(
                condition=models.Q(("status", "closed")),
                fields=["closed_at"],
                include=("team", "enquiry_type", "opened_at"),
                name="enquiry_closed_at",
            ),
        ),
        migrations.AddIndex(
            model_name="safeguardingconcern",
            index=models.Index(
                condition=models.Q(("decision", "pending"), _negated=True),
                fields=["decided_at"],
                include=("received_at", "team"),
                name="concern_decided_at",
            ),
        ),
    ]
