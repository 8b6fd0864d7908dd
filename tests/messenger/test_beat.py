"""The Celery side of the messengers: the beat jobs exist under their names and run every minute;
a notice queues its sending on commit only when someone linked a chat, and a notice whose task
could not be queued (the broker down) is sent by beat's sweep."""

import pytest
from celery.schedules import crontab
from django.conf import settings
from kombu.exceptions import OperationalError

from bmp_comms.celery import app
from messenger import tasks
from messenger.models import DirectMessage
from tests.messenger.conftest import CHAT_A

pytestmark = pytest.mark.usefixtures("frozen")


def test_the_messenger_beat_jobs_are_registered_tasks_run_every_minute():
    app.loader.import_default_modules()
    jobs = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"].startswith("messenger.")
    }
    assert {entry["task"] for entry in jobs.values()} == {
        "messenger.tasks.poll_updates",
        "messenger.tasks.send_due_direct_messages",
    }
    for entry in jobs.values():
        assert entry["task"] in app.tasks
        assert entry["schedule"] == crontab(minute="*")
    for name in ("send_notices", "send_direct_message"):
        assert f"messenger.tasks.{name}" in app.tasks


def test_a_notice_nobody_linked_queues_nothing(
    officer_a, telegram, tell, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tell(officer_a)

    # The notifications' own signal, and no sending task after it.
    assert len(callbacks) == 1
    assert not DirectMessage.objects.exists()


def test_with_the_broker_down_the_notice_waits_for_beat(
    officer_a, telegram, tell, link_through_bot, monkeypatch, django_capture_on_commit_callbacks
):
    link_through_bot(officer_a, telegram, CHAT_A)
    telegram.sent.clear()

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notices, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        ids = tell(officer_a)
    assert telegram.sent == []
    monkeypatch.undo()

    assert tasks.send_due_direct_messages() == 1

    assert telegram.texts_to(CHAT_A) == [
        "Bản tin «Tiêm chủng» chờ duyệt.\n\nhttps://bmp.example.org/bulletins/12/"
    ]
    assert DirectMessage.objects.get().notification_id == ids[0]
