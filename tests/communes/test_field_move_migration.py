"""Fields and field assignments moved from bulletins to communes without losing a row: a
database seeded before the move is migrated across it, and its rows are read back afterwards."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("communes", "0002_username_unique_ignoring_case"), ("bulletins", "0002_seed_fields")]
AFTER = [("communes", "0003_field_fieldassignment"), ("bulletins", "0003_fields_move_to_communes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_seeded_before_the_move_survive_it():
    old = migrate(BEFORE)
    District = old.get_model("communes", "District")
    Commune = old.get_model("communes", "Commune")
    Officer = old.get_model("communes", "Officer")
    OldField = old.get_model("bulletins", "Field")
    OldAssignment = old.get_model("bulletins", "FieldAssignment")
    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    officer = Officer.objects.create(commune=commune, full_name="Nguyễn Văn A")
    # The seeded fields may have been emptied by an earlier transactional test's flush.
    OldField.objects.get_or_create(code="y-te", defaults={"name": "Y tế"})
    OldField.objects.create(code="moi-truong", name="Môi trường")
    before = set(OldField.objects.values_list("code", "name"))
    OldAssignment.objects.create(commune=commune, field_id="y-te", officer=officer)
    OldAssignment.objects.create(commune=commune, field_id="moi-truong", officer=officer)

    new = migrate(AFTER)

    Field = new.get_model("communes", "Field")
    Assignment = new.get_model("communes", "FieldAssignment")
    assert set(Field.objects.values_list("code", "name")) == before
    assert ("moi-truong", "Môi trường") in before
    assert sorted(
        Assignment.objects.filter(commune_id=commune.pk).values_list("field_id", "officer_id")
    ) == [("moi-truong", officer.pk), ("y-te", officer.pk)]
    # The database still holds the rule: one responsible officer per (commune, field).
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(commune_id=commune.pk, field_id="y-te", officer_id=officer.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_content_types_follow_the_models():
    old = migrate(BEFORE)
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldContentType.objects.filter(app_label="communes", model="field").delete()
    OldContentType.objects.get_or_create(app_label="bulletins", model="field")
    migrate(AFTER)
    ContentType.objects.clear_cache()
    assert ContentType.objects.filter(app_label="communes", model="field").exists()
    assert not ContentType.objects.filter(app_label="bulletins", model="field").exists()
