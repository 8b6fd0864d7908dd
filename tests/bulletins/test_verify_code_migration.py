"""Migration 0008: the bulletins published before it get a verification code and keep the text
they were sent with (no `Xác thực:` line: it did not exist then); the others get none."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("bulletins", "0007_delivery_evidence")]
AFTER = [("bulletins", "0008_bulletin_verify_code")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_0007():
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_published_bulletins_get_a_code_and_the_text_they_were_sent_with(back_to_0007):
    old = back_to_0007
    District = old.get_model("communes", "District")
    Commune = old.get_model("communes", "Commune")
    Field = old.get_model("communes", "Field")
    User = old.get_model("auth", "User")
    Bulletin = old.get_model("bulletins", "Bulletin")
    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    field, _ = Field.objects.get_or_create(code="y-te", defaults={"name": "Y tế"})
    author = User.objects.create(username="xa-pn")
    common = {"commune": commune, "field": field, "author": author}
    with_source = Bulletin.objects.create(
        **common,
        title="Tiêm vắc xin",
        body="Sáng mai tiêm mũi 2.",
        source="Trạm Y tế xã",
        status="published",
        published_at="2021-08-10T01:00:00Z",
    )
    without = Bulletin.objects.create(
        **common, title="Họp thôn", body="Tối nay họp.", status="published",
        published_at="2021-08-11T01:00:00Z",
    )  # fmt: skip
    draft = Bulletin.objects.create(**common, title="Nháp", body="Chưa gửi.", status="draft")

    new = migrate(AFTER)

    rows = {
        row["pk"]: row
        for row in new.get_model("bulletins", "Bulletin").objects.values(
            "pk", "verify_code", "delivered_text"
        )
    }
    assert re.fullmatch(r"[a-z2-7]{16}", rows[with_source.pk]["verify_code"])
    assert re.fullmatch(r"[a-z2-7]{16}", rows[without.pk]["verify_code"])
    assert rows[with_source.pk]["verify_code"] != rows[without.pk]["verify_code"]
    assert rows[with_source.pk]["delivered_text"] == (
        "Tiêm vắc xin\n\nSáng mai tiêm mũi 2.\n\nNguồn: Trạm Y tế xã\nUBND xã Phú Nghĩa"
    )
    assert rows[without.pk]["delivered_text"] == "Họp thôn\n\nTối nay họp.\n\nUBND xã Phú Nghĩa"
    assert (rows[draft.pk]["verify_code"], rows[draft.pk]["delivered_text"]) == (None, "")
