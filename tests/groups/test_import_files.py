"""Problems with the file as a whole: each is refused with a reason and nothing is written."""

import io
import zipfile

import pytest

from communes.models import Village
from groups.imports import (
    ImportRejected,
    RowError,
    member_counts_import,
    reading,
    villages_import,
)
from tests.groups.import_files import VILLAGE_HEADER, csv_upload, raw_upload, xlsx_upload

pytestmark = pytest.mark.django_db


def errors_of(commune, upload, importer=villages_import) -> list[RowError]:
    with pytest.raises(ImportRejected) as info:
        importer(commune=commune, upload=upload)
    assert not Village.objects.exists()
    return info.value.errors


def only_message(commune, upload) -> str:
    errors = errors_of(commune, upload)
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column) == (None, None)
    return errors[0].message


def test_no_file(commune_a):
    assert only_message(commune_a, None) == "Hãy chọn tệp CSV hoặc Excel (.xlsx) để nhập."


@pytest.mark.parametrize("name", ["villages.txt", "villages.pdf", "villages"])
def test_other_file_types_are_refused(commune_a, name):
    upload = raw_upload(b"name,kind\n", name)
    assert only_message(commune_a, upload) == "Tệp phải là tệp CSV (.csv) hoặc Excel (.xlsx)."


def test_old_binary_excel_is_refused_with_what_to_do(commune_a):
    upload = raw_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "villages.xls")
    assert only_message(commune_a, upload) == (
        "Không đọc được tệp Excel cũ (.xls); hãy lưu tệp dưới dạng Excel Workbook (.xlsx)."
    )


@pytest.mark.parametrize("data", [b"", b"  \r\n\r\n", "\ufeff".encode()])
def test_empty_csv(commune_a, data):
    assert only_message(commune_a, raw_upload(data, "v.csv")) == "Tệp trống."


def test_header_without_data_rows(commune_a):
    upload = csv_upload([VILLAGE_HEADER, [], ["", "", "", "", ""]])
    assert only_message(commune_a, upload) == "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."


def test_missing_columns_are_each_named_in_row_1(commune_a):
    upload = csv_upload([["name", "kind", "residents"], ["Thôn 1", "thôn", 10]])
    expected = (
        "thiếu cột này ở dòng tiêu đề; dòng tiêu đề phải có các cột: "
        + ", ".join(VILLAGE_HEADER)
        + "."
    )
    assert errors_of(commune_a, upload) == [
        RowError(1, "households", expected),
        RowError(1, "smartphone_users", expected),
    ]


def test_a_column_named_twice(commune_a):
    upload = csv_upload([[*VILLAGE_HEADER, "Households"], ["Thôn 1", "thôn", 1, 1, 1, 2]])
    assert errors_of(commune_a, upload) == [RowError(1, "Households", "cột này xuất hiện hai lần.")]


def test_csv_not_in_utf8(commune_a):
    data = "name,kind,households,residents,smartphone_users\nThôn Đa,thôn,1,1,1\n"
    upload = raw_upload(data.encode("cp1258"), "v.csv")
    assert only_message(commune_a, upload).startswith("Tệp CSV không ở mã UTF-8")


def test_workbook_named_csv(commune_a):
    workbook = xlsx_upload([VILLAGE_HEADER]).read()
    assert only_message(commune_a, raw_upload(workbook, "v.csv")) == (
        "Đây không phải tệp CSV; tệp Excel phải có đuôi .xlsx."
    )


@pytest.mark.parametrize("data", [b"name,kind\nThon 1,thon\n", b"PK\x03\x04not really a zip"])
def test_unreadable_workbook(commune_a, data):
    assert only_message(commune_a, raw_upload(data, "v.xlsx")) == (
        "Không đọc được tệp dưới dạng bảng tính Excel (.xlsx)."
    )


def test_a_zip_that_is_not_a_workbook(commune_a):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert only_message(commune_a, raw_upload(out.getvalue(), "v.xlsx")) == (
        "Không đọc được tệp dưới dạng bảng tính Excel (.xlsx)."
    )


def test_a_file_over_the_size_limit(commune_a, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 1024)
    upload = csv_upload([VILLAGE_HEADER, *[[f"Thôn {n}", "thôn", 1, 1, 1] for n in range(100)]])
    assert only_message(commune_a, upload) == "Tệp lớn hơn 0 MB."


def test_the_real_size_limit_is_5_mb():
    assert reading.MAX_BYTES == 5 * 1024 * 1024
    assert reading.MAX_ROWS == 5000


def test_more_rows_than_the_limit(commune_a, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    upload = csv_upload([VILLAGE_HEADER, *[[f"Thôn {n}", "thôn", 1, 1, 1] for n in range(4)]])
    assert only_message(commune_a, upload) == "Tệp có hơn 3 dòng dữ liệu; hãy chia thành nhiều tệp."


def test_exactly_the_row_limit_is_accepted(commune_a, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    upload = csv_upload([VILLAGE_HEADER, *[[f"Thôn {n}", "thôn", 1, 1, 1] for n in range(3)]])
    assert villages_import(commune=commune_a, upload=upload).created == 3


def test_malformed_csv_names_the_line(commune_a):
    # A cell longer than the csv module's field limit (128 kB) stops the reader.
    header = b"name,kind,households,residents,smartphone_users\n"
    upload = raw_upload(header + b"A,thon,1,1,1\nB,thon,1,1," + b"9" * 200_000 + b"\n", "v.csv")
    assert only_message(commune_a, upload) == "Không đọc được tệp CSV ở gần dòng 3."


def test_member_count_file_is_checked_the_same_way(commune_a):
    upload = csv_upload([["village", "group", "members"], ["Thôn 1", "Nhóm", 5]])
    errors = errors_of(commune_a, upload, member_counts_import)
    assert [(e.row, e.column) for e in errors] == [(1, "date")]


def workbook_with_entity(entity: str) -> bytes:
    """A real workbook whose sheet declares an entity and uses it in a cell."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_upload([VILLAGE_HEADER, ["Thôn 1"]]).read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace("<t>", "<t>&e;", 1)
                data = f"<!DOCTYPE worksheet [<!ENTITY e {entity}>]>{text}".encode()
            archive.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("entity", ['"boom"', 'SYSTEM "file:///etc/passwd"'])
def test_a_workbook_with_a_dtd_entity_is_refused(commune_a, entity):
    assert only_message(commune_a, raw_upload(workbook_with_entity(entity), "v.xlsx")) == (
        "Không đọc được tệp dưới dạng bảng tính Excel (.xlsx)."
    )
