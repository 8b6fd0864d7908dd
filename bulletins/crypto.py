"""Channel credentials at rest: Fernet (AES-128-CBC with an HMAC) under CHANNEL_CREDENTIALS_KEY,
so a copy of the database alone does not hand out the communes' bots and Official Accounts."""

from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    key = getattr(settings, "CHANNEL_CREDENTIALS_KEY", "")
    if not key:
        raise ImproperlyConfigured("CHANNEL_CREDENTIALS_KEY is not set.")
    try:
        return Fernet(key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "CHANNEL_CREDENTIALS_KEY must be a Fernet key (32 url-safe base64-encoded bytes)."
        ) from exc


def encrypt(credentials: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(credentials).encode()).decode()


def decrypt(token: str) -> dict[str, str]:
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        # The message names no value: the stored text is useless without the key anyway.
        raise ImproperlyConfigured(
            "Channel credentials cannot be read with the current CHANNEL_CREDENTIALS_KEY."
        ) from exc
