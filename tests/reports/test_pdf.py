"""The PDF in the official layout of docs/rules.md (Nghị định 30/2020/NĐ-CP, Phụ lục I), read back
with poppler: its text, its page size and its fonts."""

import re

import pytest

from dashboard.selectors import dashboard_rows
from reports.pdf import font_faces, fonts_only, write_pdf
from tests.reports.conftest import AS_OF, pdf_text, run

pytestmark = pytest.mark.usefixtures("report_data")


@pytest.fixture
def district_pdf(written):
    return written(write_pdf)


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_first_page_carries_the_letterhead_and_the_title(district_pdf):
    first = words(run("pdftotext", "-f", "1", "-l", "1", str(district_pdf), "-"))
    for line in (
        "UBND HUYỆN BÙ GIA MẬP",
        "PHÒNG VĂN HÓA - THÔNG TIN",
        "Số: 01/BC-VHTT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bù Gia Mập, ngày 10 tháng 08 năm 2021",
        "BÁO CÁO",
        "Kết quả thành lập nhóm tin tại các thôn, ấp, bon và cài đặt ứng dụng Bluzone",
        "(số liệu tính đến ngày 09/08/2021)",
    ):
        assert line in first


def test_every_commune_and_its_figures_are_in_the_table(district_pdf, district_staff):
    text = pdf_text(district_pdf)
    board = dashboard_rows(user=district_staff, as_of=AS_OF)
    for row in board.rows:
        line = next(
            line
            for line in text.splitlines()
            if re.match(rf"\s*\d+\s+{re.escape(row.name)}\s+\d", line)
        )
        cells = line.split()
        # TT, the name, then the figures of COMMUNE_COLUMNS with Vietnamese separators.
        coverage = f"{row.coverage_pct}".replace(".", ",")
        bluzone = f"{row.bluzone_pct}".replace(".", ",")
        posting = "—" if row.posting_pct is None else f"{row.posting_pct}".replace(".", ",")
        assert cells[-9:] == [
            str(row.villages_count),
            str(row.villages_with_group),
            coverage,
            bluzone,
            "50,0",
            str(row.untrained_admins),
            str(row.stale_groups),
            str(row.bulletins_30d),
            posting,
        ], line
    total = next(line for line in text.splitlines() if line.strip().startswith("Tổng cộng"))
    # no delivery in the 30 days: no posting proof
    assert total.split()[-9:] == ["5", "4", "4,9", "2,7", "50,0", "1", "0", "0", "—"]
    # Thousands with a dot, decimals with a comma.
    assert "1.150/23.244 hộ" in words(text)


def test_the_reports_due_and_the_inspections_are_in_it(district_pdf):
    text = words(pdf_text(district_pdf))
    assert "606/UBND-VX" in text
    assert "2/3 xã đã báo cáo (66,7 %), 1 xã đúng hạn (33,3 %)" in text
    assert "Đa Kia chưa báo cáo chưa đến hạn" in text
    assert "Đức Hạnh trễ hạn" in text
    assert "Phú Nghĩa đúng hạn" in text
    assert "Trần Thị Thu Hà" in text


def test_the_end_has_the_recipients_and_the_signer(district_pdf):
    text = pdf_text(district_pdf)
    assert re.search(r"Nơi nhận:\s+TRƯỞNG PHÒNG", text)
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("- ")]
    assert [re.split(r"\s{2,}", line)[0] for line in lines[-3:]] == [
        "- UBND huyện (b/c);",
        "- UBND các xã;",
        "- Lưu: VT, VHTT.",
    ]
    assert text.rstrip().splitlines()[-1].strip() == "Lê Văn Minh"
    assert "./." in text


def test_it_is_a4_with_every_font_embedded(district_pdf):
    info = run("pdfinfo", str(district_pdf))
    assert re.search(r"Page size:\s+595(\.\d+)? x 842|Page size:\s+595\.\d+ x 841\.\d+", info)
    assert "(A4)" in info
    fonts = run("pdffonts", str(district_pdf)).splitlines()[2:]
    assert len(fonts) == 4
    for line in fonts:
        name, *_rest = line.split()
        assert re.fullmatch(r"[A-Z]{6}\+Report-Serif(-Bold)?(-Italic)?", name), line
        # The columns emb, sub, uni: embedded (as a subset) with its Unicode map.
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line


def test_pages_are_numbered_from_the_second(district_pdf):
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(district_pdf)))[1])
    assert pages >= 2
    first = run("pdftotext", "-f", "1", "-l", "1", str(district_pdf), "-")
    assert first.strip().splitlines()[0].strip() != "1"
    for page in range(2, pages + 1):
        text = run("pdftotext", "-f", str(page), "-l", str(page), str(district_pdf), "-")
        assert text.strip().splitlines()[0].strip() == str(page)


def test_a_one_commune_report_lists_its_villages(written, commune_a):
    text = words(pdf_text(written(write_pdf, commune=commune_a)))
    assert "trên địa bàn xã Phú Nghĩa" in text
    assert "Thôn Bình Tân" in text and "Thôn Phú Tiến" in text
    assert "Đa Kia" not in text and "Đức Hạnh" not in text


def test_commune_names_are_text_and_nothing_is_fetched(commune_a, written):
    commune_a.name = '<img src="http://127.0.0.1:9/x.png"> Phú Nghĩa'
    commune_a.save()
    assert '<img src="http://127.0.0.1:9/x.png"> Phú Nghĩa' in pdf_text(written(write_pdf))


def test_the_fetcher_gives_the_fonts_and_nothing_else():
    fonts = {face["url"] for face in font_faces()}
    fetcher = fonts_only(fonts)
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:9/")
    assert fetcher.fetch(next(iter(fonts))) is not None
