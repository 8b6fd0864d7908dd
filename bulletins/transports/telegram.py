"""Telegram's Bot API (docs/rules.md#telegram): `POST {TELEGRAM_API_BASE}/bot<token>/<method>`.

sendMessage posts a delivery to a group as plain text, or a notice to a person's chat;
getChatMemberCount gives the daily member count; getMe names the bot for its deep links and
getUpdates reads what people sent it (docs/rules.md#notification-bot). 429 waits `retry_after`,
5xx backs off, 400/401/403 fail with a readable error, and an answer that cannot be read leaves
the outcome unknown. Zalo Bot speaks the same API at another address (zalo_bot.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from bulletins.transports.base import (
    Failed,
    Retry,
    Sent,
    Transport,
    Unknown,
    json_object,
    post,
    unreadable,
)
from groups.models import Platform

# Telegram's form of a bot token: the bot's number, a colon, then letters, digits, _ and -.
BOT_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
# A deep link's start parameter: at most 64 of these characters (Telegram's rule).
START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Refused(Failed):
    """A refusal with the Bot API's own code (a Zalo Bot's 408 is an empty long poll)."""

    code: int = 0


@dataclass(frozen=True)
class Update:
    """One thing a person sent the bot, as much of it as the notification bot reads."""

    update_id: int | None
    chat_id: str
    private: bool
    text: str


class Telegram(Transport):
    platform = Platform.TELEGRAM
    credential_keys = ("bot_token",)
    # The platform's name in errors, and the longest text one message may carry.
    label = "Telegram"
    max_text_length = 4096

    @classmethod
    def api_base(cls) -> str:
        return settings.TELEGRAM_API_BASE

    @classmethod
    def credentials_problem(cls, credentials: dict[str, str]) -> str | None:
        # The token goes into the request's path: one not of Telegram's form would only fail
        # there, with its text in the error.
        if not BOT_TOKEN.fullmatch(credentials["bot_token"]):
            return _("This is not a Telegram bot token (digits, a colon, letters).")
        return None

    def send(self, *, chat_id: str, text: str) -> Sent | Retry | Failed | Unknown:
        """sendMessage as plain text: no parse_mode, so nothing in a bulletin is read as
        markup."""
        answer = self._call("sendMessage", {"chat_id": chat_id, "text": text})
        return Sent() if isinstance(answer, dict) else answer

    def direct_message(self, *, chat_id: str, text: str) -> Sent | Retry | Failed | Unknown:
        """sendMessage to a person's chat, plain text: the same answers as a group's, with the
        refusals worded for a person (who may have blocked the bot)."""
        answer = self._call("sendMessage", {"chat_id": chat_id, "text": text}, to_person=True)
        return Sent() if isinstance(answer, dict) else answer

    def member_count(self, *, chat_id: str) -> int | Retry | Failed | Unknown:
        """getChatMemberCount: the members of the group now."""
        answer = self._call("getChatMemberCount", {"chat_id": chat_id})
        if not isinstance(answer, dict):
            return answer
        members = answer.get("result")
        if isinstance(members, int) and not isinstance(members, bool) and members >= 0:
            return members
        return unreadable()

    def get_me(self) -> dict | Retry | Failed | Unknown:
        """getMe: the bot itself ({id, username, …}); unreadable unless it names the handle a
        deep link needs."""
        answer = self._call("getMe", {})
        if not isinstance(answer, dict):
            return answer
        me = answer.get("result")
        if not isinstance(me, dict) or self.handle(me) is None:
            return unreadable()
        return me

    @classmethod
    def handle(cls, me: dict) -> str | None:
        """What a link to the bot names it by: its username."""
        username = me.get("username")
        if isinstance(username, str) and re.fullmatch(r"[A-Za-z0-9_]{3,64}", username):
            return username
        return None

    @classmethod
    def deep_link(cls, handle: str, code: str) -> str:
        """The link that opens the bot's chat with Start sending `/start <code>`."""
        return f"https://t.me/{handle}?start={code}"

    def get_updates(self, *, offset: int | None) -> list[Update] | Retry | Failed | Unknown:
        """getUpdates from `offset` (which confirms every update before it): the messages
        people sent the bot since, short-polled (the poller runs every minute)."""
        payload: dict = {"timeout": 0, "limit": 100, "allowed_updates": ["message"]}
        if offset is not None:
            payload["offset"] = offset
        answer = self._call("getUpdates", payload)
        if not isinstance(answer, dict):
            return answer
        results = answer.get("result")
        if not isinstance(results, list):
            return unreadable()
        updates = [self._update(item) for item in results]
        if any(update is None for update in updates):
            return unreadable()
        return updates

    @staticmethod
    def _update(item) -> Update | None:
        """One of getUpdates' results, or None when it is not one."""
        if not isinstance(item, dict):
            return None
        update_id = item.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return None
        message = item.get("message")
        if not isinstance(message, dict):
            return Update(update_id=update_id, chat_id="", private=False, text="")
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        chat_id = chat.get("id")
        text = message.get("text")
        return Update(
            update_id=update_id,
            chat_id=str(chat_id) if isinstance(chat_id, int | str) else "",
            private=chat.get("type") == "private",
            text=text if isinstance(text, str) else "",
        )

    def _call(
        self, method: str, payload: dict, *, to_person: bool = False
    ) -> dict | Retry | Failed | Unknown:
        """The Bot API's answer when it says `ok`, else the outcome its answer means."""
        token = self.credentials["bot_token"]
        reply = post(f"{self.api_base().rstrip('/')}/bot{token}/{method}", json=payload)
        if not isinstance(reply, httpx.Response):
            return reply
        status = reply.status_code
        answer = json_object(reply)
        if answer is not None and not isinstance(answer.get("ok"), bool):
            answer = None  # JSON, but not the Bot API's answer
        code = (answer or {}).get("error_code")
        code = code if isinstance(code, int) else status
        if code == 429 or status == 429:
            retry_after = ((answer or {}).get("parameters") or {}).get("retry_after")
            return Retry(
                error=_("%(platform)s asks to slow down (429).") % {"platform": self.label},
                after=float(retry_after) if isinstance(retry_after, int | float) else None,
            )
        if status >= 500 or code >= 500:
            return Retry(
                error=_("%(platform)s is unavailable (%(code)s).")
                % {"platform": self.label, "code": code}
            )
        if answer is None:
            # A refusal's status is readable whatever its body; a success's is not an answer.
            return unreadable() if status < 400 else self._refusal(status, "", to_person)
        if status == 200 and answer["ok"]:
            return answer
        return self._refusal(code, answer.get("description"), to_person)

    def _refusal(self, code: int, description, to_person: bool) -> Refused:
        names = {"platform": self.label, "code": code}
        if code == 401:
            error = _("%(platform)s refused the bot token (401): connect the bot again.") % names
        elif code == 403 and to_person:
            error = (
                _(
                    "%(platform)s refused the message (403): the person has blocked the bot or "
                    "never started it."
                )
                % names
            )
        elif code == 403:
            error = (
                _(
                    "%(platform)s refused the message (403): the bot is not a member of the "
                    "group, or may not post in it."
                )
                % names
            )
        elif code == 400 and to_person:
            error = (
                _("%(platform)s refused the message (400): the chat was not found; link again.")
                % names
            )
        elif code == 400:
            error = _("%(platform)s refused the message (400): check the group's chat id.") % names
        else:
            error = _("%(platform)s refused the message (%(code)s).") % names
        words = self.quote(description)
        return Refused(error=f"{error} [{words}]" if words else error, code=code)
