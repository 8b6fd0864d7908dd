from decimal import Decimal

import pytest

from communes.models import Commune
from dashboard.selectors import dashboard_rows
from dashboard.series import coverage_series, weekly_dates
from tests.dashboard.conftest import D, day


def test_weekly_dates_end_on_the_date():
    assert weekly_dates(D, 3) == [day(7, 23), day(7, 30), D]


def test_district_series_by_hand(known, django_assert_num_queries):
    # no snapshot stored: their sums, then every point computed from the counts (one statement)
    with django_assert_num_queries(2):
        series = coverage_series(communes=Commune.objects.all(), end=D, weeks=4)
    assert [point.date for point in series] == [day(7, 16), day(7, 23), day(7, 30), D]
    # 16/07: only G3 (300 on 10/07) → min(300, 100) = 100 of 513 households
    # 23/07 and 30/07: G1 120 + G2 50 in V1, G3 130 → min(130, 100) in V2 → 270 / 513
    assert [point.coverage_pct for point in series] == [
        Decimal("19.5"),
        Decimal("52.6"),
        Decimal("52.6"),
        Decimal("49.1"),
    ]
    # no Bluzone count before 01/08
    assert [point.bluzone_pct for point in series] == [
        Decimal("0.0"),
        Decimal("0.0"),
        Decimal("0.0"),
        Decimal("29.9"),
    ]


def test_last_point_is_the_dashboard_total(known, district_staff):
    (last,) = coverage_series(communes=Commune.objects.all(), end=D, weeks=1)
    totals = dashboard_rows(user=district_staff, as_of=D).totals
    assert (last.coverage_pct, last.bluzone_pct) == (totals.coverage_pct, totals.bluzone_pct)


def test_commune_series(known):
    series = coverage_series(communes=Commune.objects.filter(pk=known["b"].pk), end=D, weeks=2)
    assert [(p.coverage_pct, p.bluzone_pct) for p in series] == [
        (Decimal("0.0"), Decimal("0.0")),
        (Decimal("66.7"), Decimal("12.5")),
    ]


@pytest.mark.django_db
def test_series_of_no_commune_is_null():
    (point,) = coverage_series(communes=Commune.objects.none(), end=D, weeks=1)
    assert (point.coverage_pct, point.bluzone_pct) == (None, None)
