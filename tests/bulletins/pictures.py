"""Pictures for the confirmation tests, made in memory: a phone's photo with its GPS position,
a PNG whose header claims any size (a decompression bomb costs nothing to write)."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def phone_photo(*, size=(64, 48), orientation: int = 6, name: str = "photo.jpg") -> bytes:
    """A JPEG as a phone writes it: its maker, its GPS position, turned by EXIF orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (11.0, 55.0, 30.0), 3: "E", 4: (107.0, 5.0, 10.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def picture(fmt: str = "PNG", size=(40, 30), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "blue").save(out, format=fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says width × height: Pillow reads the size without decoding."""
    real = picture("PNG", (1, 1))
    ihdr_data = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr_data
    ihdr = struct.pack(">I", len(ihdr_data)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    # signature (8) + the original IHDR chunk (4 + 4 + 13 + 4 = 25)
    return real[:8] + ihdr + real[33:]


def upload(content: bytes, name: str = "post.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)
