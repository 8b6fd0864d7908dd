"""The snapshots keep every summed figure of a commune (dashboard.figures.SUMMED), so the
dashboard's table reads them too. The rows stored before hold four of them only: they are
deleted first (a row is exact or absent), and the nightly job and the pages' fills store them
again with every figure."""

from django.db import migrations, models

ADDED = [
    "villages_count",
    "villages_with_group",
    "untrained_admins",
    "stale_groups",
    "members_above_residents",
    "count_fell_by_half",
    "active_group_without_count",
    "village_without_households",
]


def delete_rows(apps, schema_editor):
    apps.get_model("dashboard", "DailyCommuneSnapshot")._base_manager.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]

    operations = [
        migrations.RunPython(delete_rows, migrations.RunPython.noop),
        *(
            migrations.AddField(
                model_name="dailycommunesnapshot",
                name=name,
                field=models.BigIntegerField(default=0),
                preserve_default=False,
            )
            for name in ADDED
        ),
    ]
