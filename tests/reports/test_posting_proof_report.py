"""The compliance report carries the posting proof (docs/rules.md#posting-proof): a column of
the per-commune table, in the PDF and the XLSX, and a sentence of the overview with the scope's
percentage. As of D = 09/08/2021 (the 30 days: 11/07–09/08), by hand:

Phú Nghĩa (A): published 05/08, 5 deliveries: 2 sent, one confirmed with a link, one with a
  picture, one awaiting → 4 of 5, 80.0 % (not under 80)
Đa Kia (B): published 01/08, 3 deliveries: 1 sent, 1 failed, 1 confirmed on 10/08 (after D)
  → 1 of 3, 33.3 %
Đức Hạnh (C): nothing published → no percentage
District: 5 of 8 deliveries of 2 bulletins, 62.5 %; one commune (B) under 80 %.
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.utils import translation

from bulletins.models import Bulletin, ChannelKind, Delivery, DeliveryStatus
from reports.models import ComplianceReport, ReportStatus
from reports.narrative import narrative
from reports.pdf import write_pdf
from reports.xlsx import write_xlsx
from tests.factories import GroupFactory, VillageFactory
from tests.reports.conftest import LOCAL, pdf_text
from tests.reports.test_content import content_of

pytestmark = pytest.mark.django_db

HEADING = "Tỷ lệ đăng bài 30 ngày (%)"
SENTENCE = (
    "Trong 30 ngày tính đến ngày 09/08/2021, 5/8 lượt gửi nhóm của 2 bản tin đã đăng có minh "
    "chứng (gửi qua kênh, hoặc xác nhận bằng đường dẫn hay ảnh chụp bài đăng), đạt 62,5 %."
)


def at(day: int, month: int = 8, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2021, month, day, hour, tzinfo=LOCAL)


def _publish(commune, author, published_at, *deliveries):
    bulletin = Bulletin.objects.create(
        commune=commune,
        field_id="y-te",
        title="Lịch tiêm chủng",
        body="Nội dung.",
        source="Trạm Y tế xã",
        author=author,
        status="published",
        published_at=published_at,
    )
    village = VillageFactory(commune=commune, households=0)
    for status, extra in deliveries:
        Delivery.objects.create(
            bulletin=bulletin,
            group=GroupFactory(village=village),
            channel=ChannelKind.TELEGRAM if status == DeliveryStatus.SENT else ChannelKind.MANUAL,
            status=status,
            **extra,
        )


@pytest.fixture
def posted(report_data, officer_a, officer_b):
    sent = (DeliveryStatus.SENT, {"sent_at": at(5, hour=10)})
    _publish(
        report_data["a"],
        officer_a,
        at(5),
        sent,
        sent,
        (DeliveryStatus.CONFIRMED, {"sent_at": at(6), "posted_url": "https://zalo.me/p/1"}),
        (DeliveryStatus.CONFIRMED, {"sent_at": at(7), "evidence": "evidence/post.jpg"}),
        (DeliveryStatus.AWAITING_CONFIRMATION, {}),
    )
    _publish(
        report_data["b"],
        officer_b,
        at(1),
        (DeliveryStatus.SENT, {"sent_at": at(1, hour=10)}),
        (DeliveryStatus.FAILED, {"error": "403"}),
        (DeliveryStatus.CONFIRMED, {"sent_at": at(10), "posted_url": "https://zalo.me/p/2"}),
    )
    return report_data


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_narrative_gives_the_districts_posting_and_the_communes_under_80(posted, district):
    with translation.override("vi"):
        story = narrative(content_of(district))
    overview = words(" ".join(story.overview))
    assert SENTENCE + " Có 1 xã đăng dưới 80 % số lượt gửi nhóm." in overview


def test_a_one_commune_report_gives_its_own(posted, district):
    with translation.override("vi"):
        story = narrative(content_of(district, commune=posted["b"]))
    overview = words(" ".join(story.overview))
    assert (
        "Trong 30 ngày tính đến ngày 09/08/2021, 1/3 lượt gửi nhóm của 1 bản tin đã đăng có "
        "minh chứng (gửi qua kênh, hoặc xác nhận bằng đường dẫn hay ảnh chụp bài đăng), "
        "đạt 33,3 %."
    ) in overview
    assert "dưới 80" not in overview


def test_no_delivery_is_said(report_data, district):
    with translation.override("vi"):
        story = narrative(content_of(district))
    assert (
        "Trong 30 ngày tính đến ngày 09/08/2021 không có bản tin nào được gửi đến nhóm, nên "
        "chưa có minh chứng đăng bài." in story.overview
    )


def test_the_change_since_the_previous_report(posted, district):
    ComplianceReport.objects.create(
        district=district,
        as_of=datetime.date(2021, 7, 25),
        number="05/BC-VHTT",
        status=ReportStatus.DONE,
        progress=100,
        file="x.pdf",
    )
    with translation.override("vi"):
        (changes,) = narrative(content_of(district)).changes
    # nothing was published in the 30 days to 25/07
    assert "tỷ lệ đăng bài có minh chứng từ — thành 62,5\u00a0%" in changes


def test_the_pdf_table_and_text(posted, written):
    text = pdf_text(written(write_pdf))

    def last_cell(name: str) -> str:
        line = next(line for line in text.splitlines() if re.match(rf"\s*\d+\s+{name}\s+\d", line))
        return line.split()[-1]

    # the posting column is the table's last
    assert last_cell("Phú Nghĩa") == "80,0"
    assert last_cell("Đa Kia") == "33,3"
    assert last_cell("Đức Hạnh") == "—"
    total = next(line for line in text.splitlines() if line.strip().startswith("Tổng cộng"))
    assert total.split()[-1] == "62,5"
    assert SENTENCE in words(text)


def test_the_xlsx_column_and_summary(posted, written):
    book = openpyxl.load_workbook(io.BytesIO(written(write_xlsx, suffix="xlsx").read_bytes()))
    heading, *rows = [[cell.value for cell in row] for row in book["Các xã"].iter_rows()]
    column = heading.index(HEADING)
    by_name = {row[1]: row[column] for row in rows}
    assert by_name == {"Phú Nghĩa": 80.0, "Đa Kia": 33.3, "Đức Hạnh": None, "Tổng cộng": 62.5}
    assert book["Các xã"].cell(row=2, column=column + 1).number_format == "0.0"
    summary = [[cell.value for cell in row] for row in book["Tổng hợp"].iter_rows()]
    as_dict = {row[0]: row[1] for row in summary if row[0]}
    assert as_dict[HEADING] == 62.5
    assert as_dict["Lượt gửi nhóm 30 ngày"] == 8
    assert as_dict["Lượt đã đăng 30 ngày"] == 5
    assert any(SENTENCE in words(row[1]) for row in summary if row[0] is None and row[1])
