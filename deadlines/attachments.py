"""What a submission may carry: a PDF or a photo, at most 10 MB, its type read from its content."""

from __future__ import annotations

import os

import filetype
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# filetype reads the magic numbers within the first 261 bytes.
SNIFF_BYTES = 261

# The detected type, and the name endings that may claim it: a name that promises one type over
# content of another (a ".pdf" holding text, a ".jpg" holding a PDF) is refused.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/webp": ("webp",),
    "image/heic": ("heic", "heif"),
}


def validate_attachment(upload: File) -> str:
    """Refuse anything but a PDF or an image of an allowed type whose name agrees with its
    content, up to 10 MB. Returns the detected MIME type."""
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {"attachment": _("The attachment is larger than 10 MB.")}, code="too_big"
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {"attachment": _("The attachment must be a PDF file or an image (JPEG, PNG, WebP).")},
            code="bad_type",
        )
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in ALLOWED_TYPES[kind.mime]:
        raise ValidationError(
            {
                "attachment": _(
                    "The file's name ends in .%(extension)s but its content is %(kind)s."
                )
                % {"extension": extension or "?", "kind": kind.extension.upper()}
            },
            code="mismatch",
        )
    return kind.mime
