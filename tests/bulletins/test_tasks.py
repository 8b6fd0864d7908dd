"""The Celery side: publishing sends the automatic deliveries once the transaction commits (and
publishes all the same when the broker is down), and the beat jobs declared in settings exist
under their names and are safe to run twice."""

import datetime

import pytest
from django.conf import settings
from django.test import override_settings
from kombu.exceptions import OperationalError

from bmp_comms.celery import app
from bulletins import outbox, tasks
from bulletins.channels import channel_connect
from bulletins.publishing import bulletin_publish
from tests.bulletins.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")

TOKEN = "123456789:AAF-secret-bot-token-of-phu-nghia"


def test_every_bulletin_beat_job_is_a_registered_task():
    app.loader.import_default_modules()
    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    for name in names:
        if name.startswith("bulletins."):
            assert name in app.tasks, name
    assert {
        "bulletins.tasks.publish_due_bulletins",
        "bulletins.tasks.send_due_deliveries",
        "bulletins.tasks.record_channel_member_counts",
    } <= set(names)
    # Queued by name: messages already in the broker carry it.
    assert outbox.send_delivery.name == "bulletins.tasks.send_delivery"
    assert outbox.send_delivery.name in app.tasks


def test_publishing_through_the_api_sends_after_commit(
    api_as, approved, leader_a, groups_a, commune_a, httpserver, django_capture_on_commit_callbacks
):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json({"ok": True})
    bulletin = approved()

    with (
        override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = api_as(leader_a).post(f"/api/v1/bulletins/{bulletin.pk}/publish/", {})

    assert response.status_code == 200
    # the deliveries' queueing, and the notices of the publication (bulletins.notices)
    assert len(callbacks) == 2
    assert len(httpserver.log) == 1
    assert bulletin.deliveries.get(channel="telegram").status == "sent"


def test_the_beat_jobs_publish_when_due_and_twice_do_nothing_more(
    approved, leader_a, groups_a, frozen, django_capture_on_commit_callbacks
):
    bulletin = bulletin_publish(
        bulletin=approved(), actor=leader_a, publish_at=NOW + datetime.timedelta(minutes=5)
    )
    assert tasks.publish_due_bulletins() == []
    frozen.shift(300)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.publish_due_bulletins() == [bulletin.pk]
    assert tasks.publish_due_bulletins() == []
    assert tasks.send_due_deliveries() == 0  # every delivery here is posted by hand
    bulletin.refresh_from_db()
    assert bulletin.status == "published"


def test_publishing_while_the_broker_is_down_publishes_and_the_sweep_sends_later(
    api_as,
    approved,
    leader_a,
    groups_a,
    commune_a,
    httpserver,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json({"ok": True})
    bulletin = approved()

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        with monkeypatch.context() as patched:
            patched.setattr(outbox.send_delivery, "delay", broker_down)
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                response = api_as(leader_a).post(f"/api/v1/bulletins/{bulletin.pk}/publish/", {})

        assert response.status_code == 200
        assert response.json()["status"] == "published"
        # the deliveries' queueing, and the notices of the publication (bulletins.notices)
        assert len(callbacks) == 2
        delivery = bulletin.deliveries.get(channel="telegram")
        assert delivery.status == "pending"
        assert httpserver.log == []

        # The broker is back: the every-minute sweep finds the delivery whose task was lost.
        assert tasks.send_due_deliveries() == 1

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(httpserver.log) == 1


def test_a_scheduled_bulletin_published_by_beat_is_sent_after_commit(
    approved, leader_a, groups_a, commune_a, httpserver, frozen, django_capture_on_commit_callbacks
):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json({"ok": True})
    bulletin = bulletin_publish(
        bulletin=approved(), actor=leader_a, publish_at=NOW + datetime.timedelta(minutes=5)
    )
    frozen.shift(300)

    with (
        override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        assert tasks.publish_due_bulletins() == [bulletin.pk]

    # the deliveries' queueing, and the notices of the publication (bulletins.notices)
    assert len(callbacks) == 2
    assert bulletin.deliveries.get(channel="telegram").status == "sent"
