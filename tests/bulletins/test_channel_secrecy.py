"""A channel's credentials never appear in a response, a page, a log or an error (docs/rules.md,
contract: channels/), whatever path they take: the API, the page, a refused send."""

import logging

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from bulletins import sending
from bulletins.models import Channel
from bulletins.publishing import bulletin_publish

pytestmark = pytest.mark.usefixtures("frozen")

TOKEN = "987654321:AAH-very-secret-token-never-shown"
ZALO_SECRETS = {
    "app_id": "app-id-never-shown-42",
    "secret_key": "secret-key-never-shown",
    "access_token": "access-token-never-shown",
    "refresh_token": "refresh-token-never-shown",
}
EVERY_SECRET = [TOKEN, *ZALO_SECRETS.values()]


def assert_no_secret(text: str) -> None:
    for secret in EVERY_SECRET:
        assert secret not in text


def test_no_secret_anywhere(
    api_as, leader_a, district_staff, officer_a, approved, groups_a, commune_a, httpserver, caplog
):
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    api = api_as(leader_a)
    seen.append(
        api.post(
            "/api/v1/channels/",
            {"commune": commune_a.pk, "platform": "telegram", "credentials": {"bot_token": TOKEN}},
            format="json",
        ).content.decode()
    )
    seen.append(
        api.post(
            "/api/v1/channels/",
            {"commune": commune_a.pk, "platform": "zalo", "credentials": ZALO_SECRETS},
            format="json",
        ).content.decode()
    )
    # Refused writes (a duplicate, a missing key) do not echo what was sent either.
    seen.append(
        api.post(
            "/api/v1/channels/",
            {"commune": commune_a.pk, "platform": "telegram", "credentials": {"bot_token": TOKEN}},
            format="json",
        ).content.decode()
    )
    seen.append(
        api.patch(
            f"/api/v1/channels/{Channel.objects.get(platform='zalo').pk}/",
            {"credentials": {"app_id": ZALO_SECRETS["app_id"]}},
            format="json",
        ).content.decode()
    )
    seen += [api.get("/api/v1/channels/").content.decode()]
    seen += [api_as(district_staff).get("/api/v1/channels/").content.decode()]

    # The page, for the leader and the staff, before and after a refused form.
    for user in (leader_a, district_staff):
        client = Client()
        client.force_login(user)
        url = reverse("channel-list", args=[commune_a.code])
        seen.append(client.get(url).content.decode())
        seen.append(
            client.post(
                url, {"platform": "telegram", "telegram-bot_token": "x " + TOKEN}
            ).content.decode()
        )

    # A send that the platform refuses, and one whose platform is unreachable.
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage").respond_with_json(
        {"ok": False, "error_code": 401, "description": f"Unauthorized token {TOKEN}"}, status=401
    )
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
        delivery = bulletin.deliveries.get(channel="telegram")
        sending.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    seen += [delivery.error, Channel.objects.get(platform="telegram").last_error]
    seen.append(
        api_as(leader_a).get(f"/api/v1/bulletins/{bulletin.pk}/deliveries/").content.decode()
    )
    officer = Client()
    officer.force_login(officer_a)
    seen.append(officer.get(reverse("bulletin-detail", args=[bulletin.pk])).content.decode())

    assert delivery.status == "failed"
    assert "Telegram từ chối mã bot (401)" in delivery.error
    for text in seen:
        assert_no_secret(text)
    # Every record of ours; the local server standing in for Telegram ("werkzeug") logs the
    # path it was asked for, as Telegram's own servers would.
    ours = [record for record in caplog.records if record.name != "werkzeug"]
    assert ours
    for record in ours:
        assert_no_secret(record.getMessage())
    for channel in Channel.objects.all():
        assert_no_secret(channel.credentials_encrypted)
        assert_no_secret(repr(channel))
