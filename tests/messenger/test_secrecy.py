"""A notification bot's token never appears in a response, a page, a log or an error
(docs/rules.md#channels, #notification-bot), whatever path it takes: the channel's API, the
messenger's API and page, a poll and a send that the platform refuses quoting the token."""

import logging

import pytest
from django.test import Client

from bulletins.models import Channel
from messenger import tasks
from messenger.models import BotState, DirectMessage
from messenger.polling import messenger_updates_poll
from tests.messenger.conftest import CHAT_A, TELEGRAM_TOKEN, ZALO_TOKEN

pytestmark = pytest.mark.usefixtures("frozen")

TOKENS = [TELEGRAM_TOKEN, ZALO_TOKEN]


def assert_no_token(text: str) -> None:
    for token in TOKENS:
        assert token not in text
        assert token.split(":")[1] not in text


def test_no_token_anywhere(
    api_as, district_staff, officer_a, telegram, zalo_bot, link_through_bot, tell, caplog
):
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    staff = api_as(district_staff)
    for channel in (telegram.channel, zalo_bot.channel):
        seen.append(staff.get(f"/api/v1/channels/{channel.pk}/").content.decode())
        seen.append(
            staff.patch(
                f"/api/v1/channels/{channel.pk}/",
                {"credentials": {"bot_token": "x " + TELEGRAM_TOKEN}},
                format="json",
            ).content.decode()
        )
    seen.append(staff.get("/api/v1/channels/").content.decode())
    # A second bot on the platform is refused without echoing what was sent.
    seen.append(
        staff.post(
            "/api/v1/channels/",
            {"platform": "zalo_bot", "credentials": {"bot_token": ZALO_TOKEN}},
            format="json",
        ).content.decode()
    )

    # The link, the poll and a notice, all well.
    link_through_bot(officer_a, telegram, CHAT_A)
    tasks.send_notices(tell(officer_a))
    person = api_as(officer_a)
    seen.append(person.get("/api/v1/messenger/").content.decode())
    page = Client()
    page.force_login(officer_a)
    seen.append(page.get("/accounts/messenger/").content.decode())

    # Then each platform refuses everything, quoting its token back.
    for fake, token in ((telegram, TELEGRAM_TOKEN), (zalo_bot, ZALO_TOKEN)):
        fake.refuse = (
            {"ok": False, "error_code": 401, "description": f"Unauthorized: {token}"},
            401,
        )
    tasks.send_notices(tell(officer_a, event="reminder:9"))
    messenger_updates_poll()
    person.delete("/api/v1/messenger/")
    BotState.objects.update(handle_checked_at=None)  # getMe is asked again
    seen.append(person.post("/api/v1/messenger/", {"platform": "telegram"}).content.decode())
    seen.append(
        page.post(
            "/accounts/messenger/", {"platform": "zalo_bot", "action": "link"}
        ).content.decode()
    )
    failed = DirectMessage.objects.get(status="failed")
    assert failed.error.startswith("Telegram từ chối mã bot (401)")
    seen += list(DirectMessage.objects.values_list("error", flat=True))
    seen += list(Channel.objects.values_list("last_error", flat=True))
    seen.append(api_as(district_staff).get("/api/v1/channels/").content.decode())

    assert "Telegram từ chối mã bot (401)" in Channel.objects.get(platform="telegram").last_error
    for text in seen:
        assert_no_token(text)
    # Every record of ours; the local server standing in for the platform ("werkzeug") logs
    # the path it was asked for, as the platform's own servers would.
    ours = [record for record in caplog.records if record.name != "werkzeug"]
    assert any("bot***" in record.getMessage() for record in ours)
    for record in ours:
        assert_no_token(record.getMessage())
    for channel in Channel.objects.all():
        assert_no_token(channel.credentials_encrypted + repr(channel) + str(channel))
    for state in BotState.objects.all():
        assert_no_token(str(state) + state.token_fingerprint)
