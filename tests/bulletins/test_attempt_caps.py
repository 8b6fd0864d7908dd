"""How often one delivery is tried (docs/rules.md, Telegram): an answer that cannot be read is
retried at most twice, then the delivery fails saying the message may have gone out; no
delivery is tried more than 5 times in all, whatever fails, the every-minute sweep included;
and a failed delivery is never sent again by itself."""

import datetime

import pytest
from django.test import override_settings

from bulletins import claims, sending, tasks
from bulletins.channels import channel_connect
from bulletins.models import Delivery
from bulletins.publishing import bulletin_publish
from tests.bulletins.conftest import CUT_OFF, NOW, raw_reply

pytestmark = pytest.mark.usefixtures("frozen")

TOKEN = "123456789:AAF-secret-bot-token-of-phu-nghia"
SEND = f"/bot{TOKEN}/sendMessage"
AN_HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def telegram(httpserver):
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        yield httpserver


@pytest.fixture
def delivery(approved, leader_a, groups_a, commune_a, telegram):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    return bulletin.deliveries.get(channel="telegram")


def sweep_for_a_day(frozen) -> None:
    """The every-minute beat job, run hourly for a day: far more chances than any cap."""
    for _ in range(24):
        tasks.send_due_deliveries()
        frozen.shift(AN_HOUR)


def test_an_unknown_outcome_stops_after_three_tries(delivery, telegram, frozen):
    telegram.expect_request(SEND).respond_with_handler(raw_reply(CUT_OFF))

    sweep_for_a_day(frozen)

    assert len(telegram.log) == 3
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.unknown_outcomes) == ("failed", 3, 2)
    assert delivery.error == (
        "Không nhận được câu trả lời đọc được sau 3 lần thử: tin nhắn có thể đã được gửi đi. "
        "Hãy xem trong nhóm trước khi đăng thủ công. "
        "(Không đọc được câu trả lời của mạng xã hội.)"
    )
    assert delivery.bulletin.commune.channels.get().last_error == delivery.error


def test_a_sixth_attempt_never_happens(delivery, telegram, frozen):
    telegram.expect_request(SEND).respond_with_json({"ok": False, "error_code": 502}, status=502)

    sweep_for_a_day(frozen)

    assert len(telegram.log) == 5
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert delivery.error == "Chưa gửi được sau 5 lần thử: Telegram đang gián đoạn (502)."


def test_unknown_outcomes_and_plain_failures_share_the_five(delivery, telegram, frozen):
    for reply in ("cut-off", 502, "cut-off", 502, 502, 502):
        if reply == "cut-off":
            telegram.expect_ordered_request(SEND).respond_with_handler(raw_reply(CUT_OFF))
        else:
            telegram.expect_ordered_request(SEND).respond_with_json({"ok": False}, status=502)

    sweep_for_a_day(frozen)

    assert len(telegram.log) == 5
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.unknown_outcomes) == ("failed", 5, 2)


def test_a_failed_delivery_is_never_sent_again_by_itself(delivery, telegram, frozen):
    telegram.expect_oneshot_request(SEND).respond_with_json(
        {"ok": False, "error_code": 403, "description": "Forbidden"}, status=403
    )
    assert sending.delivery_send(delivery_id=delivery.pk).status == "failed"
    telegram.expect_request(SEND).respond_with_json({"ok": True, "result": {}})

    sweep_for_a_day(frozen)
    assert sending.delivery_send(delivery_id=delivery.pk).status == "skipped"

    assert len(telegram.log) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)


def test_a_sender_that_died_on_the_fifth_attempt_is_not_replaced(delivery, telegram, frozen):
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=NOW, attempts=5)
    telegram.expect_request(SEND).respond_with_json({"ok": True, "result": {}})
    frozen.shift(claims.CLAIM_TIMEOUT.total_seconds() + 1)

    assert sending.deliveries_due() == []
    assert tasks.send_due_deliveries() == 0

    assert telegram.log == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == ("failed", 5, None)
    assert "tin nhắn có thể đã được gửi đi" in delivery.error


def test_a_dead_sender_is_an_unknown_outcome(delivery, telegram, frozen):
    # Two answers could not be read; the third sender died: no fourth try.
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=NOW, attempts=3, unknown_outcomes=2)
    telegram.expect_request(SEND).respond_with_json({"ok": True, "result": {}})
    frozen.shift(claims.CLAIM_TIMEOUT.total_seconds() + 1)

    # A task still queued for it does not take the claim over...
    assert sending.deliveries_due() == []
    assert sending.delivery_send(delivery_id=delivery.pk).status == "skipped"
    # ...and the sweep fails it.
    sweep_for_a_day(frozen)

    assert telegram.log == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.error.endswith("(tiến trình gửi đã dừng giữa chừng)")


def test_taking_over_a_dead_senders_claim_counts_its_unknown_outcome(delivery, telegram, frozen):
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=NOW, attempts=1)
    telegram.expect_oneshot_request(SEND).respond_with_handler(raw_reply(CUT_OFF))
    frozen.shift(claims.CLAIM_TIMEOUT.total_seconds() + 1)

    assert sending.delivery_send(delivery_id=delivery.pk).status == "retry"

    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.unknown_outcomes) == (2, 2)


def test_a_delivery_left_over_the_cap_by_an_older_rule_fails_at_the_sweep(
    delivery, telegram, frozen
):
    Delivery.objects.filter(pk=delivery.pk).update(
        attempts=7, error="Telegram đang gián đoạn (502)."
    )
    telegram.expect_request(SEND).respond_with_json({"ok": True, "result": {}})

    assert tasks.send_due_deliveries() == 0

    assert telegram.log == []
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.error == "Chưa gửi được sau 7 lần thử: Telegram đang gián đoạn (502)."
