"""A Zalo Official Account posting to its groups (docs/rules.md#zalo):
`POST {ZALO_API_BASE}/v3.0/oa/group/message` with the `access_token` header, renewed through
`POST {ZALO_OAUTH_BASE}/v4/oa/access_token` when it expires.

A refresh token works once: the renewal runs under the channel's row lock and the new pair is
stored before it is used, so a worker that waited on the lock finds the pair renewed and uses
it instead of spending the old refresh token again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletins.models import Channel
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

# Zalo's answers for an access token that expired or was revoked: renew it and try again.
TOKEN_ERRORS = frozenset({-216, -124, -220, -230})
# A Zalo access token lives about 25 hours; renew it a little before it runs out.
REFRESH_MARGIN = datetime.timedelta(minutes=10)
TOKEN_LIFETIME_SECONDS = 90000


@dataclass(frozen=True)
class TokenRefused(Failed):
    """Zalo refused the access token: a failure unless a renewed token does better."""


class Zalo(Transport):
    platform = Platform.ZALO
    credential_keys = ("app_id", "secret_key", "access_token", "refresh_token")

    def send(self, *, chat_id: str, text: str) -> Sent | Retry | Failed | Unknown:
        token = self._access_token(stale=None)
        if not isinstance(token, str):
            return token
        outcome = self._group_message(token, chat_id=chat_id, text=text)
        if isinstance(outcome, TokenRefused):
            token = self._access_token(stale=token)
            if not isinstance(token, str):
                return token
            outcome = self._group_message(token, chat_id=chat_id, text=text)
        return outcome

    def _group_message(
        self, access_token: str, *, chat_id: str, text: str
    ) -> Sent | Retry | Failed | Unknown:
        reply = post(
            f"{settings.ZALO_API_BASE.rstrip('/')}/v3.0/oa/group/message",
            json={"recipient": {"group_id": chat_id}, "message": {"text": text}},
            headers={"access_token": access_token},
        )
        if not isinstance(reply, httpx.Response):
            return reply
        status = reply.status_code
        if status == 429:
            return Retry(error=_("Zalo asks to slow down (429)."), after=_seconds(reply))
        if status >= 500:
            return Retry(error=_("Zalo is unavailable (%(code)s).") % {"code": status})
        answer = json_object(reply)
        if answer is None or "error" not in answer:
            if status < 400:
                return unreadable()
            return Failed(error=self._refused(status, reply.reason_phrase))
        error = answer["error"]
        if error == 0 and status < 400:
            return Sent()
        text = self._refused(error, answer.get("message"))
        return TokenRefused(error=text) if error in TOKEN_ERRORS else Failed(error=text)

    def _refused(self, code, message) -> str:
        return _("Zalo refused the message (%(code)s): %(message)s") % {
            "code": code,
            "message": self.quote(message),
        }

    def _access_token(self, *, stale: str | None) -> str | Retry | Failed:
        """The channel's access token, renewed first when it is about to expire or `stale`
        (the token a send was refused with) is still the stored one."""
        now = timezone.now()
        with transaction.atomic():
            locked = Channel.objects.select_for_update().get(pk=self.channel.pk)
            credentials = locked.credentials
            # Whatever this worker learns of the channel is a secret to keep out of errors.
            self.credentials = {**self.credentials, **credentials}
            expires_at = credentials.get("expires_at")
            expiring = expires_at is not None and (
                datetime.datetime.fromisoformat(expires_at) <= now + REFRESH_MARGIN
            )
            if not expiring and (stale is None or credentials["access_token"] != stale):
                return credentials["access_token"]
            renewed = self._refresh(credentials)
            if not isinstance(renewed, dict):
                return renewed
            self.credentials = {**self.credentials, **renewed}
            lifetime = int(renewed.get("expires_in") or TOKEN_LIFETIME_SECONDS)
            credentials.update(
                access_token=renewed["access_token"],
                refresh_token=renewed["refresh_token"],
                expires_at=(now + datetime.timedelta(seconds=lifetime)).isoformat(),
            )
            locked.credentials = credentials
            locked.save(update_fields=["credentials_encrypted", "updated_at"])
        return credentials["access_token"]

    def _refresh(self, credentials: dict[str, str]) -> dict | Retry | Failed:
        """A new access token and refresh token; the refresh token sent is spent either way."""
        reply = post(
            f"{settings.ZALO_OAUTH_BASE.rstrip('/')}/v4/oa/access_token",
            data={
                "app_id": credentials["app_id"],
                "grant_type": "refresh_token",
                "refresh_token": credentials["refresh_token"],
            },
            headers={"secret_key": credentials["secret_key"]},
        )
        # Nothing was posted to the group yet, so an unreadable renewal is a retry: the next
        # attempt renews again, or learns that the OA must be connected again.
        if isinstance(reply, Unknown):
            return Retry(error=reply.error)
        if not isinstance(reply, httpx.Response):
            return reply
        if reply.status_code >= 500:
            return Retry(error=_("Zalo is unavailable (%(code)s).") % {"code": reply.status_code})
        answer = json_object(reply) or {}
        if (
            reply.status_code == 200
            and isinstance(answer.get("access_token"), str)
            and isinstance(answer.get("refresh_token"), str)
        ):
            return answer
        if reply.status_code < 400 and not answer:
            return Retry(error=unreadable().error)
        words = self.quote(
            answer.get("error_description") or answer.get("message") or answer.get("error")
        )
        return Failed(
            error=_("Zalo refused to renew the access token: %(message)s. Connect the OA again.")
            % {"message": words or reply.status_code}
        )


def _seconds(reply: httpx.Response) -> float | None:
    try:
        return float(reply.headers.get("Retry-After", ""))
    except ValueError:
        return None
