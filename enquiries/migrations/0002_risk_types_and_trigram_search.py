"""SAC types of risk as rows (frozen here), and pg_trgm for typo-tolerant name search on PostgreSQL."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

RISK_TYPES = [
    ("physical", "Physical Abuse"),
    ("sexual", "Sexual Abuse"),
    ("psychological", "Psychological Abuse"),
    ("financial", "Financial or Material Abuse"),
    ("discriminatory", "Discriminatory Abuse"),
    ("organisational", "Organisational Abuse"),
    ("neglect", "Neglect and Acts of Omission"),
    ("domestic", "Domestic Abuse"),
    ("sexual_exploitation", "Sexual Exploitation"),
    ("modern_slavery", "Modern Slavery"),
    ("self_neglect", "Self-Neglect"),
]


def create_risk_types(apps, schema_editor):
    RiskTypeOption = apps.get_model("enquiries", "RiskTypeOption")
    for order, (code, label) in enumerate(RISK_TYPES):
        RiskTypeOption.objects.update_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_initial")]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        migrations.RunPython(create_risk_types, migrations.RunPython.noop),
    ]
