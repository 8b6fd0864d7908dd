"""Telegram's Bot API (docs/rules.md#telegram): `POST {TELEGRAM_API_BASE}/bot<token>/<method>`.

sendMessage posts a delivery as plain text; getChatMemberCount gives the daily member count.
429 waits `retry_after`, 5xx backs off, 400/401/403 fail with a readable error, and an answer
that cannot be read leaves the outcome unknown.
"""

from __future__ import annotations

import re

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


class Telegram(Transport):
    platform = Platform.TELEGRAM
    credential_keys = ("bot_token",)

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

    def member_count(self, *, chat_id: str) -> int | Retry | Failed | Unknown:
        """getChatMemberCount: the members of the group now."""
        answer = self._call("getChatMemberCount", {"chat_id": chat_id})
        if not isinstance(answer, dict):
            return answer
        members = answer.get("result")
        if isinstance(members, int) and not isinstance(members, bool) and members >= 0:
            return members
        return unreadable()

    def _call(self, method: str, payload: dict) -> dict | Retry | Failed | Unknown:
        """The Bot API's answer when it says `ok`, else the outcome its answer means."""
        token = self.credentials["bot_token"]
        reply = post(f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{token}/{method}", json=payload)
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
                error=_("Telegram asks to slow down (429)."),
                after=float(retry_after) if isinstance(retry_after, int | float) else None,
            )
        if status >= 500 or code >= 500:
            return Retry(error=_("Telegram is unavailable (%(code)s).") % {"code": code})
        if answer is None:
            # A refusal's status is readable whatever its body; a success's is not an answer.
            return unreadable() if status < 400 else self._refusal(status, "")
        if status == 200 and answer["ok"]:
            return answer
        return self._refusal(code, answer.get("description"))

    def _refusal(self, code: int, description) -> Failed:
        if code == 401:
            error = _("Telegram refused the bot token (401): connect the bot again.")
        elif code == 403:
            error = _(
                "Telegram refused the message (403): the bot is not a member of the group, or "
                "may not post in it."
            )
        elif code == 400:
            error = _("Telegram refused the message (400): check the group's chat id.")
        else:
            error = _("Telegram refused the message (%(code)s).") % {"code": code}
        words = self.quote(description)
        return Failed(error=f"{error} [{words}]" if words else error)
