import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory


def export_url(fmt: str) -> str:
    return reverse("dashboard-export", args=[fmt])


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


def test_csv(known, staff_client):
    response = staff_client.get(export_url("csv"), {"date": "2021-08-06"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-2021-08-06.csv"'
    # a byte-order mark, so Excel reads the file as UTF-8
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    heading = lines[0]
    assert heading[:4] == ["Mã", "Xã", "Số thôn", "Có nhóm tin"]
    column = {name: index for index, name in enumerate(heading)}
    assert [line[1] for line in lines[1:]] == [
        "Bù Gia Mập",
        "Đức Hạnh",
        "Phú Nghĩa",
        "Đa Kia",
        "Tổng cộng",
    ]
    da_kia = lines[4]
    assert da_kia[column["Tỷ lệ bao phủ (%)"]] == "66,7"  # as the page writes it
    assert da_kia[column["Tỷ lệ cài Bluzone (%)"]] == "12,5"
    assert da_kia[column["Chỉ tiêu Bluzone (%)"]] == "40"
    assert lines[1][column["Tỷ lệ bao phủ (%)"]] == ""  # null stays empty
    phu_nghia = lines[3]
    assert phu_nghia[column["Chưa có nhóm tin"]] == "2"
    assert phu_nghia[column["Quản trị viên chưa được tập huấn"]] == "2"
    assert phu_nghia[column["Thôn chưa có số hộ"]] == "1"
    totals = lines[5]
    assert totals[column["Tỷ lệ bao phủ (%)"]] == "49,1"
    assert totals[column["Số thôn"]] == "6"


def test_csv_follows_the_sort(known, staff_client):
    response = staff_client.get(export_url("csv"), {"date": "2021-08-06", "sort": "name"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:-1]] == ["Bù Gia Mập", "Đa Kia", "Đức Hạnh", "Phú Nghĩa"]


def test_xlsx(known, staff_client):
    response = staff_client.get(export_url("xlsx"), {"date": "2021-08-06"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dashboard-2021-08-06.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số liệu tính đến ngày 06/08/2021"
    heading = rows[1]
    column = {name: index for index, name in enumerate(heading)}
    da_kia = next(row for row in rows if row[1] == "Đa Kia")
    assert da_kia[column["Tỷ lệ bao phủ (%)"]] == 66.7  # a number, not text
    assert da_kia[column["Số thôn"]] == 1
    empty = next(row for row in rows if row[1] == "Bù Gia Mập")
    assert empty[column["Tỷ lệ bao phủ (%)"]] is None
    assert rows[-1][1] == "Tổng cộng"
    assert rows[-1][column["Tỷ lệ cài Bluzone (%)"]] == 29.9


def test_commune_user_exports_their_commune(known, client, officer_a):
    client.force_login(officer_a)
    response = client.get(export_url("csv"), {"date": "2021-08-06"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["Phú Nghĩa", "Tổng cộng"]


def test_district_leader_exports(known, client, district_leader):
    client.force_login(district_leader)
    assert client.get(export_url("xlsx")).status_code == 200
    response = client.get(export_url("csv"), {"date": "2021-08-06"})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = {name: index for index, name in enumerate(lines[0])}
    # the whole district, worst coverage first, as district staff see it
    assert [line[1] for line in lines[1:]] == [
        "Bù Gia Mập",
        "Đức Hạnh",
        "Phú Nghĩa",
        "Đa Kia",
        "Tổng cộng",
    ]
    assert lines[3][column["Tỷ lệ bao phủ (%)"]] == "50,0"
    assert lines[4][column["Tỷ lệ bao phủ (%)"]] == "66,7"
    assert lines[5][column["Tỷ lệ bao phủ (%)"]] == "49,1"
    assert lines[5][column["Số thôn"]] == "6"
    sheet = load_workbook(
        io.BytesIO(client.get(export_url("xlsx"), {"date": "2021-08-06"}).content)
    )
    rows = list(sheet.active.iter_rows(values_only=True))
    assert [row[1] for row in rows[2:]] == [line[1] for line in lines[1:]]
    assert rows[-1][column["Tỷ lệ cài Bluzone (%)"]] == 29.9


def test_unknown_format_is_not_found(known, staff_client):
    assert staff_client.get(export_url("pdf")).status_code == 404


def test_bad_date_is_a_400(known, staff_client):
    response = staff_client.get(export_url("csv"), {"date": "2021-02-30"})
    assert response.status_code == 400
    assert "Nhập ngày hợp lệ" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(export_url("csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(export_url("csv")).status_code == 403
