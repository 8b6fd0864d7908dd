"""Commune names are stored without their kind word (docs/rules.md#unit-kinds): "Xã Kiểm Thử"
becomes "Kiểm Thử" of kind xa, "Phường Bình Lộc" "Bình Lộc" of kind phuong, so that a delivery
signs "UBND xã Kiểm Thử" rather than "UBND xã Xã Kiểm Thử". The words are spelled here, not
imported, so this migration reads the same whatever the code becomes."""

from django.db import migrations

WORDS = (("xa", "xã "), ("phuong", "phường "), ("dac_khu", "đặc khu "))


def split(name):
    name = " ".join(name.split())
    folded = name.casefold()
    for kind, prefix in WORDS:
        if folded.startswith(prefix) and len(name) > len(prefix):
            return kind, name[len(prefix):]
    return None, name


def strip_kind_words(apps, schema_editor):
    Commune = apps.get_model("communes", "Commune")
    for commune in Commune.objects.all().only("pk", "name", "kind"):
        kind, name = split(commune.name)
        if kind is not None:
            Commune.objects.filter(pk=commune.pk).update(name=name, kind=kind)


class Migration(migrations.Migration):
    dependencies = [("communes", "0006_unit_kinds")]

    # Going back keeps the bare names: the kind column that went with them is dropped by 0006.
    operations = [migrations.RunPython(strip_kind_words, migrations.RunPython.noop)]
