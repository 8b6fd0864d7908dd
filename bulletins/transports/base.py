"""What every transport shares: the outcomes a send answers, the base class, and one HTTP POST
that turns httpx's exceptions into outcomes.

One client (httpx) with one exception hierarchy: an error before the request left (no
connection) is a retry, an error after it left (cut off, not HTTP, a timeout while reading) is
an outcome unknown, because the platform may have posted the message all the same.

No credential ever leaves a transport in a message: the Telegram token is part of the URL, so
every error text is built from the exception's kind or the platform's own words, and passed
through `redact`.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import httpx
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from bulletins.models import Channel

# Every call has a timeout, so a hung platform cannot hold a worker; the claim timeout of
# sending.py is longer than two calls (a Zalo token renewal, then the send).
TIMEOUT = httpx.Timeout(15.0, connect=5.0)


@dataclass(frozen=True)
class Sent:
    """The platform says it posted the message."""


@dataclass(frozen=True)
class Retry:
    """Not posted, and it may pass (429, 5xx, no connection): try again after `after` seconds,
    or with the sender's backoff when the platform named no wait."""

    error: str
    after: float | None = None


@dataclass(frozen=True)
class Failed:
    """Refused for good (bad credentials, a wrong group id): trying again would not help."""

    error: str


@dataclass(frozen=True)
class Unknown:
    """The request left but no readable answer came back: the message may have gone out."""

    error: str


@dataclass(frozen=True)
class PostByHand:
    """Nothing is sent: an officer posts the bulletin and confirms it with the post's link."""


Outcome = Sent | Retry | Failed | Unknown | PostByHand


class Transport:
    """One platform's way of posting a delivery's text to a group. A subclass sets `platform`
    (the code stored on channels and deliveries) and the `credential_keys` its channel holds,
    and answers every send with an Outcome; it never raises for what the platform does."""

    platform: ClassVar[str]
    credential_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, channel: Channel | None) -> None:
        self.channel = channel
        self.credentials: dict[str, str] = channel.credentials if channel is not None else {}

    def send(self, *, chat_id: str, text: str) -> Outcome:
        raise NotImplementedError

    @classmethod
    def credentials_problem(cls, credentials: dict[str, str]) -> str | None:
        """A readable reason the (already complete) credentials cannot work, or None."""
        return None

    def redact(self, text: str) -> str:
        return redact(text, self.credentials.values())

    def quote(self, words: object) -> str:
        """The platform's own words for an error, fit to show: redacted (a platform may echo
        what it was sent) and cut short."""
        return self.redact(str(words or ""))[:300]


def secret_forms(secret: str) -> set[str]:
    """Every form a platform may echo a secret in: as sent, percent-encoded (in a URL or a form,
    either case of hex digits), JSON-escaped, HTML-escaped and in base64. A reply that quotes
    our request back in any of them must not carry the secret into an error or a log."""
    percent = urllib.parse.quote(secret, safe="")
    forms = {
        secret,
        percent,
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), percent),
        urllib.parse.quote_plus(secret),
        urllib.parse.quote(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        base64.b64encode(secret.encode()).decode().rstrip("="),
        base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
    }
    return {form for form in forms if form}


def redact(text: str, secrets) -> str:
    """`text` with every form of every secret replaced by ***; longest forms first, so a form
    that contains another is replaced whole."""
    forms = set().union(*(secret_forms(secret) for secret in secrets if secret))
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    return text


def unreachable() -> Retry:
    # Neither the exception's text (it may carry the URL, and so a Telegram token) nor its
    # class name: people read this under the delivery.
    return Retry(error=_("The platform could not be reached. It will be tried again."))


def unreadable() -> Unknown:
    return Unknown(error=_("The platform's answer could not be read."))


# Raised before anything reached the platform: safe to send again.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)


def post(url: str, **request) -> httpx.Response | Retry | Unknown:
    """POST with the timeout; the response whatever its status, or the outcome of a failure."""
    try:
        return httpx.post(url, timeout=TIMEOUT, **request)
    except NOT_SENT:
        return unreachable()
    except httpx.HTTPError:
        # Cut off, not HTTP, a read timeout: the request may have been acted on.
        return unreadable()


def json_object(response: httpx.Response) -> dict | None:
    """The answer's JSON object, or None when the body is not one."""
    try:
        answer = json.loads(response.content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return answer if isinstance(answer, dict) else None


class RedactBotTokens(logging.Filter):
    """httpx logs every request's URL at INFO; a Bot API URL holds the bot's token
    (`/bot<token>/<method>`), which must reach no log."""

    BOT_PATH = re.compile(r"/bot[^/\s\"]+/")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.BOT_PATH.sub("/bot***/", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
