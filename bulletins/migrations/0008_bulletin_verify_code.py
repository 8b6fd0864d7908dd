"""Every published bulletin gets its verification code (docs/rules.md#public-channel) and keeps
the text its deliveries carry.

The bulletins published before this change went out without a `Xác thực:` line: they get a code
so that the commune's public page can link them, and their stored text is the one they were
sent with (title, blank line, body, blank line, source, sender), so the SHA-256 their page shows
is of what the groups received."""

import base64
import secrets

from django.db import migrations, models


def _code() -> str:
    # As bulletins.verification.new_verify_code, spelled out: a migration keeps working
    # whatever later becomes of the app's modules.
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()


def give_codes(apps, schema_editor):
    Bulletin = apps.get_model("bulletins", "Bulletin")
    published = Bulletin.objects.filter(status="published", verify_code__isnull=True)
    for bulletin in published.select_related("commune").order_by("pk").iterator():
        parts = [bulletin.title, "", bulletin.body, ""]
        if bulletin.source:
            parts.append(f"Nguồn: {bulletin.source}")
        parts.append(f"UBND xã {bulletin.commune.name}")
        Bulletin.objects.filter(pk=bulletin.pk).update(
            verify_code=_code(), delivered_text="\n".join(parts)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0007_delivery_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulletin",
            name="verify_code",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=16,
                null=True,
                unique=True,
                verbose_name="verification code",
            ),
        ),
        migrations.AddField(
            model_name="bulletin",
            name="delivered_text",
            field=models.TextField(
                blank=True, db_default="", default="", editable=False, verbose_name="text sent"
            ),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop, elidable=True),
    ]
