"""The two platforms' HTTP APIs, as DESIGN.md's contract states them (Telegram Bot API, Zalo
OA group messages and its OAuth refresh), and nothing of ours: each call answers a `Reply`.

urllib from the standard library, not requests: three JSON or form POSTs need no extra
package, and a timeout on every call keeps a hung platform from holding a worker.

No credential ever leaves this module in a message: the Telegram token is part of the URL, so
every error text is built here from the platform's own words, and passed through `redact`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 15
# Zalo's answers for an access token that expired or was revoked: refresh it and try again.
ZALO_TOKEN_ERRORS = frozenset({-216, -124, -220, -230})


@dataclass(frozen=True)
class Reply:
    ok: bool
    # A failure that may pass (429, 5xx, the network): retry, after `retry_after` if given.
    transient: bool = False
    retry_after: float | None = None
    # The platform says the credentials are bad (Zalo: the access token expired).
    token_expired: bool = False
    error: str = ""
    data: dict | None = None


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _post(url: str, *, body: bytes, headers: dict[str, str]) -> tuple[int, dict | None]:
    """POST and read the JSON answer, whatever the HTTP status. Network failures raise OSError
    (URLError is one)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        answer = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None
    return status, answer if isinstance(answer, dict) else None


def _network_failure(exc: OSError) -> Reply:
    # The exception's own text may carry the URL (and so a Telegram token): name its kind only.
    return Reply(
        ok=False,
        transient=True,
        error=_("The platform could not be reached (%(kind)s).") % {"kind": type(exc).__name__},
    )


# --- Telegram ---------------------------------------------------------------------------------


def _telegram(method: str, *, token: str, payload: dict) -> Reply:
    url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{token}/{method}"
    try:
        status, answer = _post(
            url,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
    except OSError as exc:
        return _network_failure(exc)
    answer = answer or {}
    if status == 200 and answer.get("ok"):
        return Reply(ok=True, data=answer)
    code = answer.get("error_code") or status
    description = redact(str(answer.get("description") or ""), [token])[:300]
    if code == 429:
        retry_after = (answer.get("parameters") or {}).get("retry_after")
        return Reply(
            ok=False,
            transient=True,
            retry_after=float(retry_after) if isinstance(retry_after, int | float) else None,
            error=_("Telegram asks to slow down (429)."),
        )
    if status >= 500 or code >= 500:
        return Reply(
            ok=False,
            transient=True,
            error=_("Telegram is unavailable (%(code)s).") % {"code": code},
        )
    if code == 401:
        error = _("Telegram refused the bot token (401): connect the bot again.")
    elif code == 403:
        error = _(
            "Telegram refused the message (403): the bot is not a member of the group, or may "
            "not post in it."
        )
    elif code == 400:
        error = _("Telegram refused the message (400): check the group's chat id.")
    else:
        error = _("Telegram refused the message (%(code)s).") % {"code": code}
    if description:
        error = f"{error} [{description}]"
    return Reply(ok=False, error=error)


def telegram_send(*, token: str, chat_id: str, text: str) -> Reply:
    """sendMessage as plain text: no parse_mode, so nothing in a bulletin is read as markup."""
    return _telegram("sendMessage", token=token, payload={"chat_id": chat_id, "text": text})


def telegram_member_count(*, token: str, chat_id: str) -> Reply:
    """getChatMemberCount → `data["result"]`, the members of the group now."""
    return _telegram("getChatMemberCount", token=token, payload={"chat_id": chat_id})


# --- Zalo OA ----------------------------------------------------------------------------------


def zalo_send(*, access_token: str, group_id: str, text: str) -> Reply:
    url = f"{settings.ZALO_API_BASE.rstrip('/')}/v3.0/oa/group/message"
    try:
        status, answer = _post(
            url,
            body=json.dumps(
                {"recipient": {"group_id": group_id}, "message": {"text": text}}
            ).encode(),
            headers={"Content-Type": "application/json", "access_token": access_token},
        )
    except OSError as exc:
        return _network_failure(exc)
    if status >= 500:
        return Reply(
            ok=False, transient=True, error=_("Zalo is unavailable (%(code)s).") % {"code": status}
        )
    if answer is None:
        return Reply(ok=False, transient=True, error=_("Zalo gave an answer that is not JSON."))
    error = answer.get("error")
    if error == 0:
        return Reply(ok=True, data=answer)
    message = redact(str(answer.get("message") or ""), [access_token])[:300]
    text = _("Zalo refused the message (%(code)s): %(message)s") % {
        "code": error,
        "message": message,
    }
    return Reply(ok=False, token_expired=error in ZALO_TOKEN_ERRORS, error=text)


def zalo_refresh(*, app_id: str, secret_key: str, refresh_token: str) -> Reply:
    """A new access token and refresh token; the refresh token sent is spent either way."""
    url = f"{settings.ZALO_OAUTH_BASE.rstrip('/')}/v4/oa/access_token"
    try:
        status, answer = _post(
            url,
            body=urllib.parse.urlencode(
                {"app_id": app_id, "grant_type": "refresh_token", "refresh_token": refresh_token}
            ).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "secret_key": secret_key,
            },
        )
    except OSError as exc:
        return _network_failure(exc)
    answer = answer or {}
    if status == 200 and answer.get("access_token") and answer.get("refresh_token"):
        return Reply(ok=True, data=answer)
    if status >= 500:
        return Reply(
            ok=False, transient=True, error=_("Zalo is unavailable (%(code)s).") % {"code": status}
        )
    message = redact(
        str(answer.get("error_description") or answer.get("message") or answer.get("error") or ""),
        [secret_key, refresh_token],
    )[:300]
    return Reply(
        ok=False,
        error=_("Zalo refused to renew the access token: %(message)s. Connect the OA again.")
        % {"message": message or status},
    )
