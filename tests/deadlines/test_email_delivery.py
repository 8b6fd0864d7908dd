"""The email outbox: a failed email keeps the in-app reminder, is marked failed and is retried;
a delivery is claimed before it is sent, so it is never sent twice."""

from unittest import mock

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from bmp_comms.celery import app as celery_app
from deadlines.models import ReminderDelivery, ReminderDeliveryChannel, ReminderDeliveryStatus
from deadlines.outbox import reminder_email_send
from deadlines.tasks import EMAIL_RETRIES, send_due_reminders
from tests.deadlines import backends
from tests.deadlines.conftest import at, local


@pytest.fixture(autouse=True)
def eager_retries():
    """Eager tasks re-raise a retry when errors propagate; let Celery run the retries inline,
    as a worker would run them later, so the whole chain of attempts is observed."""
    conf = celery_app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = previous


@pytest.fixture
def only_officer_a(district, commune_a, officer_a):
    """A deadline of commune A alone, whose one recipient has an email address."""
    from tests.factories import DeadlineFactory

    officer_a.email = "xa-a@example.org"
    officer_a.save(update_fields=["email"])
    return DeadlineFactory(district=district, communes=[commune_a])


def run(django_capture_on_commit_callbacks, hour=7):
    # D-3 for the deadline of 06/08/2021: one before_3 reminder.
    with at(local(2021, 8, 3, hour)), django_capture_on_commit_callbacks(execute=True):
        return send_due_reminders.delay().get()


def email_delivery():
    return ReminderDelivery.objects.get(channel=ReminderDeliveryChannel.EMAIL)


def test_failing_server_keeps_the_in_app_reminder_marks_failed_then_retries(
    only_officer_a, officer_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.deadlines.backends.FailingBackend"
    result = run(django_capture_on_commit_callbacks)

    assert result["reminders"] == 1
    in_app = ReminderDelivery.objects.get(channel=ReminderDeliveryChannel.IN_APP)
    assert (in_app.recipient, in_app.status, in_app.read_at) == (officer_a, "sent", None)
    failed = email_delivery()
    # The first attempt and every retry with backoff, then left for the next run.
    assert failed.status == ReminderDeliveryStatus.FAILED
    assert failed.attempts == 1 + EMAIL_RETRIES
    # In words, with the server's own; the exception's name is the log's.
    assert failed.error == (
        "Không gửi được thư điện tử qua máy chủ thư (Connection unexpectedly closed); thư sẽ "
        "được gửi lại."
    )
    assert failed.sent_at is None
    assert mail.outbox == []

    # The server is back; the next run sends it (and creates no second reminder).
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = run(django_capture_on_commit_callbacks, hour=8)
    assert (again["reminders"], again["emails_requeued"]) == (0, 1)
    sent = email_delivery()
    assert (sent.status, sent.attempts, sent.error) == ("sent", 2 + EMAIL_RETRIES, "")
    assert sent.sent_at is not None
    assert [m.to for m in mail.outbox] == [["xa-a@example.org"]]
    assert ReminderDelivery.objects.filter(channel=ReminderDeliveryChannel.IN_APP).count() == 1


def test_a_refused_send_is_retried_by_the_task(
    only_officer_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.deadlines.backends.FlakyBackend"
    backends.FlakyBackend.failures = 1
    run(django_capture_on_commit_callbacks)
    delivery = email_delivery()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_a_claimed_or_sent_delivery_is_not_sent_again(
    only_officer_a, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    delivery = email_delivery()
    assert delivery.status == "sent"
    assert reminder_email_send(delivery_id=delivery.pk) is False
    ReminderDelivery.objects.filter(pk=delivery.pk).update(status=ReminderDeliveryStatus.SENDING)
    # Another worker holds it (a fresh claim): hands off.
    with at(local(2021, 8, 3, 7, 5)):
        ReminderDelivery.objects.filter(pk=delivery.pk).update(last_attempt_at=local(2021, 8, 3, 7))
        assert reminder_email_send(delivery_id=delivery.pk) is False
    assert len(mail.outbox) == 1
    # A claim older than 15 minutes belongs to a worker that died: taken over.
    with at(local(2021, 8, 3, 7, 20)):
        assert reminder_email_send(delivery_id=delivery.pk) is True
    assert len(mail.outbox) == 2


def test_broker_down_leaves_the_email_pending_for_the_next_run(
    only_officer_a, django_capture_on_commit_callbacks
):
    with mock.patch(
        "deadlines.tasks.deliver_reminder_email.delay", side_effect=OperationalError("down")
    ):
        result = run(django_capture_on_commit_callbacks)
    assert result["emails_queued"] == 1
    assert email_delivery().status == ReminderDeliveryStatus.PENDING
    assert mail.outbox == []
    run(django_capture_on_commit_callbacks, hour=8)
    assert email_delivery().status == ReminderDeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_a_recipient_without_email_gets_the_app_only(
    district, commune_a, officer_a, leader_a, django_capture_on_commit_callbacks
):
    from tests.factories import DeadlineFactory

    DeadlineFactory(district=district, communes=[commune_a])
    run(django_capture_on_commit_callbacks)
    assert sorted(ReminderDelivery.objects.values_list("channel", "recipient__username")) == [
        ("in_app", "ct-a"),
        ("in_app", "xa-a"),
    ]
