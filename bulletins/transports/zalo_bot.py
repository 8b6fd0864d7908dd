"""Zalo Bot (docs/rules.md#notification-bot): direct messages to people, never to groups, through
`{ZALO_BOT_API_BASE}/bot<token>/<method>` with Telegram's Bot API methods and answers
(getMe, getUpdates, sendMessage {chat_id, text}), so it is the Telegram transport at another
address, with Zalo's differences written here:

- getMe names the bot by `id` (and `account_name`), not `username`; its chat opens at
  `https://zalo.me/<id>`, which carries no start parameter, so a person sends `/start <code>`;
- getUpdates long-polls and answers one update (an object, not a list) without `update_id`: what
  it returns is consumed, there is no offset to confirm; an empty poll is `error_code` 408;
- a message holds at most 2,000 characters.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

from bulletins.models import ChannelPlatform
from bulletins.transports.base import Failed, Retry, Unknown, unreadable
from bulletins.transports.telegram import BOT_TOKEN, Refused, Telegram, Update

# How long one getUpdates waits for a message, in seconds (Zalo's default is 30): the poller
# runs every minute and asks again while messages come, so a worker is not held for nothing.
POLL_SECONDS = 1
# Zalo's answer to a long poll that ended with no message.
NOTHING_NEW = 408


class ZaloBot(Telegram):
    platform = ChannelPlatform.ZALO_BOT
    label = "Zalo Bot"
    max_text_length = 2000

    @classmethod
    def api_base(cls) -> str:
        return settings.ZALO_BOT_API_BASE

    @classmethod
    def credentials_problem(cls, credentials: dict[str, str]) -> str | None:
        # `{bot_id}:{secret}`, and it goes into the request's path like Telegram's.
        if not BOT_TOKEN.fullmatch(credentials["bot_token"]):
            return _("This is not a Zalo Bot token (digits, a colon, letters).")
        return None

    @classmethod
    def handle(cls, me: dict) -> str | None:
        bot_id = me.get("id")
        if isinstance(bot_id, int) and not isinstance(bot_id, bool):
            bot_id = str(bot_id)
        if isinstance(bot_id, str) and re.fullmatch(r"[0-9A-Za-z_.-]{1,64}", bot_id):
            return bot_id
        return None

    @classmethod
    def deep_link(cls, handle: str, code: str) -> str:
        # The bot's chat; the code is sent as `/start <code>` (the page and the API say so).
        return f"https://zalo.me/{handle}"

    def get_updates(self, *, offset: int | None) -> list[Update] | Retry | Failed | Unknown:
        """One long poll: the update it returns (Zalo has no offset, `offset` is unused), or
        none when it timed out."""
        answer = self._call("getUpdates", {"timeout": str(POLL_SECONDS)})
        if isinstance(answer, Refused) and answer.code == NOTHING_NEW:
            return []
        if not isinstance(answer, dict):
            return answer
        result = answer.get("result")
        if result is None or result == {}:
            return []
        # Zalo documents one object; a list (Telegram's shape) is read too.
        items = result if isinstance(result, list) else [result]
        updates = [self._zalo_update(item) for item in items]
        if any(update is None for update in updates):
            return unreadable()
        return updates

    @staticmethod
    def _zalo_update(item) -> Update | None:
        if not isinstance(item, dict):
            return None
        message = item.get("message")
        if not isinstance(message, dict):
            return Update(update_id=None, chat_id="", private=False, text="")
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        chat_id = chat.get("id")
        text = message.get("text")
        return Update(
            update_id=None,
            chat_id=str(chat_id) if isinstance(chat_id, int | str) else "",
            private=str(chat.get("chat_type") or chat.get("type") or "").upper() == "PRIVATE",
            text=text if isinstance(text, str) else "",
        )
