"""Notices as direct messages (docs/rules.md#messenger): each notice goes once to each chat its
recipient linked before it, with its link; retries follow the Telegram rules."""

import datetime

import pytest

from messenger import sending, tasks
from messenger.models import DirectMessage, MessengerLink
from messenger.services import messenger_unlink
from notifications.models import Notification
from tests.messenger.conftest import CHAT_A, CHAT_B, NOW

pytestmark = pytest.mark.usefixtures("frozen")

NOTICE = "Bản tin «Tiêm chủng» chờ duyệt.\n\nhttps://bmp.example.org/bulletins/12/"


@pytest.fixture
def linked_a(officer_a, telegram, link_through_bot, frozen):
    """The officer of A linked at 08:00; the bot's reply is cleared; the clock a minute on."""
    link_through_bot(officer_a, telegram, CHAT_A)
    telegram.sent.clear()
    frozen.shift(60)
    return officer_a


def test_a_notice_goes_to_the_linked_chat_on_commit_with_its_absolute_link(
    linked_a, officer_b, telegram, tell, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [notice_id, _b] = sorted(tell(linked_a, officer_b))

    assert telegram.sent == [{"chat_id": str(CHAT_A), "text": NOTICE}]
    message = DirectMessage.objects.get()
    assert (message.notification_id, message.status, message.attempts) == (notice_id, "sent", 1)
    assert message.sent_at == NOW + datetime.timedelta(seconds=60)


def test_the_send_task_run_twice_sends_once(linked_a, telegram, tell):
    ids = tell(linked_a)

    tasks.send_notices(ids)
    tasks.send_notices(ids)
    assert tasks.send_due_direct_messages() == 0

    assert len(telegram.sent) == 1
    assert DirectMessage.objects.count() == 1


def test_a_notice_from_before_the_link_is_not_sent(officer_a, telegram, tell, link_through_bot):
    ids = tell(officer_a)  # 08:00, the same moment as the link below: sent
    earlier = Notification.objects.get(pk=ids[0])
    earlier.created_at = NOW - datetime.timedelta(seconds=1)
    earlier.save()
    link_through_bot(officer_a, telegram, CHAT_A)
    telegram.sent.clear()

    tasks.send_notices(ids)
    tasks.send_due_direct_messages()

    assert telegram.sent == []


def test_a_notice_is_sent_to_each_linked_platform(
    officer_a, telegram, zalo_bot, tell, link_through_bot
):
    link_through_bot(officer_a, telegram, CHAT_A)
    link_through_bot(officer_a, zalo_bot, "e4ea2cd5189df1c3a88c")
    telegram.sent.clear()
    zalo_bot.sent.clear()

    tasks.send_notices(tell(officer_a))

    assert telegram.texts_to(CHAT_A) == [NOTICE]
    assert zalo_bot.texts_to("e4ea2cd5189df1c3a88c") == [NOTICE]


def test_429_waits_retry_after_then_sends(linked_a, telegram, tell, frozen):
    telegram.answers.append(
        ({"ok": False, "error_code": 429, "parameters": {"retry_after": 7}}, 429)
    )
    [result] = sending.notices_send(notification_ids=tell(linked_a))

    assert (result.status, result.retry_in) == ("retry", 7.0)
    message = DirectMessage.objects.get()
    assert message.next_attempt_at == NOW + datetime.timedelta(seconds=67)
    # Not before its time, by the task or by beat.
    assert sending.direct_message_send(message_id=message.pk).status == "skipped"
    assert sending.direct_messages_due() == []
    frozen.shift(7)
    assert tasks.send_due_direct_messages() == 1

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert telegram.texts_to(CHAT_A) == [NOTICE, NOTICE]  # the refused one, then the sent one


def test_5xx_backs_off_and_fails_after_five_attempts(linked_a, telegram, tell, frozen):
    for _ in range(5):
        telegram.answers.append(({"ok": False, "error_code": 502}, 502))
    results = sending.notices_send(notification_ids=tell(linked_a))
    waits = [results[0].retry_in]
    message = DirectMessage.objects.get()
    for _ in range(4):
        frozen.shift(waits[-1])
        result = sending.direct_message_send(message_id=message.pk)
        waits.append(result.retry_in)

    assert waits == [30.0, 60.0, 120.0, 240.0, None]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 5)
    assert message.error == "Chưa gửi được sau 5 lần thử: Telegram đang gián đoạn (502)."
    frozen.shift(3600)
    assert sending.direct_messages_due() == []


def test_a_person_who_blocked_the_bot_fails_at_once(linked_a, telegram, tell):
    telegram.answers.append(
        (
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
            403,
        )
    )

    sending.notices_send(notification_ids=tell(linked_a))

    message = DirectMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.error == (
        "Telegram từ chối tin nhắn (403): người nhận đã chặn bot hoặc chưa bấm Bắt đầu với bot. "
        "[Forbidden: bot was blocked by the user]"
    )


def test_beat_sends_a_notice_whose_task_was_lost_and_none_older_than_a_day(
    linked_a, officer_b, telegram, tell, frozen, link_through_bot
):
    link_through_bot(officer_b, telegram, CHAT_B)
    telegram.sent.clear()
    frozen.shift(60)
    # Told without the commit's task (the broker was down): nothing sent yet.
    old = tell(linked_a, event="reminder:1")
    frozen.shift(datetime.timedelta(days=1, seconds=1))
    recent = tell(linked_a, officer_b, event="reminder:2")
    assert telegram.sent == []

    assert sorted(sending.notices_missed()) == sorted(recent)
    tasks.send_due_direct_messages()
    tasks.send_due_direct_messages()

    assert sorted(m["chat_id"] for m in telegram.sent) == [str(CHAT_A), str(CHAT_B)]
    assert not DirectMessage.objects.filter(notification_id__in=old).exists()
    assert sending.notices_missed() == []


def test_an_unlinked_chat_gets_no_retry(linked_a, telegram, tell, frozen):
    telegram.answers.append(({"ok": False, "error_code": 500}, 500))
    sending.notices_send(notification_ids=tell(linked_a))

    messenger_unlink(user=linked_a, platform="telegram")
    frozen.shift(3600)
    tasks.send_due_direct_messages()

    message = DirectMessage.objects.get()
    assert (message.status, message.link_id, message.error) == (
        "failed",
        None,
        "Cuộc trò chuyện đã được hủy liên kết.",
    )
    assert len(telegram.sent) == 1
    assert not MessengerLink.objects.exists()


def test_a_long_notice_is_cut_to_the_platform_with_its_link_whole(linked_a, telegram, tell):
    tasks.send_notices(tell(linked_a, text="Chữ " * 2000))

    [sent] = telegram.texts_to(CHAT_A)
    # Telegram's longest message; the cut falls after a space, which goes.
    assert len(sent) == 4095
    assert sent.endswith("…\n\nhttps://bmp.example.org/bulletins/12/")
