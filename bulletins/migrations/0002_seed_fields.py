from django.db import migrations

# DESIGN.md: the fields every commune starts with, by their stable codes.
FIELDS = [
    ("y-te", "Y tế, phòng chống dịch bệnh"),
    ("an-ninh-trat-tu", "An ninh trật tự"),
    ("nong-nghiep", "Nông nghiệp"),
    ("van-hoa-xa-hoi", "Văn hóa - xã hội"),
    ("hanh-chinh", "Hành chính"),
]


def add_fields(apps, schema_editor):
    Field = apps.get_model("bulletins", "Field")
    for code, name in FIELDS:
        Field.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0001_initial")]

    operations = [migrations.RunPython(add_fields, migrations.RunPython.noop)]
