"""A workbook is a zip, refused before it is unpacked when it would unpack to far more than any
spreadsheet (docs/rules.md#imports): a 1 MB upload whose one cell inflates to 1,000 MB took a
worker to 2 GB. The API and both pages answer 400, with the reason, quickly and in little memory.
"""

import io
import time
import tracemalloc
import zipfile

import pytest

from communes.models import Village
from groups.imports import ImportRejected, member_counts_import, villages_import
from groups.imports import archives as archive_limits
from groups.imports.reading import read_table
from groups.imports.villages import COLUMNS
from groups.models import MemberCount
from tests.groups.import_files import VILLAGE_HEADER, raw_upload, xlsx_upload

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
BOMB_CELL_BYTES = 200 * 1024 * 1024
TOO_LARGE = (
    "Tệp Excel khi giải nén lớn hơn 50 MB; hãy xóa các dòng, cột và hình ảnh không dùng đến, "
    "hoặc lưu thành tệp CSV."
)
TOO_COMPRESSED = (
    "Tệp Excel được nén chặt bất thường (hơn 100 lần), không giống một bảng tính thật; hãy lưu "
    "lại tệp từ Excel, hoặc lưu thành tệp CSV."
)
UNREADABLE = "Không đọc được tệp dưới dạng bảng tính Excel (.xlsx)."


def _rewritten(entries: dict[str, object]) -> bytes:
    """A real workbook of the villages' header and one row, with these entries replaced or
    added: bytes, or a callable that writes the entry's content to an open stream."""
    workbook = xlsx_upload([VILLAGE_HEADER, ["Thôn 1", "thôn", 1, 1, 1]]).read()
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    # The fastest level: a bomb still, 200 MB in under 1 MB, built in a fraction of a second.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            if info.filename not in entries:
                archive.writestr(info.filename, source.read(info))
        for name, content in entries.items():
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as stream:
                    content(stream)
            else:
                archive.writestr(name, content)
    return out.getvalue()


def _bomb_sheet(stream) -> None:
    """A sheet whose one cell is BOMB_CELL_BYTES of "A", written a megabyte at a time."""
    stream.write(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    )
    chunk = b"A" * (1024 * 1024)
    for _ in range(BOMB_CELL_BYTES // len(chunk)):
        stream.write(chunk)
    stream.write(b"</t></is></c></row></sheetData></worksheet>")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = _rewritten({SHEET: _bomb_sheet})
    assert len(data) < 1024 * 1024  # a small upload…
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET)
    assert info.file_size > BOMB_CELL_BYTES  # …that unpacks to 200 MB
    return data


def _villages_url(commune):
    return f"/api/v1/communes/{commune.pk}/import/villages/"


def test_a_decompression_bomb_is_a_quick_400_in_little_memory(api_as, officer_a, commune_a, bomb):
    client = api_as(officer_a)
    started = time.perf_counter()
    response = client.post(
        _villages_url(commune_a), {"file": raw_upload(bomb, "v.xlsx")}, format="multipart"
    )
    elapsed = time.perf_counter() - started
    # Again under tracemalloc (slower, so not timed): the request's peak above what was
    # allocated before it.
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        again = client.post(
            _villages_url(commune_a), {"file": raw_upload(bomb, "v.xlsx")}, format="multipart"
        )
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert (response.status_code, again.status_code) == (400, 400)
    assert elapsed < 2, f"{elapsed:.1f} s"
    assert peak < 100 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"
    assert response.json()["file"] == [TOO_COMPRESSED]
    assert not Village.objects.exists()


def test_the_member_counts_api_and_both_pages_refuse_it(api_as, client, officer_a, commune_a, bomb):
    response = api_as(officer_a).post(
        f"/api/v1/communes/{commune_a.pk}/import/member-counts/",
        {"file": raw_upload(bomb, "c.xlsx")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["file"] == [TOO_COMPRESSED]
    client.force_login(officer_a)
    for kind in ("villages", "member-counts"):
        response = client.post(
            f"/communes/{commune_a.code}/import/{kind}/", {"file": raw_upload(bomb, "v.xlsx")}
        )
        assert response.status_code == 200
        assert TOO_COMPRESSED in response.content.decode()
    assert not Village.objects.exists()
    assert not MemberCount.objects.exists()


def _refusal(commune, data: bytes, importer=villages_import) -> str:
    with pytest.raises(ImportRejected) as info:
        importer(commune=commune, upload=raw_upload(data, "v.xlsx"))
    [error] = info.value.errors
    assert (error.row, error.column) == (None, None)
    return error.message


def test_a_workbook_unpacking_past_the_total_limit(commune_a, monkeypatch):
    # Random-looking text barely compresses: the ratio is fine, the total is not.
    monkeypatch.setattr(archive_limits, "MAX_UNPACKED_BYTES", 64 * 1024)
    filler = bytes(range(256)) * 512  # 128 kB, compresses poorly
    data = _rewritten({"xl/media/filler.bin": filler})
    assert _refusal(commune_a, data).startswith("Tệp Excel khi giải nén lớn hơn 0 MB")
    assert _refusal(commune_a, data, member_counts_import).startswith("Tệp Excel khi giải nén")


def test_the_real_limits():
    assert archive_limits.MAX_UNPACKED_BYTES == 50 * 1024 * 1024
    assert archive_limits.MAX_RATIO == 100


def test_a_real_workbook_of_1000_villages_passes_comfortably():
    rows = [[f"Thôn {n}", "thôn", 250 + n, 1000 + n, 600 + n] for n in range(1000)]
    upload = xlsx_upload([VILLAGE_HEADER, *rows])
    archive = zipfile.ZipFile(io.BytesIO(upload.read()))
    upload.seek(0)
    total = sum(info.file_size for info in archive.infolist())
    ratio = max(info.file_size / info.compress_size for info in archive.infolist())
    assert total * 100 < archive_limits.MAX_UNPACKED_BYTES  # 0.24 MB
    assert ratio * 5 < archive_limits.MAX_RATIO  # about 8
    assert len(read_table(upload, columns=COLUMNS).rows) == 1000


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"PK\x03\x04" + b"\x00" * 200, id="zip-magic-then-garbage"),
        pytest.param(b"%PDF-1.4 not a zip at all", id="not-a-zip"),
    ],
)
def test_a_file_that_is_no_zip(commune_a, data):
    assert _refusal(commune_a, data) == UNREADABLE


@pytest.mark.parametrize("name", ["../x", "xl/../../x", "/etc/x", "xl\\..\\x"])
def test_a_path_out_of_the_archive(commune_a, name):
    assert _refusal(commune_a, _rewritten({name: b"x"})) == UNREADABLE


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with the entry's uncompressed size rewritten in its directory record (which
    zipfile reads) and in its local header."""
    data = bytearray(data)
    encoded = name.encode()
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        length = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 46 : start + 46 + length] == encoded:
            data[start + 24 : start + 28] = size.to_bytes(4, "little")
            local = int.from_bytes(data[start + 42 : start + 46], "little")
            data[local + 22 : local + 26] = size.to_bytes(4, "little")
            return bytes(data)
        start += 4
    raise AssertionError(name)


def test_an_entry_that_unpacks_past_the_size_it_declares(commune_a):
    # A directory may lie: openpyxl reads some parts whole, and zipfile inflates all of a part
    # before cutting it to its declared size. Each entry is inflated first, within that size.
    data = _rewritten({"xl/styles.xml": b"<styleSheet/>" + b" " * 4_000_000})
    assert _refusal(commune_a, _declare_size(data, "xl/styles.xml", 100_000)) == UNREADABLE
