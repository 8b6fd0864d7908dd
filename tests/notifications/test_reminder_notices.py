"""Every in-app reminder is a notice in its recipient's bell (docs/rules.md#notifications), of
the reminder's kind, in the app only: the reminder's email and the escalation digest stay the
reminders' own. The reminder log keeps its deliveries, and their read time follows the notice's."""

import datetime

import pytest
from django.core import mail

from deadlines import services
from deadlines.models import ReminderDelivery
from notifications.models import EmailStatus, Notification

D_PLUS_3 = datetime.date(2021, 8, 9)
DEADLINE = "606/UBND-VX: Báo cáo kết quả thành lập nhóm tin"


@pytest.fixture
def reminded(deadline, officer_a, leader_a, officer_b, district_staff, with_emails):
    """The job of D+3: communes A and B overdue, both escalated to the district staff."""
    services.reminders_send_due(day=D_PLUS_3)
    return deadline


def test_each_in_app_reminder_is_a_notice_of_its_kind(
    reminded, officer_a, officer_b, district_staff
):
    (overdue,) = Notification.objects.filter(user=officer_a)
    in_app = ReminderDelivery.objects.get(recipient=officer_a, channel="in_app")
    reminder = in_app.reminder
    assert (overdue.kind, overdue.event) == ("overdue", f"reminder:{reminder.pk}")
    assert overdue.text == f"Nhắc nộp báo cáo: {DEADLINE}, hạn 06/08/2021 (quá hạn 3 ngày)."
    assert overdue.url == f"/deadlines/{reminded.pk}/submit/"
    # In the app only, though the officer has an address: the reminder's own email goes.
    assert overdue.email_status == EmailStatus.NONE
    assert overdue.created_at == in_app.created_at

    escalations = Notification.objects.filter(user=district_staff).order_by("text")
    assert [(n.kind, n.text, n.url) for n in escalations] == [
        (
            "escalation",
            f"{commune} chưa báo cáo: {DEADLINE}, hạn 06/08/2021 (quá hạn 3 ngày).",
            f"/deadlines/{reminded.pk}/",
        )
        for commune in ("Phú Nghĩa", "Đa Kia")
    ]
    assert Notification.objects.filter(user=officer_b, kind="overdue").count() == 1
    # No email went from the notices: mail.outbox holds no email sent by them (the job's own
    # emails are queued after its commit, which this test does not run).
    assert mail.outbox == []


def test_running_the_job_again_adds_no_notice(reminded):
    before = Notification.objects.count()

    services.reminders_send_due(day=D_PLUS_3)

    # two commune users of A, one of B, two escalations to the staff member
    assert before == Notification.objects.count() == 5


def test_reminders_appear_in_the_bell_and_reading_one_marks_the_log(
    client_as, api_as, deadline, officer_a, leader_a
):
    services.reminders_send_due(day=datetime.date(2021, 8, 5))
    services.reminders_send_due(day=datetime.date(2021, 8, 6))
    client = client_as(officer_a)
    assert 'id="notification-count">2<' in client.get("/deadlines/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert f"Nhắc nộp báo cáo: {DEADLINE}, hạn 06/08/2021 (còn 1 ngày)." in page
    assert f"Nhắc nộp báo cáo: {DEADLINE}, hạn 06/08/2021 (hôm nay là hạn)." in page

    due = Notification.objects.get(user=officer_a, kind="due")
    client.post(f"/notifications/{due.pk}/read/")

    assert 'id="notification-count">1<' in client.get("/deadlines/").content.decode()
    # The reminder log (reminders/, its channels nested as before) tells the same: that in-app
    # delivery was read, the other not; the leader's deliveries are untouched.
    read_at = Notification.objects.get(pk=due.pk).read_at
    assert read_at is not None
    log = api_as(officer_a).get("/api/v1/reminders/").json()["results"]
    in_app = {
        (row["kind"], channel["recipient_username"]): channel["read_at"]
        for row in log
        for channel in row["channels"]
        if channel["channel"] == "in_app"
    }
    assert in_app[("due", "xa-a")] is not None
    assert in_app[("before_1", "xa-a")] is None
    assert in_app[("due", "ct-a")] is None
    assert (
        ReminderDelivery.objects.get(
            recipient=officer_a, channel="in_app", reminder__kind="due"
        ).read_at
        == read_at
    )
