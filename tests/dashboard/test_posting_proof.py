"""Posting proof (docs/rules.md#posting-proof): per commune as of D, the deliveries of the
bulletins published in the 30 local days ending on D, those of them sent by a channel or
confirmed with a link or a picture by the end of D, their percentage, the bulletins approved as
urgent by their author in the 30 days, and the board's count of communes under 80 %. Figures by
hand on the data below, as of D = 31/08/2021 (the 30 days: 02/08–31/08, local dates):

Phú Nghĩa (A)
  "old"   published 01/08 23:30 local (31 days back; 16:30 UTC): 2 sent on 01/08 — outside;
          urgent, approved 01/08 20:00 — outside
  "edge"  published 02/08 00:10 local (still 01/08 in UTC): inside, 6 deliveries:
          sent by Telegram 02/08 ✓; confirmed with a link 31/08 23:50 local ✓;
          confirmed with a picture only 10/08 ✓; failed ✗; awaiting confirmation ✗; pending ✗
  "late"  published 20/08 10:00, urgent, approved 20/08 09:00: 2 deliveries:
          confirmed with a link at 00:05 local on 01/09 (after D, though 31/08 in UTC) ✗;
          "confirmed" with neither a link nor a picture ✗
  "after" published 01/09 08:00 (after D): 1 sent — outside
  → deliveries 8, done 3, posting 37.5 %, urgent 1, bulletins in 30 days 2
Đa Kia (B)
  published 15/08, urgent, approved 15/08: 3 deliveries, 2 sent, 1 awaiting
  → 3, 2, 66.7 % (66.66… half-up), urgent 1
Bù Gia Mập (C): nothing → 0, 0, null, urgent 0
Đức Hạnh (D): published 25/08: 5 deliveries, 4 confirmed with a link, 1 awaiting
  → 5, 4, 80.0 %: at the boundary, not under 80
Totals: 16 deliveries, 9 done, 56.25 → 56.3 %, urgent 2; communes under 80 %: A and B → 2.
"""

import csv
import datetime
import io
import itertools
import re
import zoneinfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bulletins.models import Bulletin, ChannelKind, Delivery, DeliveryStatus
from bulletins.selectors import PostingCounts, posting_counts
from communes.models import Commune
from dashboard.selectors import dashboard_rows
from tests.factories import CommuneFactory, GroupFactory, VillageFactory

pytestmark = pytest.mark.django_db

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date(2021, 8, 31)
DATE = {"date": D.isoformat()}


def local(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2021, month, day, hour, minute, tzinfo=LOCAL)


SENT = {"status": DeliveryStatus.SENT, "channel": ChannelKind.TELEGRAM}
AWAITING = {"status": DeliveryStatus.AWAITING_CONFIRMATION}
FAILED = {"status": DeliveryStatus.FAILED, "channel": ChannelKind.TELEGRAM, "error": "403"}
PENDING = {"status": DeliveryStatus.PENDING, "channel": ChannelKind.TELEGRAM}


def confirmed(at, *, link: bool = True, picture: bool = False) -> dict:
    return {
        "status": DeliveryStatus.CONFIRMED,
        "sent_at": at,
        "posted_url": "https://zalo.me/p/123" if link else "",
        "evidence": "evidence/2021/08/post.jpg" if picture else "",
    }


@pytest.fixture
def post(officer_a):
    """`post(commune, published_at, *deliveries, urgent_at=None)` → a published bulletin of
    `commune` with one delivery per dict of `deliveries` (Delivery fields), each to a group of
    its own, and approved as urgent by its author at `urgent_at` when given."""
    numbers = itertools.count(1)

    def make(commune, published_at, *deliveries, urgent_at=None):
        bulletin = Bulletin.objects.create(
            commune=commune,
            field_id="y-te",
            title=f"Tin {next(numbers)}",
            body="Nội dung.",
            source="Trạm Y tế xã",
            author=officer_a,
            status="published",
            approved_at=urgent_at or published_at,
            urgent=urgent_at is not None,
            urgent_reason="Không có lãnh đạo khác." if urgent_at else "",
            published_at=published_at,
        )
        village = VillageFactory(commune=commune)
        for fields in deliveries:
            values = {"channel": ChannelKind.MANUAL, **fields}
            if values["status"] == DeliveryStatus.SENT:
                values.setdefault("sent_at", published_at + datetime.timedelta(minutes=1))
            Delivery.objects.create(
                bulletin=bulletin, group=GroupFactory(village=village), **values
            )
        return bulletin

    return make


@pytest.fixture
def proof(post, commune_a, commune_b, district):
    commune_c = CommuneFactory(district=district, code="25222", name="Bù Gia Mập", slug="bgm")
    commune_d = CommuneFactory(district=district, code="25228", name="Đức Hạnh", slug="dh")
    post(commune_a, local(8, 1, 23, 30), SENT, SENT, urgent_at=local(8, 1, 20))
    post(
        commune_a,
        local(8, 2, 0, 10),
        SENT,
        confirmed(local(8, 31, 23, 50)),
        confirmed(local(8, 10), link=False, picture=True),
        FAILED,
        AWAITING,
        PENDING,
    )
    post(
        commune_a,
        local(8, 20, 10),
        confirmed(local(9, 1, 0, 5)),
        confirmed(local(8, 20, 11), link=False),
        urgent_at=local(8, 20, 9),
    )
    post(commune_a, local(9, 1, 8), SENT)
    post(commune_b, local(8, 15), SENT, SENT, AWAITING, urgent_at=local(8, 15, 8))
    post(commune_d, local(8, 25), *[confirmed(local(8, 25, 12))] * 4, AWAITING)
    return {"a": commune_a, "b": commune_b, "c": commune_c, "d": commune_d}


def figures(row) -> tuple:
    return (
        row.deliveries_30d,
        row.deliveries_done_30d,
        None if row.posting_pct is None else float(row.posting_pct),
        row.urgent_30d,
    )


def test_rows_totals_and_the_board_count(proof, district_staff):
    board = dashboard_rows(user=district_staff, as_of=D)
    rows = {row.code: row for row in board.rows}
    assert figures(rows["25267"]) == (8, 3, 37.5, 1)
    assert rows["25267"].bulletins_30d == 2
    assert figures(rows["25231"]) == (3, 2, 66.7, 1)
    assert figures(rows["25222"]) == (0, 0, None, 0)
    assert figures(rows["25228"]) == (5, 4, 80.0, 0)
    assert figures(board.totals) == (16, 9, 56.3, 2)
    # A and B; C has no percentage; D is at 80.0, not under it
    assert board.communes_posting_under_80 == 2
    assert board.totals.communes_posting_under_80 == 2


def test_the_figures_follow_the_date(proof, district_staff):
    def rows_as_of(day):
        return {row.code: row for row in dashboard_rows(user=district_staff, as_of=day).rows}

    # 01/09: the 30 days are 03/08–01/09. "edge" (02/08) has left them; "late"'s link of 00:05
    # on 01/09 is now done; "after" is in, its delivery sent at 08:01.
    assert figures(rows_as_of(datetime.date(2021, 9, 1))["25267"]) == (3, 2, 66.7, 1)
    # 19/08: the 30 days are 21/07–19/08. "old" (01/08) is in with its 2 sent, and its urgent
    # approval of 01/08; "edge"'s link of 31/08 is not done yet; "late" is not published yet.
    assert figures(rows_as_of(datetime.date(2021, 8, 19))["25267"]) == (8, 4, 50.0, 1)
    # 31/07: nothing published in the 30 days yet
    assert figures(rows_as_of(datetime.date(2021, 7, 31))["25267"]) == (0, 0, None, 0)


def test_urgent_approvals_count_in_the_window_only(post, commune_a, district_staff):
    # approved as urgent on 01/08 (outside the 30 days to 31/08), on 02/08 and 31/08 (inside),
    # on 01/09 (after D); one approved normally. Urgent counts by the day of the approval,
    # published or not yet.
    post(commune_a, local(8, 3), urgent_at=local(8, 1, 23, 59))
    post(commune_a, local(8, 3), urgent_at=local(8, 2, 0, 1))
    post(commune_a, local(9, 2), urgent_at=local(8, 31, 23, 59))
    post(commune_a, local(9, 2), urgent_at=local(9, 1, 0, 1))
    post(commune_a, local(8, 10))
    rows = {r.code: r for r in dashboard_rows(user=district_staff, as_of=D).rows}
    assert rows["25267"].urgent_30d == 2
    assert rows["25267"].bulletins_30d == 3


def test_the_80_percent_boundary(post, commune_a, commune_b, district_staff):
    # A: 4 of 5 posted, 80.0 %: not under. B: no delivery at all: no percentage, not under.
    post(commune_a, local(8, 20), *[SENT] * 4, AWAITING)
    board = dashboard_rows(user=district_staff, as_of=D)
    assert [float(row.posting_pct or -1) for row in board.rows if row.code == "25267"] == [80.0]
    assert board.communes_posting_under_80 == 0
    # one more delivery awaiting: 4 of 6, 66.7 %, under
    post(commune_a, local(8, 21), AWAITING)
    assert dashboard_rows(user=district_staff, as_of=D).communes_posting_under_80 == 1
    # B at 1 of 2, 50.0 %: two communes under
    post(commune_b, local(8, 22), SENT, AWAITING)
    assert dashboard_rows(user=district_staff, as_of=D).communes_posting_under_80 == 2


def test_a_commune_with_no_delivery_has_no_percentage(post, commune_a, district_staff, api_as):
    # a bulletin published to no group: one bulletin, no delivery
    post(commune_a, local(8, 20))
    body = api_as(district_staff).get("/api/v1/dashboard/", DATE).json()
    (row,) = [row for row in body["communes"] if row["code"] == "25267"]
    assert (row["bulletins_30d"], row["deliveries_30d"], row["deliveries_done_30d"]) == (1, 0, 0)
    assert row["posting_pct"] is None
    assert body["totals"]["posting_pct"] is None
    assert body["communes_posting_under_80"] == 0


def test_the_api_rows_and_totals(proof, api_as, district_staff):
    body = api_as(district_staff).get("/api/v1/dashboard/", DATE).json()
    rows = {row["code"]: row for row in body["communes"]}
    names = ("deliveries_30d", "deliveries_done_30d", "posting_pct", "urgent_30d")
    assert [rows["25267"][name] for name in names] == [8, 3, 37.5, 1]
    assert [rows["25231"][name] for name in names] == [3, 2, 66.7, 1]
    assert [rows["25222"][name] for name in names] == [0, 0, None, 0]
    assert [rows["25228"][name] for name in names] == [5, 4, 80.0, 0]
    assert [body["totals"][name] for name in names] == [16, 9, 56.3, 2]
    assert body["totals"]["communes_posting_under_80"] == 2
    assert body["communes_posting_under_80"] == 2


@pytest.mark.scoped
def test_another_communes_data_is_never_counted(proof, api_as, officer_a, officer_b):
    names = ("deliveries_30d", "deliveries_done_30d", "posting_pct", "urgent_30d")
    for user, expected, under in ((officer_a, [8, 3, 37.5, 1], 1), (officer_b, [3, 2, 66.7, 1], 1)):
        body = api_as(user).get("/api/v1/dashboard/", DATE).json()
        (row,) = body["communes"]
        assert [row[name] for name in names] == expected
        assert [body["totals"][name] for name in names] == expected
        assert body["communes_posting_under_80"] == under


@pytest.mark.parametrize("as_subquery", [False, True])
def test_a_commune_asked_alone_counts_its_own(proof, as_subquery):
    ids = [proof["d"].pk, proof["c"].pk]
    # the same communes as a queryset, read by the statement as a subquery (the dashboard's)
    scope = Commune.objects.filter(pk__in=ids) if as_subquery else None
    assert posting_counts(commune_ids=ids, as_of=D, scope=scope) == {
        proof["d"].pk: PostingCounts(
            bulletins_7d=1,
            bulletins_30d=1,
            deliveries_30d=5,
            deliveries_done_30d=4,
            urgent_30d=0,
        ),
        proof["c"].pk: PostingCounts(),
    }


@pytest.mark.parametrize("communes", [3, 30])
def test_posting_counts_is_one_query_at_any_size(
    communes, post, district, django_assert_num_queries
):
    made = [CommuneFactory(district=district) for _ in range(communes)]
    for number, commune in enumerate(made):
        post(commune, local(8, 10), SENT, AWAITING, urgent_at=local(8, 10, 8) if number else None)
    ids = [commune.pk for commune in made]
    # one statement: the bulletins of the communes asked for, joined to their deliveries
    with django_assert_num_queries(1):
        counts = posting_counts(commune_ids=ids, as_of=D)
    assert set(counts) == set(ids)
    assert {(c.deliveries_30d, c.deliveries_done_30d) for c in counts.values()} == {(2, 1)}
    assert sum(c.urgent_30d for c in counts.values()) == communes - 1


def _row_html(html: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{code}">.*?</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def _cell(row: str, column: str) -> str:
    return re.search(rf'data-col="{column}">(.*?)</td>', row, re.S).group(1)


@pytest.mark.parametrize("role", ["district_staff", "district_leader"])
def test_the_dashboard_page(proof, client, role, request):
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("dashboard"), DATE).content.decode()
    assert "Đăng bài 30 ngày" in html
    a = _cell(_row_html(html, "25267"), "posting")
    assert a.startswith('3/8<span class="small d-block"><span class="badge text-bg-danger">37,5 %')
    # its urgent approval, a badge on its row
    assert 'data-urgent="1"' in a
    assert ">1 duyệt khẩn</span>" in a
    d = _cell(_row_html(html, "25228"), "posting")
    assert d == '4/5<span class="small d-block">80,0 %</span>'
    assert _cell(_row_html(html, "25222"), "posting") == "—"
    summary = re.search(r'<p class="mt-1 mb-0" id="posting-proof">(.*?)</p>', html, re.S).group(1)
    assert 'data-total="communes_posting_under_80">2</span>' in summary
    assert "xã đăng dưới 80 % số lượt gửi nhóm trong 30 ngày" in summary
    assert "đã đăng 9/16 lượt (56,3 %)" in summary
    footer = re.search(r'data-total="posting">(.*?)</td>', html, re.S).group(1)
    assert footer == '9/16<span class="small fw-normal d-block">56,3 %</span>'


def test_the_table_sorts_by_posting(proof, client, district_staff):
    client.force_login(district_staff)
    html = client.get(reverse("dashboard"), {**DATE, "sort": "posting"}).content.decode()
    order = re.findall(r'<tr data-code="(\d+)">', html)
    # no percentage first, then 37.5, 66.7, 80.0
    assert order == ["25222", "25267", "25231", "25228"]


def test_the_commune_page_shows_its_posting_proof(proof, client, officer_a, district_staff):
    url = reverse("commune-detail", args=["25267"])
    client.force_login(officer_a)
    html = client.get(url, DATE).content.decode()
    section = html[html.index('id="posting-proof"') : html.index('id="latest-bulletins"')]
    assert "Minh chứng đăng bài trong 30 ngày tính đến ngày này" in section
    assert 'data-total="posting_pct">37,5 %</span>' in section
    assert "3 trong 8 lượt gửi nhóm của 2 bản tin đã đăng" in section
    # the urgent approvals are the top unit's to see
    assert "data-urgent" not in section
    client.force_login(district_staff)
    html = client.get(url, DATE).content.decode()
    section = html[html.index('id="posting-proof"') : html.index('id="latest-bulletins"')]
    assert 'data-urgent="1">1</span>' in section
    # a commune with no delivery says so
    html = client.get(reverse("commune-detail", args=["25222"]), DATE).content.decode()
    section = html[html.index('id="posting-proof"') : html.index('id="latest-bulletins"')]
    assert "Không có bản tin nào được gửi đến nhóm trong 30 ngày này." in section


HEADINGS = (
    "Lượt gửi nhóm 30 ngày",
    "Lượt đã đăng 30 ngày",
    "Tỷ lệ đăng bài 30 ngày (%)",
    "Duyệt khẩn 30 ngày",
)


def test_the_exports_carry_the_posting_figures(proof, client, district_staff):
    client.force_login(district_staff)
    response = client.get(reverse("dashboard-export", args=["csv"]), DATE)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    columns = [lines[0].index(heading) for heading in HEADINGS]
    by_code = {line[0]: [line[i] for i in columns] for line in lines[1:-1]}
    assert by_code["25267"] == ["8", "3", "37,5", "1"]
    assert by_code["25222"] == ["0", "0", "", "0"]
    assert by_code["25228"] == ["5", "4", "80,0", "0"]
    assert [lines[-1][i] for i in columns] == ["16", "9", "56,3", "2"]

    response = client.get(reverse("dashboard-export", args=["xlsx"]), DATE)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    columns = [rows[1].index(heading) for heading in HEADINGS]
    by_code = {row[0]: [row[i] for i in columns] for row in rows[2:-1]}
    assert by_code["25231"] == [3, 2, 66.7, 1]
    assert by_code["25222"] == [0, 0, None, 0]
    assert [rows[-1][i] for i in columns] == [16, 9, 56.3, 2]
    # the percentage keeps its number format
    cells = next(sheet.iter_rows(min_row=3, max_row=3))
    assert cells[columns[2]].number_format == "0.0"
