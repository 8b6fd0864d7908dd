"""Sending through Telegram against a local server that answers as the Bot API does: success,
429 with retry_after, 5xx, a refused token, answers that cannot be read; and the daily member
count."""

import datetime
import json
import time

import pytest
from django.test import override_settings
from werkzeug import Response

from bulletins import claims, member_counts, sending
from bulletins.channels import channel_connect
from bulletins.models import Channel, Delivery, DeliveryStatus
from bulletins.publishing import bulletin_publish, delivery_confirm
from bulletins.transports import base
from groups.models import MemberCount
from tests.bulletins.conftest import CUT_OFF, NOT_HTTP, NOW, raw_reply

pytestmark = pytest.mark.usefixtures("frozen")

TOKEN = "123456789:AAF-secret-bot-token-of-phu-nghia"
SEND = f"/bot{TOKEN}/sendMessage"


@pytest.fixture
def telegram(httpserver):
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        yield httpserver


@pytest.fixture
def delivery(approved, leader_a, groups_a, commune_a, telegram):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    bulletin = bulletin_publish(
        bulletin=approved(title="Tiêm vắc xin <b>mũi 2</b>"), actor=leader_a
    )
    return bulletin.deliveries.get(channel="telegram")


def answer(server, body, status=200):
    server.expect_oneshot_request(SEND, method="POST").respond_with_json(body, status=status)


def test_a_message_is_sent_as_plain_text(delivery, telegram):
    answer(telegram, {"ok": True, "result": {"message_id": 11}})

    assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"

    [(request, _response)] = telegram.log
    payload = json.loads(request.data)
    code = delivery.bulletin.verify_code
    assert payload == {
        "chat_id": "-1001234567890",
        "text": (
            "Tiêm vắc xin <b>mũi 2</b>\n\n"
            f"{delivery.bulletin.body}\n\n"
            "Nguồn: Trung tâm Y tế huyện Bù Gia Mập\n"
            "UBND xã Phú Nghĩa\n"
            f"Xác thực: http://127.0.0.1:8000/v/{code}/"
        ),
    }
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == ("sent", 1, NOW)
    # Sent once: a second call finds nothing to do.
    assert sending.delivery_send(delivery_id=delivery.pk).status == "skipped"
    assert len(telegram.log) == 1


def test_429_waits_retry_after_then_sends(delivery, telegram, frozen):
    answer(telegram, {"ok": False, "error_code": 429, "parameters": {"retry_after": 7}}, 429)

    outcome = sending.delivery_send(delivery_id=delivery.pk)

    assert (outcome.status, outcome.retry_in) == ("retry", 7.0)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == NOW + datetime.timedelta(seconds=7)
    # Not before its time...
    assert sending.delivery_send(delivery_id=delivery.pk).status == "skipped"
    assert sending.deliveries_due() == []
    frozen.move_to(NOW + datetime.timedelta(seconds=7))
    assert sending.deliveries_due() == [delivery.pk]
    answer(telegram, {"ok": True, "result": {"message_id": 12}})
    assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_5xx_backs_off_and_fails_after_the_last_attempt(delivery, telegram, frozen):
    waits = []
    for _ in range(claims.MAX_ATTEMPTS):
        answer(telegram, {"ok": False, "error_code": 502}, 502)
        outcome = sending.delivery_send(delivery_id=delivery.pk)
        if outcome.retry_in is not None:
            waits.append(outcome.retry_in)
            frozen.shift(outcome.retry_in)

    assert waits == [30.0, 60.0, 120.0, 240.0]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert delivery.error == "Chưa gửi được sau 5 lần thử: Telegram đang gián đoạn (502)."


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (401, "Telegram từ chối mã bot (401): hãy kết nối lại bot. [Unauthorized]"),
        (
            403,
            "Telegram từ chối tin nhắn (403): bot chưa là thành viên của nhóm hoặc không được "
            "đăng bài trong nhóm. [Forbidden: bot was kicked from the group chat]",
        ),
        (
            400,
            "Telegram từ chối tin nhắn (400): hãy kiểm tra mã nhóm (chat id). "
            "[Bad Request: chat not found]",
        ),
    ],
)
def test_a_refusal_fails_at_once_with_a_readable_error(delivery, telegram, code, error):
    descriptions = {
        401: "Unauthorized",
        403: "Forbidden: bot was kicked from the group chat",
        400: "Bad Request: chat not found",
    }
    answer(telegram, {"ok": False, "error_code": code, "description": descriptions[code]}, code)

    assert sending.delivery_send(delivery_id=delivery.pk).status == "failed"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("failed", 1, error)
    channel = delivery.bulletin.commune.channels.get()
    assert channel.last_error == error
    assert TOKEN not in delivery.error


def test_a_failed_delivery_can_still_be_posted_by_hand(delivery, telegram, officer_a):
    answer(telegram, {"ok": False, "error_code": 403, "description": "Forbidden"}, 403)
    sending.delivery_send(delivery_id=delivery.pk)

    confirmed = delivery_confirm(
        delivery=Delivery.objects.get(pk=delivery.pk),
        actor=officer_a,
        posted_url="https://t.me/c/123/45",
    )
    assert confirmed.status == "confirmed"


def test_the_platform_unreachable_is_retried(delivery, telegram):
    telegram.expect_oneshot_request(SEND).respond_with_handler(
        lambda request: Response(b"<html>bad gateway</html>", status=504)
    )
    assert sending.delivery_send(delivery_id=delivery.pk).status == "retry"
    with override_settings(TELEGRAM_API_BASE="http://127.0.0.1:9"):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        assert sending.delivery_send(delivery_id=delivery.pk).status == "retry"
    delivery.refresh_from_db()
    assert delivery.error == "Không kết nối được với mạng xã hội. Hệ thống sẽ thử lại."
    assert delivery.unknown_outcomes == 0  # nothing left: it was not sent


def test_at_most_20_messages_a_minute_to_one_group(
    approved, leader_a, groups_a, commune_a, telegram, frozen
):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    telegram.expect_request(SEND).respond_with_json({"ok": True, "result": {}})
    ids = []
    for n in range(21):
        bulletin = bulletin_publish(
            bulletin=approved(title=f"Tin số {n}", body=f"Nội dung tin số {n}."), actor=leader_a
        )
        ids.append(bulletin.deliveries.get(channel="telegram").pk)

    outcomes = [sending.delivery_send(delivery_id=pk) for pk in ids]

    assert [o.status for o in outcomes] == ["sent"] * 20 + ["retry"]
    assert outcomes[-1].retry_in == 60.0
    assert len(telegram.log) == 20
    frozen.shift(60)
    assert sending.delivery_send(delivery_id=ids[-1]).status == "sent"


def test_a_worker_killed_mid_send_leaves_nothing_stuck(delivery, telegram, frozen):
    # A worker claimed the delivery, then died before recording anything.
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=NOW, attempts=1)
    answer(telegram, {"ok": True, "result": {}})
    assert sending.delivery_send(delivery_id=delivery.pk).status == "skipped"
    assert sending.deliveries_due() == []

    frozen.shift(claims.CLAIM_TIMEOUT.total_seconds() + 1)

    assert sending.deliveries_due() == [delivery.pk]
    assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_the_daily_member_count(groups_a, commune_a, telegram):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    telegram.expect_oneshot_request(
        f"/bot{TOKEN}/getChatMemberCount", method="POST", json={"chat_id": "-1001234567890"}
    ).respond_with_json({"ok": True, "result": 231})
    day = NOW.date()

    assert member_counts.channel_member_counts_record(day=day) == 1
    # Counted already: left alone.
    assert member_counts.channel_member_counts_record(day=day) == 0

    count = MemberCount.objects.get()
    assert (count.group, count.date, count.members) == (groups_a["telegram"], day, 231)
    assert len(telegram.log) == 1


def test_a_refused_member_count_is_the_channels_last_error(groups_a, commune_a, telegram):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    telegram.expect_oneshot_request(f"/bot{TOKEN}/getChatMemberCount").respond_with_json(
        {"ok": False, "error_code": 403, "description": "Forbidden: bot is not a member"}, 403
    )

    assert member_counts.channel_member_counts_record(day=NOW.date()) == 0

    assert not MemberCount.objects.exists()
    assert Channel.objects.get().last_error.startswith("Telegram từ chối tin nhắn (403)")


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (raw_reply(NOT_HTTP), "RemoteProtocolError"),
        (raw_reply(CUT_OFF), "RemoteProtocolError"),
        (raw_reply(b""), "RemoteProtocolError"),
        (lambda request: Response(b"<html>OK</html>", status=200), "JSON"),
        (lambda request: Response(b'{"result": 1}', status=200), "JSON"),
    ],
    ids=["not-http", "cut-off", "hung-up", "html", "json-but-not-an-answer"],
)
def test_an_answer_that_cannot_be_read_leaves_the_outcome_unknown(delivery, telegram, reply, kind):
    telegram.expect_oneshot_request(SEND).respond_with_handler(reply)

    outcome = sending.delivery_send(delivery_id=delivery.pk)

    # Retried, as a failure that may pass; but counted apart, since the message may be out.
    assert (outcome.status, outcome.retry_in) == ("retry", 30.0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.unknown_outcomes) == ("pending", 1, 1)
    assert delivery.error == "Không đọc được câu trả lời của mạng xã hội."
    assert TOKEN not in delivery.error


def test_no_answer_in_time_leaves_the_outcome_unknown(delivery, telegram, monkeypatch):
    monkeypatch.setattr(base, "TIMEOUT", base.httpx.Timeout(0.2))
    telegram.expect_oneshot_request(SEND).respond_with_handler(
        lambda request: time.sleep(1) or Response(b'{"ok": true}')
    )

    assert sending.delivery_send(delivery_id=delivery.pk).status == "retry"

    delivery.refresh_from_db()
    assert delivery.unknown_outcomes == 1
    assert delivery.error == "Không đọc được câu trả lời của mạng xã hội."


def test_a_refusal_without_json_fails_by_its_status(delivery, telegram):
    telegram.expect_oneshot_request(SEND).respond_with_data("Forbidden", status=403)

    assert sending.delivery_send(delivery_id=delivery.pk).status == "failed"

    delivery.refresh_from_db()
    assert delivery.error.startswith("Telegram từ chối tin nhắn (403)")
    assert delivery.unknown_outcomes == 0


def test_429_without_retry_after_backs_off(delivery, telegram):
    telegram.expect_oneshot_request(SEND).respond_with_data("slow down", status=429)

    outcome = sending.delivery_send(delivery_id=delivery.pk)

    assert (outcome.status, outcome.retry_in) == ("retry", 30.0)
