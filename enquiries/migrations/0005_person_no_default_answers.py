"""Gender, ethnicity and primary support reason (SG1b-d) have no default: "Not Known" is chosen, never assumed.
Existing rows keep what they have."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0004_drift_defaults"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalperson",
            name="ethnicity",
            field=models.CharField(
                choices=[
                    ("white", "White"),
                    ("mixed", "Mixed / Multiple"),
                    ("asian", "Asian / Asian British"),
                    ("black", "Black / African / Caribbean / Black British"),
                    ("other", "Other Ethnic Group"),
                    ("refused", "Refused"),
                    ("not_known", "Undeclared / Not Known"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="gender",
            field=models.CharField(
                choices=[("male", "Male"), ("female", "Female"), ("not_known", "Not Known")], max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="primary_support_reason",
            field=models.CharField(
                choices=[
                    ("physical", "Physical Support"),
                    ("sensory", "Sensory Support"),
                    ("memory_cognition", "Support with Memory and Cognition"),
                    ("learning_disability", "Learning Disability Support"),
                    ("mental_health", "Mental Health Support"),
                    ("social", "Social Support"),
                    ("none", "No Support Reason"),
                    ("not_known", "Not Known"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="ethnicity",
            field=models.CharField(
                choices=[
                    ("white", "White"),
                    ("mixed", "Mixed / Multiple"),
                    ("asian", "Asian / Asian British"),
                    ("black", "Black / African / Caribbean / Black British"),
                    ("other", "Other Ethnic Group"),
                    ("refused", "Refused"),
                    ("not_known", "Undeclared / Not Known"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="gender",
            field=models.CharField(
                choices=[("male", "Male"), ("female", "Female"), ("not_known", "Not Known")], max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="primary_support_reason",
            field=models.CharField(
                choices=[
                    ("physical", "Physical Support"),
                    ("sensory", "Sensory Support"),
                    ("memory_cognition", "Support with Memory and Cognition"),
                    ("learning_disability", "Learning Disability Support"),
                    ("mental_health", "Mental Health Support"),
                    ("social", "Social Support"),
                    ("none", "No Support Reason"),
                    ("not_known", "Not Known"),
                ],
                max_length=30,
            ),
        ),
    ]
