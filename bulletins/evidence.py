"""A picture of a post made by hand, as proof of it (docs/rules.md#confirming-a-post).

An upload is read with care before it is decoded: its size first, then its header (format and
dimensions, which Pillow reads without decoding the pixels), and only then the pixels. What is
kept is a new JPEG drawn from those pixels, turned upright as the camera meant it, with no EXIF
(a phone's GPS position, its serial), no ICC profile and no comment left in it.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}
# Stored no larger than this on its longest side: a screenshot stays sharp, a 40-megapixel
# photo of a phone's screen does not fill the disk.
MAX_SIDE = 2560
QUALITY = 85


def evidence_path(instance, filename: str) -> str:
    # A random name: nothing about the commune, the group or the person in a path.
    return f"evidence/{uuid.uuid4().hex}.jpg"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"evidence": [message]})


def evidence_clean(upload) -> ContentFile:
    """The upload re-encoded as a JPEG without metadata, or a ValidationError under `evidence`:
    not a JPEG, PNG or WebP picture, over 5 MB, over 40 megapixels, or a decompression bomb."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise _refuse(_("The picture is larger than 5 MB; send a smaller one."))
    upload.seek(0)
    not_a_picture = _("The file is not a picture (JPEG, PNG or WebP) of the post.")
    too_large = _("The picture has more than 40 megapixels; send a smaller one.")
    try:
        # Pillow's own bomb guard warns above MAX_IMAGE_PIXELS and raises above twice that;
        # both are refusals here, before a pixel is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise _refuse(not_a_picture)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(too_large)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(too_large) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(not_a_picture) from exc
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 — a broken EXIF block: keep the picture as it lies
        upright = image
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        upright = upright.convert("RGBA")
        flat = Image.new("RGB", upright.size, "white")
        flat.paste(upright, mask=upright.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    flat.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image: nothing of the upload's info (exif, icc_profile, comments) is carried.
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name="evidence.jpg")
