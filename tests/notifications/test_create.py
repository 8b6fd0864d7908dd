"""A person is told of one event once (docs/rules.md#notifications)."""

import pytest

from notifications.models import EmailStatus, Notification
from notifications.services import notifications_create, notifications_mark_read
from notifications.signals import notifications_created

pytestmark = pytest.mark.django_db


def _tell(recipients, event="bulletin:1:submitted"):
    return notifications_create(
        recipients=recipients,
        kind="bulletin_submitted",
        event=event,
        subject="Bản tin chờ duyệt",
        text="Bản tin «Tiêm chủng» chờ duyệt.",
        url="/bulletins/1/",
    )


def test_each_recipient_is_told_once_however_often_the_event_is_raised(leader_a, officer_a):
    first = _tell([leader_a, officer_a, leader_a])
    again = _tell([leader_a, officer_a])

    assert len(first) == 2
    assert again == []
    assert Notification.objects.filter(event="bulletin:1:submitted").count() == 2


def test_another_event_is_another_notice(leader_a):
    _tell([leader_a])
    _tell([leader_a], event="bulletin:2:submitted")

    assert Notification.objects.for_user(leader_a).count() == 2


def test_an_email_is_queued_only_for_a_recipient_with_an_address(leader_a, officer_a):
    leader_a.email = "ct@example.vn"
    leader_a.save()
    officer_a.email = ""
    officer_a.save()

    _tell([leader_a, officer_a])

    assert Notification.objects.get(user=leader_a).email_status == EmailStatus.PENDING
    assert Notification.objects.get(user=officer_a).email_status == EmailStatus.NONE


def test_an_inactive_user_is_not_told(leader_a):
    leader_a.is_active = False
    leader_a.save()

    assert _tell([leader_a]) == []
    assert not Notification.objects.exists()


def test_the_floors_above_hear_of_the_created_notices_after_commit(
    leader_a, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, ids, **kwargs):
        heard.extend(ids)

    notifications_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = _tell([leader_a])
        with django_capture_on_commit_callbacks(execute=True):
            _tell([leader_a])
    finally:
        notifications_created.disconnect(receiver)

    assert heard == created


def test_marking_read_touches_only_ones_own(leader_a, officer_a):
    _tell([leader_a, officer_a])
    other = Notification.objects.get(user=officer_a)

    assert notifications_mark_read(user=leader_a, ids=[other.pk]) == 0
    assert notifications_mark_read(user=leader_a) == 1
    other.refresh_from_db()
    assert other.read_at is None
