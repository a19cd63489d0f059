"""Contact details and other ways of finding a person, and a person recorded by description while their name is
not known (docs/performance.md, "Indexes and plans", for the indexes):

- `person_postcode`: search matches a postcode with or without its space, whatever its case;
- `person_phone_reversed` (PostgreSQL only): the phone's digits reversed, with `text_pattern_ops`, so that a
  number typed in part ("its last 6 digits") is `LIKE '<reversed digits>%'`, a range scan of this index;
- `person_other_names_trgm` (PostgreSQL only): a GIN trigram index on the other names as search compares them
  (lower case), so `LIKE '%name%'` and `%>` are index scans, as for the names (migration 0006);
- `person_local_identifier_unique`: a local identifier, when given, names one person whatever its case."""

import django.db.models.functions.text
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models.functions import Lower, Reverse

import enquiries.validators

PHONE_INDEX = "person_phone_reversed"
OTHER_NAMES_INDEX = "person_other_names_trgm"


def _postgres_indexes() -> list:
    return [
        models.Index(OpClass(Reverse("phone_digits"), name="text_pattern_ops"), name=PHONE_INDEX),
        GinIndex(OpClass(Lower("other_names"), name="gin_trgm_ops"), name=OTHER_NAMES_INDEX),
    ]


def add_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in _postgres_indexes():
            schema_editor.add_index(apps.get_model("enquiries", "Person"), index)


def remove_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in _postgres_indexes():
            schema_editor.remove_index(apps.get_model("enquiries", "Person"), index)


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0014_transfer_withdrawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalperson",
            name="contact_through",
            field=models.CharField(
                blank=True, default="", max_length=150, verbose_name="who to contact them through"
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="description",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For example, man, about 70, lives at 3 Elm Road",
                max_length=200,
                verbose_name="description, if their name is not known",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="email",
            field=models.EmailField(blank=True, default="", max_length=254, verbose_name="email address"),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="other_names",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Names they have been known by, such as a maiden name or a nickname. One on each line",
                verbose_name="other names",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="phone",
            field=models.CharField(
                blank=True,
                default="",
                max_length=30,
                validators=[enquiries.validators.validate_phone],
                verbose_name="phone number",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="phone_digits",
            field=models.CharField(blank=True, default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="preferred_contact_method",
            field=models.CharField(
                blank=True,
                choices=[
                    ("phone", "Phone"),
                    ("text", "Text message"),
                    ("email", "Email"),
                    ("letter", "Letter"),
                    ("in_person", "In person"),
                    ("named_person", "Through a named person"),
                ],
                default="",
                max_length=20,
                verbose_name="preferred way to contact them",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="contact_through",
            field=models.CharField(
                blank=True, default="", max_length=150, verbose_name="who to contact them through"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="description",
            field=models.CharField(
                blank=True,
                default="",
                help_text="For example, man, about 70, lives at 3 Elm Road",
                max_length=200,
                verbose_name="description, if their name is not known",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="email",
            field=models.EmailField(blank=True, default="", max_length=254, verbose_name="email address"),
        ),
        migrations.AddField(
            model_name="person",
            name="other_names",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Names they have been known by, such as a maiden name or a nickname. One on each line",
                verbose_name="other names",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="phone",
            field=models.CharField(
                blank=True,
                default="",
                max_length=30,
                validators=[enquiries.validators.validate_phone],
                verbose_name="phone number",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_digits",
            field=models.CharField(blank=True, default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="person",
            name="preferred_contact_method",
            field=models.CharField(
                blank=True,
                choices=[
                    ("phone", "Phone"),
                    ("text", "Text message"),
                    ("email", "Email"),
                    ("letter", "Letter"),
                    ("in_person", "In person"),
                    ("named_person", "Through a named person"),
                ],
                default="",
                max_length=20,
                verbose_name="preferred way to contact them",
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="family_name",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="given_name",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AlterField(
            model_name="person",
            name="family_name",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AlterField(
            model_name="person",
            name="given_name",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Replace("postcode", models.Value(" "), models.Value(""))
                ),
                name="person_postcode",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        models.Q(("given_name", ""), _negated=True),
                        models.Q(("family_name", ""), _negated=True),
                    ),
                    models.Q(("description", ""), _negated=True),
                    _connector="OR",
                ),
                name="person_named_or_described",
                violation_error_message="Enter their given and family names, or describe them",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper("local_identifier"),
                condition=models.Q(("local_identifier", ""), _negated=True),
                name="person_local_identifier_unique",
                violation_error_message="A person with this local identifier is already recorded",
            ),
        ),
        migrations.RunPython(add_postgres_indexes, remove_postgres_indexes),
    ]
