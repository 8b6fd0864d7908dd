"""Every word that names the top unit follows its kind (docs/rules.md#unit-kinds): the dashboard,
the role labels, an export and the report's text under a district (the demo's words, as they
always read) and under a province or a centrally-run city; a commune's words follow its own kind,
as far as the sender of a delivery."""

import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from bulletins.models import Bulletin
from bulletins.sending import delivery_text
from communes.models import Role
from communes.services import user_create
from communes.wording import commune_committee, commune_title, role_label, split_kind
from reports.jobs import letterhead_of
from reports.models import ComplianceReport
from reports.pdf import render_html
from reports.xlsx import write_xlsx
from tests.factories import CommuneFactory, DistrictFactory, make_user
from tests.pages import text_of

AS_OF = datetime.date(2021, 8, 9)


@pytest.fixture
def province(db):
    return DistrictFactory(code="75", name="Đồng Nai", kind="province")


@pytest.fixture
def city(db):
    return DistrictFactory(code="46", name="Huế", kind="city")


@pytest.fixture
def ward(province):
    return CommuneFactory(
        district=province, code="25213", name="Bình Lộc", slug="binh-loc", kind="phuong"
    )


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(
    ("kind", "staff", "leader"),
    [
        ("district", "Cán bộ Phòng Văn hóa – Thông tin huyện", "Lãnh đạo UBND huyện"),
        ("province", "Cán bộ Sở Văn hóa, Thể thao và Du lịch", "Lãnh đạo UBND tỉnh"),
        ("city", "Cán bộ Sở Văn hóa, Thể thao và Du lịch", "Lãnh đạo UBND thành phố"),
    ],
)
def test_the_top_units_roles_read_in_the_words_of_its_kind(kind, staff, leader):
    unit = DistrictFactory.build(kind=kind)
    with translation.override("vi"):
        assert role_label(Role.DISTRICT_STAFF, district=unit) == staff
        assert role_label(Role.DISTRICT_LEADER, district=unit) == leader


def test_a_communes_roles_read_in_the_words_of_its_kind():
    with translation.override("vi"):
        xa = CommuneFactory.build(kind="xa")
        phuong = CommuneFactory.build(kind="phuong")
        dac_khu = CommuneFactory.build(kind="dac_khu")
        assert role_label(Role.COMMUNE_OFFICER, commune=xa) == "Cán bộ xã"
        assert role_label(Role.COMMUNE_LEADER, commune=xa) == "Lãnh đạo UBND xã"
        assert role_label(Role.COMMUNE_OFFICER, commune=phuong) == "Cán bộ phường"
        assert role_label(Role.COMMUNE_LEADER, commune=phuong) == "Lãnh đạo UBND phường"
        assert role_label(Role.COMMUNE_LEADER, commune=dac_khu) == "Lãnh đạo UBND đặc khu"


def test_a_communes_title_and_committee_follow_its_kind():
    da_kia = CommuneFactory.build(name="Đa Kia", kind="xa")
    binh_loc = CommuneFactory.build(name="Bình Lộc", kind="phuong")
    phu_quy = CommuneFactory.build(name="Phú Quý", kind="dac_khu")
    with translation.override("vi"):
        assert [commune_title(c) for c in (da_kia, binh_loc, phu_quy)] == [
            "xã Đa Kia",
            "phường Bình Lộc",
            "đặc khu Phú Quý",
        ]
    with translation.override("en"):
        assert commune_title(binh_loc) == "Bình Lộc ward"
    # The sender of a delivery is Vietnamese whatever the page's language.
    assert [commune_committee(c) for c in (da_kia, binh_loc, phu_quy)] == [
        "UBND xã Đa Kia",
        "UBND phường Bình Lộc",
        "UBND đặc khu Phú Quý",
    ]
    assert split_kind("Xã  Kiểm Thử") == ("xa", "Kiểm Thử")
    assert split_kind("Phường Bình Lộc") == ("phuong", "Bình Lộc")
    assert split_kind("Đặc khu Phú Quý") == ("dac_khu", "Phú Quý")
    assert split_kind("Phường") == (None, "Phường")
    assert split_kind("Xà Phiên") == (None, "Xà Phiên")


@pytest.mark.django_db
def test_a_delivery_is_signed_by_the_communes_committee(commune_b, ward):
    # The text of a delivery is read from the bulletin alone: it need not be saved.
    commune = Bulletin(commune=commune_b, title="T", body="B", source="")
    ward_bulletin = Bulletin(commune=ward, title="T", body="B", source="Sở Y tế")

    assert delivery_text(commune).splitlines()[-1] == "UBND xã Đa Kia"
    assert delivery_text(ward_bulletin).splitlines()[-2:] == [
        "Nguồn: Sở Y tế",
        "UBND phường Bình Lộc",
    ]


@pytest.mark.django_db
def test_the_dashboard_of_a_district_reads_as_it_always_has(client_as, district_staff, commune_a):
    response = client_as(district_staff).get(reverse("dashboard"))

    html = response.content.decode()
    assert "<title>Bảng tổng hợp toàn huyện · " in html
    assert re.search(r'<h1 class="h4 mb-1">Bảng tổng hợp toàn huyện</h1>', html)
    assert re.search(r'<th scope="row"[^>]*>Toàn huyện', html)
    assert "Diễn biến tỷ lệ bao phủ và tỷ lệ cài Bluzone toàn huyện" in html
    assert "Cán bộ Phòng Văn hóa – Thông tin huyện" in text_of(response, "current-user")


@pytest.mark.parametrize(
    ("unit", "whole", "staff"),
    [
        ("province", "tỉnh", "Cán bộ Sở Văn hóa, Thể thao và Du lịch"),
        ("city", "thành phố", "Cán bộ Sở Văn hóa, Thể thao và Du lịch"),
    ],
)
@pytest.mark.django_db
def test_the_dashboard_of_a_province_or_city_never_says_huyen(
    request, client_as, unit, whole, staff
):
    top = request.getfixturevalue(unit)
    CommuneFactory(district=top, name="Bình Lộc", kind="phuong")
    user = make_user(Role.DISTRICT_STAFF, district=top, username=f"vhttdl-{unit}")
    leader = make_user(Role.DISTRICT_LEADER, district=top, username=f"ct-{unit}")

    response = client_as(user).get(reverse("dashboard"))

    html = response.content.decode()
    assert f'<h1 class="h4 mb-1">Bảng tổng hợp toàn {whole}</h1>' in html
    assert re.search(rf'<th scope="row"[^>]*>Toàn {whole}', html)
    assert f"Diễn biến tỷ lệ bao phủ và tỷ lệ cài Bluzone toàn {whole}" in html
    assert staff in text_of(response, "current-user")
    assert "huyện" not in plain(html).casefold()
    leader_page = client_as(leader).get(reverse("dashboard"))
    assert f"Lãnh đạo UBND {whole}" in text_of(leader_page, "current-user")


@pytest.mark.django_db
def test_a_ward_user_sees_their_ward_and_their_role_in_its_words(client_as, ward):
    officer = make_user(Role.COMMUNE_LEADER, commune=ward, username="ct-binh-loc")

    response = client_as(officer).get(reverse("commune-detail", args=[ward.code]))

    assert response.status_code == 200
    assert "Phường Bình Lộc" in text_of(response, "main-nav")
    assert "Lãnh đạo UBND phường" in text_of(response, "current-user")
    # A ward's user made by the top unit's staff is, as its officer, a ward's leader.
    made = user_create(
        district=ward.district,
        username="ct-binh-loc-2",
        password="a-Long-pass-2025",
        full_name="Lê Thị Hoa",
        role=Role.COMMUNE_LEADER,
        commune=ward,
    )
    assert made.officer.position == "Lãnh đạo UBND phường"


def _report(unit, commune=None) -> ComplianceReport:
    seq = ComplianceReport.objects.filter(district=unit).count() + 1
    report = ComplianceReport.objects.create(
        district=unit,
        commune=commune,
        as_of=AS_OF,
        format="pdf",
        number=f"{seq:02d}/BC-X",
        number_year=2021,
        number_seq=seq,
        issued_on=AS_OF,
    )
    return ComplianceReport.objects.select_related("district", "commune").get(pk=report.pk)


def _report_text(unit, commune=None) -> str:
    from reports.content import report_content

    report = _report(unit, commune)
    with translation.override("vi"):
        html, _fonts = render_html(
            report_content(report=report, letterhead=letterhead_of(unit), charts=False)
        )
    return plain(html)


@pytest.mark.django_db
def test_the_report_of_a_district_keeps_its_words(district, commune_a):
    text = _report_text(district)

    assert "UBND HUYỆN BÙ GIA MẬP PHÒNG VĂN HÓA - THÔNG TIN" in text
    assert (
        "Phòng Văn hóa - Thông tin báo cáo kết quả thành lập, hoạt động của các nhóm tin tại "
        "các thôn, ấp, bon và việc cài đặt ứng dụng Bluzone trên địa bàn huyện Bù Gia Mập"
    ) in text
    assert "- UBND huyện Bù Gia Mập (b/c); - UBND các xã; - Lưu: VT, VHTT." in text
    assert "TRƯỞNG PHÒNG" in text


@pytest.mark.django_db
def test_the_report_of_a_province_names_it_and_its_department(province, ward):
    text = _report_text(province)

    assert "UBND TỈNH ĐỒNG NAI SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    assert (
        "Sở Văn hóa, Thể thao và Du lịch báo cáo kết quả thành lập, hoạt động của các nhóm tin "
        "tại các thôn, ấp, bon và việc cài đặt ứng dụng Bluzone trên địa bàn tỉnh Đồng Nai"
    ) in text
    assert "của Sở Văn hóa, Thể thao và Du lịch./." in text
    assert "- UBND tỉnh Đồng Nai (b/c); - UBND các xã, phường, đặc khu; - Lưu: VT, SVHTTDL." in (
        text
    )
    assert "GIÁM ĐỐC" in text
    assert "huyện" not in text.casefold()
    # A one-ward report names the ward as a ward.
    assert "trên địa bàn phường Bình Lộc" in _report_text(province, ward)


@pytest.mark.django_db
def test_the_report_of_a_city_names_it_a_city(city):
    text = _report_text(city)

    assert "UBND THÀNH PHỐ HUẾ SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    assert "trên địa bàn thành phố Huế" in text
    assert "huyện" not in text.casefold()


@pytest.mark.parametrize(
    ("unit", "issued_by"),
    [
        ("district", "UBND huyện Bù Gia Mập - Phòng Văn hóa - Thông tin"),
        ("province", "UBND tỉnh Đồng Nai - Sở Văn hóa, Thể thao và Du lịch"),
    ],
)
@pytest.mark.django_db
def test_the_report_workbook_is_issued_in_the_words_of_the_kind(request, unit, issued_by):
    from reports.content import report_content

    top = request.getfixturevalue(unit)
    CommuneFactory(district=top)
    report = _report(top)
    out = io.BytesIO()
    with translation.override("vi"):
        write_xlsx(report_content(report=report, letterhead=letterhead_of(top)), out)

    summary = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Tổng hợp"]
    rows = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert rows["Cơ quan ban hành"] == issued_by
    cells = " ".join(str(v) for row in summary.iter_rows(values_only=True) for v in row if v)
    assert ("huyện" in cells.casefold()) is (unit == "district")


@pytest.mark.django_db
def test_the_report_form_offers_the_whole_unit_by_its_kind(client_as, province, district_staff):
    staff = make_user(Role.DISTRICT_STAFF, district=province, username="vhttdl")

    district_page = client_as(district_staff).get(reverse("report-list")).content.decode()
    province_page = client_as(staff).get(reverse("report-list")).content.decode()

    assert '<option value="" selected>Toàn huyện</option>' in district_page
    assert '<option value="" selected>Toàn tỉnh</option>' in province_page


@pytest.mark.django_db
def test_a_refusal_page_names_the_office_of_the_kind(client_as, province, officer_a):
    officer = make_user(
        Role.COMMUNE_OFFICER, commune=CommuneFactory(district=province), username="xa-dn"
    )

    district_page = client_as(officer_a).get(reverse("user-list"))
    province_page = client_as(officer).get(reverse("user-list"))

    assert district_page.status_code == province_page.status_code == 403
    assert "hãy liên hệ Phòng Văn hóa – Thông tin huyện." in district_page.content.decode()
    assert "hãy liên hệ Sở Văn hóa, Thể thao và Du lịch." in province_page.content.decode()
