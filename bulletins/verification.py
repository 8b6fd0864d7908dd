"""How anyone checks that a message is the commune's (docs/rules.md#public-channel): each
published bulletin has a random code, its public page `/v/<code>/` at PUBLIC_BASE_URL, the
SHA-256 of the text its deliveries carry, and a QR code of that address for the notice board.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets

import segno
from django.conf import settings
from django.urls import reverse

# 10 random bytes: 80 bits, 16 characters of base32. The code is the only thing between a
# stranger and a bulletin's page, so it is never derived from the id or the time; at 80 bits
# two bulletins drawing the same code (the unique constraint would refuse the second) is not a
# case to plan for.
CODE_BYTES = 10
CODE_LENGTH = 16
CODE_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz234567")


def new_verify_code() -> str:
    """A fresh code: lower-case base32 without padding (letters and 2–7, no 0/O or 1/l to
    misread when typed from paper)."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").lower()


def normalized_code(text: str) -> str | None:
    """The code as typed or scanned (any case, spaces around it), or None when it cannot be
    one: the page answers such a path without asking the database."""
    code = text.strip().lower()
    if len(code) == CODE_LENGTH and set(code) <= CODE_ALPHABET:
        return code
    return None


def public_url(path: str) -> str:
    """An address on the public site (PUBLIC_BASE_URL), as people reach it from a message."""
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def verify_url_of(code: str | None) -> str | None:
    if not code:
        return None
    return public_url(reverse("public-verify", kwargs={"code": code}))


def text_sha256(text: str) -> str:
    """The hexadecimal SHA-256 of the text as UTF-8: what `sha256sum` prints for a file holding
    exactly the message, with no newline after its last line."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def qr_code(url: str) -> segno.QRCode:
    # Level M: a printed notice survives a little dirt or a fold and still scans.
    return segno.make(url, error="m", micro=False)


def qr_svg_inline(url: str, *, title: str) -> str:
    """The QR code as an <svg> element for a page (no style attributes: the content security
    policy forbids them)."""
    return qr_code(url).svg_inline(scale=5, border=4, title=title)


def qr_svg_file(url: str) -> bytes:
    """The QR code as a standalone SVG file, large enough to print."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=12, border=4, xmldecl=True)
    return out.getvalue()
