"""The number of queries depends on neither the number of communes nor that of deadlines."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bulletins.models import Bulletin, Delivery, DeliveryStatus
from communes.models import Commune
from dashboard.models import DailyCommuneSnapshot
from dashboard.series import weekly_dates
from dashboard.snapshots import snapshots_fill
from groups.models import GroupStatus, MessagingGroup
from tests.dashboard.conftest import populate
from tests.factories import DeadlineFactory, SubmissionFactory


@pytest.fixture(params=[3, 30])
def communes(request, district, district_staff):
    populate(district, request.param)
    covered = list(Commune.objects.filter(district=district))
    # Two deadlines on the panel (one passed, one ahead) and one too old for it; half the
    # communes have reported to each.
    for due in (datetime.date(2021, 8, 6), datetime.date(2021, 8, 20), datetime.date(2021, 6, 1)):
        deadline = DeadlineFactory(district=district, due_date=due, communes=covered)
        for commune in covered[::2]:
            SubmissionFactory(deadline=deadline, commune=commune)
    _posted(covered, district_staff)
    return request.param


def _posted(communes, author) -> None:
    """Each commune of populate() published a bulletin on 05/08/2021 to its four active groups:
    one sent, one confirmed with a link, two awaiting confirmation (posting proof 2 of 4,
    50.0 %); the first one approved it as urgent. A commune without groups (the cast's A,
    when a test asks for its officer) published nothing."""
    published = datetime.datetime(2021, 8, 5, 9, 0, tzinfo=datetime.UTC)
    with_groups = [
        commune
        for commune in sorted(communes, key=lambda commune: commune.pk)
        if commune.villages.exists()
    ]
    for number, commune in enumerate(with_groups):
        bulletin = Bulletin.objects.create(
            commune=commune,
            field_id="y-te",
            title="Lịch tiêm",
            body="Nội dung.",
            source="Trạm Y tế xã",
            author=author,
            status="published",
            approved_at=published,
            urgent=number == 0,
            published_at=published,
        )
        groups = MessagingGroup.objects.filter(
            village__commune=commune, status=GroupStatus.ACTIVE
        ).order_by("pk")
        statuses = [
            {"status": DeliveryStatus.SENT, "channel": "telegram", "sent_at": published},
            {"status": DeliveryStatus.CONFIRMED, "posted_url": "https://zalo.me/p/1",
             "sent_at": published},
            {"status": DeliveryStatus.AWAITING_CONFIRMATION},
            {"status": DeliveryStatus.AWAITING_CONFIRMATION},
        ]  # fmt: skip
        Delivery.objects.bulk_create(
            Delivery(bulletin=bulletin, group=group, **{"channel": "manual", **fields})
            for group, fields in zip(groups, statuses, strict=True)
        )


AS_OF = datetime.date(2021, 8, 10)
PAST_POINTS = weekly_dates(AS_OF)[:-1]
TABLE_PARAMS = [
    ({}, lambda communes: communes),
    # every commune's name starts "Xã" (tests.factories): the search keeps them all
    ({"q": "xa"}, lambda communes: communes),
    ({"q": "no such commune"}, lambda communes: 0),
    # one page only at 3 and 30: page 2 falls back to it
    ({"page": "2", "sort": "-name"}, lambda communes: communes),
]


@pytest.mark.parametrize(("params", "shown"), TABLE_PARAMS)
@pytest.mark.parametrize(
    ("stored", "series_queries"),
    [
        # every commune's snapshots stored: their sums (one query)
        ("all", 1),
        # none stored: their sums, then the points computed from the counts (one statement)
        ("none", 2),
        # some communes lack some days: their sums, which communes lack which days, the
        # missing ones computed from the counts
        ("some", 3),
    ],
)
def test_dashboard_page(
    communes,
    stored,
    series_queries,
    params,
    shown,
    client,
    district_staff,
    django_assert_num_queries,
):
    if stored != "none":
        snapshots_fill(dates=PAST_POINTS)
    if stored == "some":
        first = Commune.objects.order_by("pk").first()
        DailyCommuneSnapshot.objects.filter(commune=first, date__gte=PAST_POINTS[5]).delete()
    client.force_login(district_staff)
    # session, user, profile (role check), the dashboard's sums (one statement), whether any
    # commune has an open deadline, the bulletins published with their deliveries (posting
    # cadence and proof, one statement), the deadlines panel (the deadlines with their counts,
    # the first missing communes of each), the open deadlines of the rows shown, the coverage
    # series (series_queries; its last point is the totals), the unread notifications
    # (navigation bar); searching and paging read no more
    with django_assert_num_queries(10 + series_queries):
        response = client.get(reverse("dashboard"), {"date": AS_OF.isoformat(), **params})
    assert response.status_code == 200
    assert len(response.context["rows"]) == shown(communes)
    assert len(response.context["board"].rows) == communes
    assert len(response.context["board"].deadlines) == 2
    assert response.context["board"].communes_posting_under_80 == communes
    # the first commune's urgent approval, on its row when the row is shown
    assert response.content.decode().count('data-urgent="1"') == min(shown(communes), 1)


def test_dashboard_api(communes, api_as, district_staff, django_assert_num_queries):
    client = api_as(district_staff)
    # the dashboard's sums (one statement), the open deadlines of every commune, the bulletins
    # published with their deliveries, the deadlines panel (the deadlines with their counts,
    # their missing communes); the profile is already on the authenticated user
    with django_assert_num_queries(5):
        response = client.get(reverse("api-dashboard"), {"date": "2021-08-10"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["communes"]) == communes
    # 4 deliveries a commune, 2 of them posted: 50.0 % each, so every commune is under 80 %
    totals = body["totals"]
    assert (totals["deliveries_30d"], totals["deliveries_done_30d"]) == (4 * communes, 2 * communes)
    assert (totals["posting_pct"], totals["urgent_30d"]) == (50.0, 1)
    assert {row["posting_pct"] for row in body["communes"]} == {50.0}
    assert body["communes_posting_under_80"] == totals["communes_posting_under_80"] == communes
    assert [len(line["missing_communes"]) for line in body["deadlines"]] == [communes // 2] * 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports(communes, fmt, client, district_staff, django_assert_num_queries):
    client.force_login(district_staff)
    # session, user, profile (role check), the dashboard's sums (one statement), the open
    # deadlines of every commune, the bulletins published with their deliveries; no panel in a
    # table export
    with django_assert_num_queries(6):
        response = client.get(reverse("dashboard-export", args=[fmt]), {"date": "2021-08-10"})
    assert response.status_code == 200
    names = set(
        Commune.objects.filter(district=district_staff.profile.district).values_list(
            "name", flat=True
        )
    )
    if fmt == "csv":
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        # the heading, one line per commune, the totals
        assert len(lines) == communes + 2
        listed = [line[1] for line in lines[1:-1]]
        posting = lines[0].index("Tỷ lệ đăng bài 30 ngày (%)")
        assert {line[posting] for line in lines[1:]} == {"50,0"}
    else:
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        # the "as of" title, the heading, one row per commune, the totals
        assert len(rows) == communes + 3
        listed = [row[1] for row in rows[2:-1]]
    assert len(listed) == communes
    assert set(listed) == names


@pytest.mark.parametrize(("stored", "series_queries"), [("all", 1), ("none", 2)])
def test_commune_page(
    communes, stored, series_queries, client, district_staff, django_assert_num_queries
):
    commune = Commune.objects.order_by("pk").last()
    if stored == "all":
        snapshots_fill(dates=weekly_dates(datetime.date(2021, 8, 10))[:-1])
    client.force_login(district_staff)
    # session, user, profile, the commune (with its district), its groups, their group rows,
    # its village rows, the commune's sums (one statement), its bulletins published (counts
    # with their deliveries, then the latest ones), its series (its snapshots' sums; the
    # missing points computed from the counts), the communes it absorbed in a merger, the
    # unread notifications
    with django_assert_num_queries(12 + series_queries):
        response = client.get(
            reverse("commune-detail", args=[commune.code]), {"date": "2021-08-10"}
        )
    assert response.status_code == 200
    # populate() gives every commune two villages
    villages = list(commune.villages.order_by("pk").values_list("pk", flat=True))
    assert len(villages) == 2
    assert sorted(line.village.pk for line in response.context["detail"].villages) == villages
    assert response.content.decode().count('class="card mb-3 village-card"') == 2
    assert response.context["figures"].posting_pct == 50


def test_dashboard_api_for_a_commune_user(officer_a, communes, api_as, django_assert_num_queries):
    client = api_as(officer_a)
    # the dashboard's sums (one statement), the commune's open deadlines, its bulletins
    # published with their deliveries, the deadlines panel (the deadlines with their counts,
    # their missing communes), all within its commune
    with django_assert_num_queries(5):
        response = client.get(reverse("api-dashboard"), {"date": "2021-08-10"})
    body = response.json()
    assert len(body["communes"]) == 1
    assert [line["expected"] for line in body["deadlines"]] == [1, 1]
    # commune A published nothing: the other communes' deliveries are not its own
    totals = body["totals"]
    assert (totals["deliveries_30d"], totals["posting_pct"], totals["urgent_30d"]) == (0, None, 0)
