"""The in-app reminders delivered before the notifications app held the bell become its notices
(deadlines/migrations/0002): one per in-app delivery, of the reminder's kind, with its time and
read state kept, worded and linked as a new reminder is; the email deliveries are not notices."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("deadlines", "0001_initial"), ("notifications", "0002_email_outbox_and_context")]
AFTER = [("deadlines", "0002_reminders_become_notices")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


def seed_before(old) -> dict:
    """A deadline overdue on 09/08/2021 for commune A: an officer reminded in the app (read) and
    by email, and district staff told of the escalation in the app (unread)."""
    District = old.get_model("communes", "District")
    Commune = old.get_model("communes", "Commune")
    User = old.get_model("auth", "User")
    model = lambda name: old.get_model("deadlines", name)  # noqa: E731
    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    officer = User.objects.create(username="xa-a")
    staff = User.objects.create(username="vhtt")
    deadline = model("Deadline").objects.create(
        district=district,
        title="Báo cáo kết quả thành lập nhóm tin",
        directive="606/UBND-VX",
        due_date=datetime.date(2021, 8, 6),
    )
    day = datetime.date(2021, 8, 9)
    overdue = model("Reminder").objects.create(
        deadline=deadline, commune=commune, kind="overdue", day=day
    )
    escalation = model("Reminder").objects.create(
        deadline=deadline, commune=commune, kind="escalation", day=day
    )
    sent = timezone.make_aware(datetime.datetime(2021, 8, 9, 7, 0))
    read = timezone.make_aware(datetime.datetime(2021, 8, 9, 9, 30))
    Delivery = model("ReminderDelivery")
    Delivery.objects.create(
        reminder=overdue, channel="in_app", recipient=officer, created_at=sent, read_at=read
    )
    Delivery.objects.create(reminder=overdue, channel="email", recipient=officer, created_at=sent)
    Delivery.objects.create(reminder=escalation, channel="in_app", recipient=staff, created_at=sent)
    return {
        "deadline": deadline.pk,
        "overdue": overdue.pk,
        "escalation": escalation.pk,
        "officer": officer.pk,
        "staff": staff.pk,
        "sent": sent,
        "read": read,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_in_app_reminder_of_before_becomes_a_notice_with_its_time_and_read_state():
    ids = seed_before(migrate(BEFORE))

    new = migrate(AFTER)

    Notification = new.get_model("notifications", "Notification")
    notices = {n.user_id: n for n in Notification.objects.all()}
    assert sorted(notices) == sorted([ids["officer"], ids["staff"]])  # not the email delivery
    officer = notices[ids["officer"]]
    assert (officer.kind, officer.event) == ("overdue", f"reminder:{ids['overdue']}")
    assert (officer.created_at, officer.read_at) == (ids["sent"], ids["read"])
    assert officer.text == (
        "Nhắc nộp báo cáo: 606/UBND-VX: Báo cáo kết quả thành lập nhóm tin, hạn 06/08/2021 "
        "(quá hạn 3 ngày)."
    )
    assert officer.url == f"/deadlines/{ids['deadline']}/submit/"
    assert officer.email_status == "none"
    staff = notices[ids["staff"]]
    assert (staff.kind, staff.event) == ("escalation", f"reminder:{ids['escalation']}")
    assert (staff.created_at, staff.read_at) == (ids["sent"], None)
    assert staff.text.startswith("Phú Nghĩa chưa báo cáo: 606/UBND-VX")
    assert staff.url == f"/deadlines/{ids['deadline']}/"

    # Back and forth again: the copy adds nothing to what is there.
    migrate(BEFORE)
    migrate(AFTER)
    assert Notification.objects.count() == 2
    migrate(latest())
