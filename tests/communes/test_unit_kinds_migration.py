"""Commune names lose their kind word across the migration that gives communes a kind
(docs/rules.md#unit-kinds): "Xã Kiểm Thử" becomes Kiểm Thử of kind xa, so that a delivery signs
"UBND xã Kiểm Thử" and never "UBND xã Xã Kiểm Thử"; a name without a word is left alone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("communes", "0005_commune_merged")]
AFTER = [("communes", "0007_commune_names_without_kind")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kind_words_leave_the_names_and_become_kinds():
    old = migrate(BEFORE)
    District = old.get_model("communes", "District")
    Commune = old.get_model("communes", "Commune")
    district = District.objects.create(code="691", name="Bù Gia Mập")
    for code, name in [
        ("1", "Xã Kiểm Thử"),
        ("2", "Phường  Bình Lộc"),
        ("3", "đặc khu Phú Quý"),
        ("4", "Phú Nghĩa"),
        ("5", "Xà Phiên"),
    ]:
        Commune.objects.create(district=district, code=code, name=name, slug=f"c-{code}")

    new = migrate(AFTER)

    migrated = new.get_model("communes", "Commune")
    assert sorted(migrated.objects.values_list("code", "name", "kind")) == [
        ("1", "Kiểm Thử", "xa"),
        ("2", "Bình Lộc", "phuong"),
        ("3", "Phú Quý", "dac_khu"),
        ("4", "Phú Nghĩa", "xa"),
        ("5", "Xà Phiên", "xa"),
    ]
    assert new.get_model("communes", "District").objects.get(code="691").kind == "district"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
