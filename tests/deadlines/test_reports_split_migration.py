"""The deadlines' and the dashboard's models left the reports app for apps of their own with
their tables kept: a database holding a row of every moved model in the old layout is migrated
across the move, and every row is read back through the new apps."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OLD_LAYOUT = ("reports", "0004_daily_commune_snapshots")
# The new apps are rolled back whole: migrating to reports' 0004 alone would roll back only the
# reports migrations after it.
BEFORE = [OLD_LAYOUT, ("deadlines", None), ("dashboard", None)]
AFTER = [
    ("reports", "0005_models_moved_out"),
    ("deadlines", "0001_initial"),
    ("dashboard", "0001_initial"),
]
MOVED = {
    "deadlines": [
        "deadline",
        "submission",
        "historicalsubmission",
        "reminder",
        "escalationdigest",
        "reminderdelivery",
        "inspection",
        "historicalinspection",
    ],
    "dashboard": ["dailycommunesnapshot"],
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def seed_old_layout(old) -> dict[str, int]:
    """One row of every model that moves, written through the old app's models."""
    District = old.get_model("communes", "District")
    Commune = old.get_model("communes", "Commune")
    User = old.get_model("auth", "User")
    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    user = User.objects.create(username="vhtt-migration")
    now = timezone.now()
    day = datetime.date(2021, 8, 6)
    model = lambda name: old.get_model("reports", name)  # noqa: E731
    inspection = model("Inspection").objects.create(
        commune=commune, date=day, inspector="Đoàn kiểm tra", findings="Đủ nhóm", created_by=user
    )
    model("HistoricalInspection").objects.create(
        id=inspection.pk,
        commune=commune,
        date=day,
        inspector="Đoàn kiểm tra",
        findings="Đủ nhóm",
        history_date=now,
        history_type="+",
        created_at=now,
    )
    deadline = model("Deadline").objects.create(
        district=district, title="Báo cáo 606", directive="606/UBND-VX", due_date=day
    )
    deadline.communes.add(commune)
    submission = model("Submission").objects.create(
        deadline=deadline, commune=commune, submitted_at=now, submitted_by=user
    )
    model("HistoricalSubmission").objects.create(
        id=submission.pk,
        deadline=deadline,
        commune=commune,
        submitted_at=now,
        updated_at=now,
        history_date=now,
        history_type="+",
    )
    reminder = model("Reminder").objects.create(
        deadline=deadline, commune=commune, kind="overdue", day=day
    )
    digest = model("EscalationDigest").objects.create(recipient=user, day=day)
    model("ReminderDelivery").objects.create(
        reminder=reminder, channel="in_app", recipient=user, digest=digest
    )
    model("DailyCommuneSnapshot").objects.create(
        commune=commune, date=day, covered=120, households=200, installs=30, smartphone_users=90
    )
    return {"deadline": deadline.pk, "commune": commune.pk, "inspection": inspection.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_row_seeded_in_the_old_layout_is_read_back_through_the_new_apps():
    ids = seed_old_layout(migrate(BEFORE))

    new = migrate(AFTER)

    for app, names in MOVED.items():
        for name in names:
            assert new.get_model(app, name).objects.count() == 1, (app, name)
    Deadline = new.get_model("deadlines", "Deadline")
    deadline = Deadline.objects.get(pk=ids["deadline"])
    assert list(deadline.communes.values_list("pk", flat=True)) == [ids["commune"]]
    assert deadline._meta.db_table == "reports_deadline"
    submission = new.get_model("deadlines", "Submission").objects.get()
    assert submission.deadline_id == ids["deadline"]
    delivery = new.get_model("deadlines", "ReminderDelivery").objects.get()
    assert delivery.digest_id == new.get_model("deadlines", "EscalationDigest").objects.get().pk
    snapshot = new.get_model("dashboard", "DailyCommuneSnapshot").objects.get()
    assert (snapshot.covered, snapshot.households) == (120, 200)
    # The reports app keeps its own models only.
    with pytest.raises(LookupError):
        new.get_model("reports", "Deadline")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_content_types_of_the_moved_models_follow_them():
    old = migrate(BEFORE)
    OldContentType = old.get_model("contenttypes", "ContentType")
    for names in MOVED.values():
        for name in names:
            OldContentType.objects.filter(model=name).delete()
            OldContentType.objects.create(app_label="reports", model=name)

    migrate(AFTER)

    ContentType.objects.clear_cache()
    for app, names in MOVED.items():
        for name in names:
            assert ContentType.objects.filter(app_label=app, model=name).exists(), name
            assert not ContentType.objects.filter(app_label="reports", model=name).exists(), name
