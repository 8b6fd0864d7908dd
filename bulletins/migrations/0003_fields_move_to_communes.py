"""Fields and their assignments now belong to the communes app (communes 0003): drop them from
this app's picture of the models without touching their tables, and carry their content types
(and so their admin permissions) across."""

from django.db import migrations

MOVED = ["field", "fieldassignment"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label="communes", model=model).exists():
            continue
        ContentType.objects.filter(app_label="bulletins", model=model).update(
            app_label="communes"
        )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if ContentType.objects.filter(app_label="bulletins", model=model).exists():
            continue
        ContentType.objects.filter(app_label="communes", model=model).update(
            app_label="bulletins"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0002_seed_fields"),
        ("communes", "0003_field_fieldassignment"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FieldAssignment"),
                migrations.DeleteModel(name="Field"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
