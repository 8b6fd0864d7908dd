"""The notices' email outbox (docs/rules.md#notifications): saved with the notice, queued after
the commit, claimed pending → sending by one process, sent with Django's mail, retried with a
growing wait and failed after the last attempt; the every-minute sweep queues again what the
broker lost and what a killed worker left in `sending`. A broker that is down costs the page
nothing."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from kombu.exceptions import OperationalError

from notifications import outbox, tasks
from notifications.models import EmailStatus, Notification
from notifications.services import notifications_tell
from notifications.signals import notifications_created
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")

FAILING = "tests.deadlines.backends.FailingBackend"


@pytest.fixture
def leader_with_address(leader_a):
    leader_a.email = "ct-a@example.org"
    leader_a.save(update_fields=["email"])
    return leader_a


def tell(user, event="bulletin:7:submitted:1") -> int:
    (created,) = notifications_tell(
        recipients=[user],
        kind="bulletin_submitted",
        event=event,
        context={
            "bulletin": 7,
            "title": "Tiêm vắc xin mũi 2",
            "field": "Y tế, phòng chống dịch bệnh",
            "commune": "Phú Nghĩa",
            "submitter": "Lê Thị Hoa",
            "submitted": "08:00 10/08/2021",
            "repeats": False,
        },
        url="/bulletins/7/",
    )
    return created


def state(pk: int) -> tuple:
    row = Notification.objects.get(pk=pk)
    return row.email_status, row.email_attempts


def test_the_email_says_the_event_in_vietnamese_with_a_link(leader_with_address):
    pk = tell(leader_with_address)

    with override_settings(SITE_URL="https://bmp.example.org"):
        assert outbox.notification_email_send(notification_id=pk).status == "sent"

    (message,) = mail.outbox
    assert message.to == ["ct-a@example.org"]
    assert message.subject == "Bản tin chờ duyệt: “Tiêm vắc xin mũi 2”"
    assert message.body.startswith(f"Kính gửi đồng chí {leader_with_address.first_name},")
    assert (
        "Lê Thị Hoa đã trình duyệt bản tin “Tiêm vắc xin mũi 2” (lĩnh vực Y tế, phòng chống "
        "dịch bệnh) của xã Phú Nghĩa lúc 08:00 10/08/2021." in message.body
    )
    assert "Xem và duyệt tại đây:\nhttps://bmp.example.org/bulletins/7/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert '<a href="https://bmp.example.org/bulletins/7/">Xem và duyệt bản tin</a>' in html
    notice = Notification.objects.get(pk=pk)
    assert (notice.email_status, notice.email_attempts, notice.emailed_at) == (
        EmailStatus.SENT,
        1,
        NOW,
    )


def test_the_task_run_twice_sends_one_email(leader_with_address):
    pk = tell(leader_with_address)

    assert tasks.send_notification_email(pk) == "sent"
    assert tasks.send_notification_email(pk) == "skipped"

    assert len(mail.outbox) == 1
    assert state(pk) == (EmailStatus.SENT, 1)


def test_an_email_claimed_by_another_worker_is_left_to_it(leader_with_address, frozen):
    pk = tell(leader_with_address)
    # Another worker's claim, a minute old: that worker is sending.
    Notification.objects.filter(pk=pk).update(
        email_status=EmailStatus.SENDING, email_claimed_at=NOW, email_attempts=1
    )
    frozen.shift(60)

    assert outbox.notification_email_send(notification_id=pk).status == "skipped"
    assert outbox.notification_emails_due() == []
    assert mail.outbox == []


def test_a_killed_worker_leaves_nothing_stuck(leader_with_address, frozen):
    pk = tell(leader_with_address)
    Notification.objects.filter(pk=pk).update(
        email_status=EmailStatus.SENDING, email_claimed_at=NOW, email_attempts=1
    )
    frozen.shift(outbox.STALE_CLAIM.total_seconds() - 1)
    assert tasks.sweep_notification_emails() == 0

    frozen.shift(2)

    # The sweep queues it again (eagerly here) and it goes out: at least once, never lost.
    assert tasks.sweep_notification_emails() == 1
    assert len(mail.outbox) == 1
    assert state(pk) == (EmailStatus.SENT, 2)


def test_a_killed_worker_on_the_last_attempt_fails_the_email(leader_with_address, frozen):
    pk = tell(leader_with_address)
    Notification.objects.filter(pk=pk).update(
        email_status=EmailStatus.SENDING,
        email_claimed_at=NOW,
        email_attempts=outbox.MAX_EMAIL_ATTEMPTS,
    )
    frozen.shift(outbox.STALE_CLAIM.total_seconds() + 1)

    assert tasks.sweep_notification_emails() == 0

    notice = Notification.objects.get(pk=pk)
    assert notice.email_status == EmailStatus.FAILED
    assert notice.email_error == "Tiến trình gửi bị dừng giữa chừng; thư có thể đã được gửi đi."
    assert mail.outbox == []


def test_a_failing_server_is_tried_with_a_growing_wait_then_failed(leader_with_address, frozen):
    pk = tell(leader_with_address)
    waits = []
    with override_settings(EMAIL_BACKEND=FAILING):
        for attempt in range(1, outbox.MAX_EMAIL_ATTEMPTS + 1):
            result = outbox.notification_email_send(notification_id=pk)
            notice = Notification.objects.get(pk=pk)
            assert notice.email_attempts == attempt
            assert notice.email_error == ("SMTPServerDisconnected: Connection unexpectedly closed")
            if result.status == "failed":
                break
            assert notice.email_status == EmailStatus.PENDING
            waits.append(result.retry_in)
            # Not due before its wait has run out, due after.
            frozen.shift(result.retry_in - 1)
            assert outbox.notification_emails_due() == []
            frozen.shift(1)
            assert outbox.notification_emails_due() == [pk]

    assert waits == [60.0, 120.0, 240.0, 480.0, 960.0]
    assert state(pk) == (EmailStatus.FAILED, outbox.MAX_EMAIL_ATTEMPTS)
    # Failed for good: never queued again, and the notice stays in the app.
    frozen.shift(3600)
    assert tasks.sweep_notification_emails() == 0
    assert Notification.objects.get(pk=pk).read_at is None


def test_no_address_means_no_email(leader_a):
    pk = tell(leader_a)

    assert Notification.objects.get(pk=pk).email_status == EmailStatus.NONE
    assert tasks.send_notification_email(pk) == "skipped"
    assert mail.outbox == []


def test_the_email_is_queued_once_the_notice_is_committed(
    leader_with_address, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pk = tell(leader_with_address)
    # Nothing before the commit: a worker never looks for a row that is not there yet.
    assert mail.outbox == []
    assert state(pk) == (EmailStatus.PENDING, 0)

    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    assert state(pk) == (EmailStatus.SENT, 1)


def test_with_the_broker_down_the_submission_answers_and_the_sweep_sends_later(
    client_as,
    write,
    officer_a,
    leader_with_address,
    health_assignment,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    bulletin = write(officer_a, title="Tiêm vắc xin mũi 2")
    heard = []

    def messenger(sender, ids, **kwargs):  # the floor above, hearing the same signal
        heard.extend(ids)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    notifications_created.connect(messenger)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(tasks.send_notification_email, "delay", broker_down)
            with django_capture_on_commit_callbacks(execute=True):
                response = client_as(officer_a).post(f"/bulletins/{bulletin.pk}/submit/")
    finally:
        notifications_created.disconnect(messenger)

    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.status == "submitted"
    (notice,) = Notification.objects.filter(user=leader_with_address)
    assert heard == [notice.pk]
    assert (notice.email_status, notice.email_attempts) == (EmailStatus.PENDING, 0)
    assert mail.outbox == []

    # The broker is back: the every-minute sweep finds the email whose task was lost.
    assert tasks.sweep_notification_emails() == 1
    assert state(notice.pk) == (EmailStatus.SENT, 1)
    assert mail.outbox[0].subject == "Bản tin chờ duyệt: “Tiêm vắc xin mũi 2”"


def test_the_sweep_runs_every_minute(settings):
    from celery.schedules import crontab

    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "notifications.tasks.sweep_notification_emails"
    ]
    assert entry["schedule"] == crontab(minute="*")
    assert tasks.sweep_notification_emails.name == entry["task"]
    assert tasks.send_notification_email.name == "notifications.tasks.send_notification_email"


def test_the_sweep_sends_each_pending_email_once(leader_with_address, frozen):
    # Two notices whose tasks were lost (their on-commit queueing never ran here).
    first = tell(leader_with_address, event="bulletin:7:submitted:1")
    second = tell(leader_with_address, event="bulletin:8:submitted:1")
    frozen.shift(datetime.timedelta(minutes=1).total_seconds())

    assert outbox.notification_emails_due() == [first, second]
    assert tasks.sweep_notification_emails() == 2
    assert tasks.sweep_notification_emails() == 0
    assert len(mail.outbox) == 2
