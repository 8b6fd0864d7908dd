"""A platform that echoes a credential back, in whatever encoding, does not carry it into an
error, a page, the API or a log: every form a reply can take (as sent, percent-encoded in
either case, JSON-escaped, HTML-escaped, base64) is redacted before anything is stored."""

import base64
import json
import logging
import re
import urllib.parse

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from bulletins import sending
from bulletins.channels import channel_connect
from bulletins.models import Channel
from bulletins.publishing import bulletin_publish
from bulletins.transports.base import redact, secret_forms

pytestmark = pytest.mark.usefixtures("frozen")

# A bot token is digits, a colon and URL-safe characters: the colon is what encoding changes.
TOKEN = "987654321:AAH-very_secret-token-never-shown"
ZALO = {
    "app_id": "4242000017",
    "secret_key": "zalo secret/key+never",
    "access_token": "access:token/never shown",
    "refresh_token": "refresh-token-never-shown",
}


def every_form(secret: str) -> list[str]:
    """The forms written out independently of the code under test."""
    percent = urllib.parse.quote(secret, safe="")
    return [
        secret,
        percent,
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), percent),
        urllib.parse.quote_plus(secret),
        json.dumps(secret)[1:-1],
        base64.b64encode(secret.encode()).decode().rstrip("="),
    ]


def assert_none_of(secrets, text: str) -> None:
    for secret in secrets:
        for form in every_form(secret):
            assert form not in text, (form, text)


@pytest.mark.parametrize("form", every_form(TOKEN))
def test_each_form_of_a_token_is_redacted(form):
    text = f"bad request: {form} was refused"
    assert redact(text, [TOKEN]) == "bad request: *** was refused"


@pytest.mark.parametrize("form", every_form(ZALO["secret_key"]))
def test_each_form_of_a_secret_with_spaces_and_slashes_is_redacted(form):
    text = f"refused {form}."
    assert redact(text, [ZALO["secret_key"]]) == "refused ***."


def test_the_forms_include_json_escapes_of_non_ascii():
    assert "m\\u1eadt" in secret_forms("mật")
    assert redact('{"token": "m\\u1eadt"}', ["mật"]) == '{"token": "***"}'


def test_an_empty_secret_redacts_nothing():
    assert redact("nothing to hide", ["", None]) == "nothing to hide"


def test_telegram_echoing_its_token_encoded_stores_and_logs_none_of_it(
    approved, leader_a, officer_a, groups_a, commune_a, httpserver, caplog, api_as
):
    caplog.set_level(logging.DEBUG)
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    echoed = " ".join(every_form(TOKEN))
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage").respond_with_json(
        {"ok": False, "error_code": 400, "description": f"Bad Request: chat for {echoed}"},
        status=400,
    )
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
        delivery = bulletin.deliveries.get(channel="telegram")
        sending.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()

    assert delivery.status == "failed"
    assert "Bad Request: chat for ***" in delivery.error
    officer = Client()
    officer.force_login(officer_a)
    seen = [
        delivery.error,
        Channel.objects.get(platform="telegram").last_error,
        api_as(leader_a).get(f"/api/v1/bulletins/{bulletin.pk}/deliveries/").content.decode(),
        officer.get(reverse("bulletin-detail", args=[bulletin.pk])).content.decode(),
        *(r.getMessage() for r in caplog.records if r.name != "werkzeug"),
    ]
    for text in seen:
        assert_none_of([TOKEN], text)


def test_zalo_echoing_its_app_id_and_tokens_stores_none_of_them(
    approved,
    leader_a,
    groups_a,
    commune_a,
    zalo,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    groups_a["zalo"].channel_id = "g-phu-tien"
    groups_a["zalo"].save()
    channel_connect(commune=commune_a, platform="zalo", credentials=ZALO)
    echoed = " ".join(form for secret in ZALO.values() for form in every_form(secret))
    zalo.expect_request("/v3.0/oa/group/message").respond_with_json(
        {"error": -201, "message": f"invalid parameter: {echoed}"}
    )
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    delivery = bulletin.deliveries.get(channel="zalo")
    sending.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()

    assert delivery.status == "failed"
    assert "invalid parameter: ***" in delivery.error
    for text in (
        delivery.error,
        Channel.objects.get(platform="zalo").last_error,
        *(r.getMessage() for r in caplog.records if r.name != "werkzeug"),
    ):
        assert_none_of(ZALO.values(), text)
