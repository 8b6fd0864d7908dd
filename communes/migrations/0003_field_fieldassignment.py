"""Fields and their assignments join the communes app (they belong to a commune's officers, and
the bulletins build on them). Only Django's picture of the models moves: the tables, their
rows, keys and constraints stay exactly as they are (`db_table` keeps their names)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0002_username_unique_ignoring_case"),
        ("bulletins", "0002_seed_fields"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Field",
                    fields=[
                        (
                            "code",
                            models.SlugField(
                                max_length=40,
                                primary_key=True,
                                serialize=False,
                                verbose_name="code",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                    ],
                    options={
                        "verbose_name": "field",
                        "verbose_name_plural": "fields",
                        "ordering": ["code"],
                        "db_table": "bulletins_field",
                    },
                ),
                migrations.CreateModel(
                    name="FieldAssignment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "commune",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="field_assignments",
                                to="communes.commune",
                                verbose_name="commune",
                            ),
                        ),
                        (
                            "field",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assignments",
                                to="communes.field",
                                verbose_name="field",
                            ),
                        ),
                        (
                            "officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="assignments",
                                to="communes.officer",
                                verbose_name="officer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "field assignment",
                        "verbose_name_plural": "field assignments",
                        "db_table": "bulletins_fieldassignment",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("commune", "field"), name="one_officer_per_commune_field"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
