"""A mail server that hangs must not pin a worker: EMAIL_TIMEOUT ends the wait, the row is marked
failed with the reason and left for a retry, never stuck in `sending`."""

import socket
import threading
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.test import override_settings

from deadlines import services
from deadlines.models import (
    EscalationDigest,
    ReminderDelivery,
    ReminderDeliveryChannel,
    ReminderDeliveryStatus,
)
from deadlines.outbox import EmailDeliveryFailed, escalation_digest_send, reminder_email_send
from tests.deadlines.conftest import day


@pytest.fixture
def silent_server():
    """A TCP server on 127.0.0.1 (a free port) that accepts connections and never says a word,
    as a mail server stuck behind a broken firewall does. Yields its port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except (TimeoutError, OSError):
                continue
            accepted.append(connection)  # held open, never answered

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for connection in accepted:
        connection.close()
    listener.close()
    assert accepted, "the email never reached the server"


@pytest.fixture
def outbox_rows(deadline, officer_a, district_staff, with_emails):
    """D+3: commune A's overdue reminder emailed to its officer, and the staff user's digest."""
    services.reminders_send_due(day=day(3))
    delivery = ReminderDelivery.objects.filter(
        channel=ReminderDeliveryChannel.EMAIL, recipient=officer_a
    ).first()
    return delivery, EscalationDigest.objects.get(recipient=district_staff)


def smtp_at(port: int):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=1,
    )


@pytest.mark.parametrize("row", ["email", "digest"])
def test_a_hung_smtp_server_fails_the_send_within_the_timeout(silent_server, outbox_rows, row):
    delivery, digest = outbox_rows
    send, model, pk = {
        "email": (reminder_email_send, ReminderDelivery, {"delivery_id": delivery.pk}),
        "digest": (escalation_digest_send, EscalationDigest, {"digest_id": digest.pk}),
    }[row]
    started = time.monotonic()
    with smtp_at(silent_server), pytest.raises(EmailDeliveryFailed):
        send(**pk)
    assert time.monotonic() - started < 5

    stored = model.objects.get(pk=next(iter(pk.values())))
    assert (stored.status, stored.attempts, stored.sent_at) == (
        ReminderDeliveryStatus.FAILED,
        1,
        None,
    )
    assert stored.error == (
        "Không gửi được thư điện tử qua máy chủ thư (Connection unexpectedly closed: timed out); "
        "thư sẽ được gửi lại."
    ), stored.error
    assert not ReminderDelivery.objects.filter(status=ReminderDeliveryStatus.SENDING).exists()
    assert not EscalationDigest.objects.filter(status=ReminderDeliveryStatus.SENDING).exists()


class OutOfTimeBackend:
    """Stands for a send stuck until Celery's soft time limit strikes inside it."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SoftTimeLimitExceeded()


def test_the_soft_time_limit_lets_the_send_release_its_claim(outbox_rows, settings):
    delivery, _digest = outbox_rows
    settings.EMAIL_BACKEND = f"{__name__}.OutOfTimeBackend"
    with pytest.raises(EmailDeliveryFailed):
        reminder_email_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == (
        ReminderDeliveryStatus.FAILED,
        "Gửi thư điện tử quá lâu nên đã dừng; thư sẽ được gửi lại.",
    )
