"""Refuse a workbook whose zip would unpack to far more than any spreadsheet, before openpyxl
unpacks it: a 1 MB upload whose one cell inflates to 1,000 MB took a worker to 2 GB.

The sizes the zip's directory declares are checked first, without inflating anything. They may
lie, and openpyxl reads some parts whole, which zipfile inflates in full before cutting them to
the declared size; so each entry is then inflated here, a chunk at a time and never past its
declared size. What passes cannot unpack to more than was checked.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from groups.imports.errors import ImportRejected, file_error

# A real workbook of 5,000 rows (the import's limit) with 45,000 formatted empty rows below it
# (still within the rows scanned) unpacks to 8.4 MB, one of 1,000 villages to 0.24 MB: 50 MB is
# six times the largest the import reads, and bounds what unpacking costs.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# A sheet's XML deflates 8 to 30 times (rows of formatting alone, about 27); a run of one
# character about 1,000 times. 100 is Apache POI's limit for the same check (ZipSecureFile).
MAX_RATIO = 100
# An entry smaller than this is harmless whatever its ratio (a tiny part may deflate well).
RATIO_GRACE_BYTES = 1024 * 1024
CHUNK_BYTES = 64 * 1024
# The local file header that precedes each entry's data (zipfile's own layout).
LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
LOCAL_SIGNATURE = b"PK\x03\x04"


def check_workbook_archive(data: bytes) -> None:
    """Raise ImportRejected unless `data` is a zip whose entries unpack within the limits."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _unreadable() from None
    total = 0
    for entry in entries:
        if not _safe(entry):
            raise _unreadable()
        if entry.file_size > RATIO_GRACE_BYTES and (
            entry.file_size > MAX_RATIO * entry.compress_size
        ):
            raise file_error(
                _(
                    "The Excel file is compressed unusually tightly (more than %(ratio)d "
                    "times), unlike a real spreadsheet; save it again from Excel, or as CSV."
                )
                % {"ratio": MAX_RATIO}
            )
        total += entry.file_size
        if total > MAX_UNPACKED_BYTES:
            raise file_error(
                _(
                    "The Excel file unpacks to more than %(size)d MB; delete the unused rows, "
                    "columns and pictures, or save it as CSV."
                )
                % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
    for entry in entries:
        if entry.compress_type == zipfile.ZIP_DEFLATED and not _inflates_within(data, entry):
            raise _unreadable()


def _unreadable() -> ImportRejected:
    return file_error(_("The file cannot be read as an Excel (.xlsx) workbook."))


def _safe(entry: zipfile.ZipInfo) -> bool:
    """Stored or deflated (what Excel writes), not encrypted, and named inside the archive."""
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return False
    if entry.flag_bits & 0x1:
        return False
    path = PurePosixPath(entry.filename.replace("\\", "/"))
    return not path.is_absolute() and ".." not in path.parts


def _inflates_within(data: bytes, entry: zipfile.ZipInfo) -> bool:
    """Whether the entry's deflated data unpacks to no more than it declares."""
    try:
        header = LOCAL_HEADER.unpack_from(data, entry.header_offset)
    except struct.error:
        return False
    if header[0] != LOCAL_SIGNATURE:
        return False
    start = entry.header_offset + LOCAL_HEADER.size + header[10] + header[11]
    deflated = memoryview(data)[start : start + entry.compress_size]
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    try:
        # A chunk of input at a time, and at most a chunk of output from each call.
        for offset in range(0, len(deflated), CHUNK_BYTES):
            pending = deflated[offset : offset + CHUNK_BYTES]
            while pending and not inflater.eof:
                size += len(inflater.decompress(pending, CHUNK_BYTES))
                if size > entry.file_size:
                    return False
                pending = inflater.unconsumed_tail
        size += len(inflater.flush())
    except zlib.error:
        return False
    return size <= entry.file_size
