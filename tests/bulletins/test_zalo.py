"""Sending through a Zalo OA against a local server that answers as Zalo's group message API
and its OAuth refresh do: success, an error with its message, an expired token renewed once,
passing failures, refusals, and answers that cannot be read."""

import datetime
import json
import urllib.parse

import pytest
from werkzeug import Response

from bulletins import sending
from bulletins.channels import channel_connect
from bulletins.models import Channel
from bulletins.publishing import bulletin_publish
from bulletins.transports.zalo import Zalo
from tests.bulletins.conftest import CUT_OFF, NOT_HTTP, NOW, raw_reply

pytestmark = pytest.mark.usefixtures("frozen")

CREDENTIALS = {
    "app_id": "4242",
    "secret_key": "zalo-secret-key-phu-nghia",
    "access_token": "old-access-token",
    "refresh_token": "refresh-token-1",
}
MESSAGE = "/v3.0/oa/group/message"
REFRESH = "/v4/oa/access_token"


@pytest.fixture
def delivery(approved, leader_a, groups_a, commune_a, zalo):
    groups_a["zalo"].channel_id = "g-phu-tien"
    groups_a["zalo"].save()
    channel_connect(commune=commune_a, platform="zalo", credentials=CREDENTIALS)
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    return bulletin.deliveries.get(channel="zalo")


def test_a_group_message_is_sent_with_the_access_token(delivery, zalo):
    zalo.expect_oneshot_request(
        MESSAGE, method="POST", headers={"access_token": "old-access-token"}
    ).respond_with_json({"error": 0, "message": "Success", "data": {"message_id": "m1"}})

    assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"

    [(request, _)] = zalo.log
    assert json.loads(request.data) == {
        "recipient": {"group_id": "g-phu-tien"},
        "message": {"text": sending.delivery_text(delivery.bulletin)},
    }


def test_an_error_fails_with_its_message(delivery, zalo):
    zalo.expect_oneshot_request(MESSAGE).respond_with_json(
        {"error": -201, "message": "Group id is invalid"}
    )

    assert sending.delivery_send(delivery_id=delivery.pk).status == "failed"

    delivery.refresh_from_db()
    assert delivery.error == "Zalo từ chối tin nhắn (-201): Group id is invalid"
    assert Channel.objects.get().last_error == delivery.error


def test_an_expired_token_is_renewed_stored_and_used(delivery, zalo):
    zalo.expect_oneshot_request(
        MESSAGE, headers={"access_token": "old-access-token"}
    ).respond_with_json({"error": -216, "message": "Access token is invalid"})
    zalo.expect_oneshot_request(
        REFRESH, method="POST", headers={"secret_key": "zalo-secret-key-phu-nghia"}
    ).respond_with_json(
        {
            "access_token": "new-access-token",
            "refresh_token": "refresh-token-2",
            "expires_in": "90000",
        }
    )
    zalo.expect_oneshot_request(
        MESSAGE, headers={"access_token": "new-access-token"}
    ).respond_with_json({"error": 0, "message": "Success"})

    assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"

    refresh_request = zalo.log[1][0]
    assert urllib.parse.parse_qs(refresh_request.get_data(as_text=True)) == {
        "app_id": ["4242"],
        "grant_type": ["refresh_token"],
        "refresh_token": ["refresh-token-1"],
    }
    stored = Channel.objects.get().credentials
    assert (stored["access_token"], stored["refresh_token"]) == (
        "new-access-token",
        "refresh-token-2",
    )
    expires_at = datetime.datetime.fromisoformat(stored["expires_at"])
    assert expires_at == NOW + datetime.timedelta(seconds=90000)


def test_a_token_about_to_expire_is_renewed_before_sending(delivery, zalo):
    channel = Channel.objects.get()
    channel.credentials = {
        **CREDENTIALS,
        "expires_at": (NOW + datetime.timedelta(minutes=5)).isoformat(),
    }
    channel.save()
    zalo.expect_oneshot_request(REFRESH).respond_with_json(
        {"access_token": "fresh", "refresh_token": "refresh-token-2", "expires_in": 90000}
    )
    zalo.expect_oneshot_request(MESSAGE, headers={"access_token": "fresh"}).respond_with_json(
        {"error": 0}
    )

    assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"
    assert [entry[0].path for entry in zalo.log] == [REFRESH, MESSAGE]


def test_a_refused_refresh_fails_the_delivery_and_names_no_secret(delivery, zalo):
    zalo.expect_oneshot_request(MESSAGE).respond_with_json(
        {"error": -216, "message": "Access token is invalid"}
    )
    zalo.expect_oneshot_request(REFRESH).respond_with_json(
        {"error": -14014, "error_description": "Invalid refresh token refresh-token-1"}, status=400
    )

    assert sending.delivery_send(delivery_id=delivery.pk).status == "failed"

    delivery.refresh_from_db()
    assert delivery.error.startswith("Zalo từ chối gia hạn mã truy cập")
    for secret in CREDENTIALS.values():
        if len(secret) > 4:
            assert secret not in delivery.error
    # The stored pair is untouched: the refresh token was not replaced by anything.
    assert Channel.objects.get().credentials["refresh_token"] == "refresh-token-1"


def test_5xx_is_retried(delivery, zalo):
    zalo.expect_oneshot_request(MESSAGE).respond_with_data("oops", status=503)

    outcome = sending.delivery_send(delivery_id=delivery.pk)

    assert (outcome.status, outcome.retry_in) == ("retry", 30.0)


def test_429_waits_what_zalo_asks(delivery, zalo):
    zalo.expect_oneshot_request(MESSAGE).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "12"}
    )

    outcome = sending.delivery_send(delivery_id=delivery.pk)

    assert (outcome.status, outcome.retry_in) == ("retry", 12.0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == ("pending", "Zalo yêu cầu gửi chậm lại (429).")


@pytest.mark.parametrize("status", [400, 401, 403])
def test_a_refusal_by_status_fails_at_once(delivery, zalo, status):
    zalo.expect_oneshot_request(MESSAGE).respond_with_data("refused", status=status)

    assert sending.delivery_send(delivery_id=delivery.pk).status == "failed"

    delivery.refresh_from_db()
    assert delivery.error.startswith(f"Zalo từ chối tin nhắn ({status}): ")
    assert "old-access-token" not in delivery.error
    assert Channel.objects.get().last_error == delivery.error


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (raw_reply(NOT_HTTP), "RemoteProtocolError"),
        (raw_reply(CUT_OFF), "RemoteProtocolError"),
        (lambda request: Response(b"<html>OK</html>"), "JSON"),
        (lambda request: Response(b'{"data": {}}'), "JSON"),
    ],
    ids=["not-http", "cut-off", "html", "json-without-error"],
)
def test_an_answer_that_cannot_be_read_leaves_the_outcome_unknown(delivery, zalo, reply, kind):
    zalo.expect_oneshot_request(MESSAGE).respond_with_handler(reply)

    assert sending.delivery_send(delivery_id=delivery.pk).status == "retry"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.unknown_outcomes) == ("pending", 1)
    assert delivery.error == "Không đọc được câu trả lời của mạng xã hội."


def test_a_renewal_cut_off_is_retried_and_sends_nothing(delivery, zalo):
    # Nothing reached the group: a plain retry, not an unknown outcome.
    zalo.expect_oneshot_request(MESSAGE).respond_with_json(
        {"error": -216, "message": "Access token is invalid"}
    )
    zalo.expect_oneshot_request(REFRESH).respond_with_handler(raw_reply(CUT_OFF))

    assert sending.delivery_send(delivery_id=delivery.pk).status == "retry"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.unknown_outcomes) == ("pending", 0)
    assert [entry[0].path for entry in zalo.log] == [MESSAGE, REFRESH]
    assert Channel.objects.get().credentials["refresh_token"] == "refresh-token-1"


def test_a_token_renewed_meanwhile_by_another_worker_is_used_not_renewed_again(delivery, zalo):
    # The row lock serialises renewals: the worker that waited finds the pair renewed.
    channel = Channel.objects.get()
    transport = Zalo(channel)
    channel.credentials = {
        **CREDENTIALS,
        "access_token": "renewed-by-the-other",
        "refresh_token": "refresh-token-2",
    }
    channel.save()

    assert transport._access_token(stale="old-access-token") == "renewed-by-the-other"
    assert zalo.log == []
