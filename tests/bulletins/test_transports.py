"""The one registry of transports, and the platform names spelled once (groups.Platform): the
channel and delivery choices are derived from it and keep their stored values."""

import logging

import pytest
from django.core.exceptions import ValidationError

from bulletins import transports
from bulletins.models import CHANNEL_PLATFORMS, ChannelKind, ChannelPlatform
from bulletins.transports.base import RedactBotTokens
from groups.models import Platform


def test_every_delivery_channel_has_its_transport_and_no_other():
    # A delivery's channels, and the notification bot's Zalo Bot, which writes to people only.
    assert set(transports.TRANSPORTS) == set(ChannelKind.values) | set(ChannelPlatform.values)
    for code, transport in transports.TRANSPORTS.items():
        assert transport.platform == code


def test_the_stored_values_are_as_they_were():
    assert Platform.values == ["zalo", "facebook", "telegram", "viber", "other"]
    assert ChannelPlatform.choices == [
        ("telegram", "Telegram"),
        ("zalo", "Zalo"),
        ("zalo_bot", "Zalo Bot"),
    ]
    assert ChannelKind.values == ["telegram", "zalo", "manual"]
    assert set(CHANNEL_PLATFORMS) <= set(Platform)


def test_a_channel_platform_needs_credentials_and_posting_by_hand_none():
    for platform in ChannelPlatform.values:
        assert transports.transport_for(platform).credential_keys
    with pytest.raises(ValidationError) as refused:
        transports.clean_credentials("manual", {})
    assert "platform" in refused.value.message_dict


def test_credentials_keep_only_the_keys_of_the_platform():
    cleaned = transports.clean_credentials(
        "telegram", {"bot_token": " 42:abc-DEF_1 ", "secret_key": "stray"}
    )
    assert cleaned == {"bot_token": "42:abc-DEF_1"}


def test_posting_by_hand_sends_nothing():
    outcome = transports.transport_for("manual")(None).send(chat_id="", text="Tin")
    assert outcome == transports.PostByHand()


def test_a_bot_token_in_a_logged_url_is_redacted():
    record = logging.LogRecord(
        "httpx",
        logging.INFO,
        __file__,
        1,
        'HTTP Request: %s %s "%s %d %s"',
        ("POST", "https://api.telegram.org/bot42:secret-T0ken/sendMessage", "HTTP/1.1", 200, "OK"),
        None,
    )

    assert RedactBotTokens().filter(record)

    assert record.getMessage() == (
        'HTTP Request: POST https://api.telegram.org/bot***/sendMessage "HTTP/1.1 200 OK"'
    )
