"""`seed_demo --reform`: the 2025 reform applied to the demo as data, idempotently
(docs/rules.md#demo)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from communes.models import Commune, District, UserProfile, Village
from dashboard.selectors import dashboard_rows
from reports.models import Letterhead
from tests.demo.test_seed_demo import row_counts

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def reformed(settings):
    settings.DEMO_PASSWORD = "bgm-demo-2021"
    with time_machine.travel(datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)):
        seed()
        staff = UserProfile.objects.get(user__username="vhtt").user
        before = dashboard_rows(user=staff, as_of=datetime.date(2026, 12, 7)).totals
        output = seed("--reform")
        yield before, output


def test_the_top_unit_becomes_dong_nai_and_six_communes_serve(reformed):
    unit = District.objects.get()
    assert (unit.code, unit.name, unit.kind) == ("75", "Đồng Nai", "province")
    serving = Commune.objects.filter(district=unit).serving(datetime.date(2026, 12, 7))
    assert set(serving.values_list("name", flat=True)) == {
        "Bù Gia Mập", "Đa Kia", "Đăk Ơ", "Phú Nghĩa",
    }  # fmt: skip
    merged = dict(
        Commune.objects.filter(merged_into__isnull=False).values_list("code", "merged_into__code")
    )
    assert merged == {"25232": "25231", "25234": "25231", "25228": "25267", "25229": "25267"}
    assert set(Commune.objects.exclude(merged_on=None).values_list("merged_on", flat=True)) == {
        datetime.date(2025, 7, 1)
    }
    assert "Đa Kia ← 2; Phú Nghĩa ← 2" in reformed[1]


def test_the_demo_users_keep_working_and_serve_the_survivor(reformed, client):
    profile = UserProfile.objects.get(user__username="xa-phuoc-minh")
    assert profile.commune.code == "25231"
    assert client.login(username="xa-phuoc-minh", password="bgm-demo-2021")
    assert client.get("/communes/25231/").status_code == 200


def test_the_totals_and_the_villages_are_the_same_after_the_reform(reformed):
    before, _output = reformed
    staff = UserProfile.objects.get(user__username="vhtt").user
    after = dashboard_rows(user=staff, as_of=datetime.date(2026, 12, 7)).totals
    for figure in ("villages_count", "villages_with_group", "coverage_pct", "bluzone_pct"):
        assert getattr(after, figure) == getattr(before, figure), figure
    assert Village.objects.count() == 86


def test_the_letterhead_is_the_sos(reformed):
    letterhead = Letterhead.objects.get()
    assert letterhead.parent_body == "UBND tỉnh Đồng Nai"
    assert letterhead.issuing_body == "Sở Văn hóa, Thể thao và Du lịch"
    assert letterhead.place_name == "Đồng Nai"


def test_running_it_again_changes_nothing(reformed):
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)):
        first = row_counts()
        again = seed("--reform")
        assert row_counts() == first
        seed()
        assert row_counts() == first
    assert "already applied" in again
