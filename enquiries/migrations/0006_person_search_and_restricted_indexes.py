"""Indexes for finding a person at national scale (docs/performance.md, "Indexes and plans"):

- `person_restricted`: the access rule's "restricted people this user may not see" reads a few hundred rows
  instead of every person, on every scoped query;
- `person_local_identifier_upper`: search matches a local identifier whatever its case;
- `person_search_name_trgm` (PostgreSQL only): a GIN trigram index on the names as search compares them
  (`enquiries.selectors.people.person_search_name`), so `%>` (word similarity) and `LIKE '%word%'` are index
  scans. Built here with the same Django expressions the search uses, so the two cannot differ."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Lower, Upper

TRIGRAM_INDEX = "person_search_name_trgm"


def _trigram_index() -> GinIndex:
    names = Lower(Concat("given_name", Value(" "), "family_name", Value(" "), "preferred_name"))
    return GinIndex(OpClass(names, name="gin_trgm_ops"), name=TRIGRAM_INDEX)


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("enquiries", "Person"), _trigram_index())


def remove_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("enquiries", "Person"), _trigram_index())


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0005_person_no_default_answers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("is_restricted", True)), fields=["id"], name="person_restricted"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(Upper("local_identifier"), name="person_local_identifier_upper"),
        ),
        migrations.RunPython(add_trigram_index, remove_trigram_index),
    ]
