"""Mergers of communes (docs/rules.md#mergers): the service, `communes/<id>/merge/`, the
command, and what an absorbed commune leaves."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command

from communes.mergers import commune_merge
from communes.models import Commune, FieldAssignment, Role, UserProfile, Village
from dashboard.selectors import dashboard_rows
from deadlines.models import Reminder
from deadlines.reminders import reminders_send_due
from groups.models import MemberCount, MessagingGroup
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    DeadlineFactory,
    DistrictFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
EFFECTIVE_ON = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def phuoc_minh(district):
    """An absorbed-to-be commune: two villages (one named like one of Đa Kia's), three groups,
    counts, an officer for y-te and one for nong-nghiep."""
    commune = CommuneFactory(district=district, code="25232", name="Phước Minh", slug="phuoc-minh")
    thon_1 = VillageFactory(commune=commune, name="Thôn 1", households=300, smartphone_users=200)
    bon = VillageFactory(commune=commune, name="Bon Bù Dốt", households=200, smartphone_users=100)
    for village, n in ((thon_1, 2), (bon, 1)):
        for k in range(n):
            group = GroupFactory(village=village, name=f"Zalo {village.name} {k}")
            MemberCountFactory(group=group, date=datetime.date(2026, 11, 1), members=100)
    BluzoneCountFactory(village=thon_1, date=datetime.date(2026, 11, 1), installs=50)
    health = make_user(Role.COMMUNE_OFFICER, commune=commune, username="xa-phuoc-minh")
    farming = make_user(Role.COMMUNE_OFFICER, commune=commune, username="xa-pm-2")
    FieldAssignment.objects.create(commune=commune, field_id="y-te", officer=health.officer)
    FieldAssignment.objects.create(commune=commune, field_id="nong-nghiep", officer=farming.officer)
    return commune


@pytest.fixture
def da_kia(commune_b, officer_b):
    """The survivor: one village "Thôn 1" with a group, and y-te held by its own officer."""
    village = VillageFactory(commune=commune_b, name="Thôn 1", households=400, smartphone_users=300)
    group = GroupFactory(village=village, name="Zalo Đa Kia")
    MemberCountFactory(group=group, date=datetime.date(2026, 11, 1), members=350)
    FieldAssignment.objects.create(commune=commune_b, field_id="y-te", officer=officer_b.officer)
    return commune_b


def _totals(user):
    totals = dashboard_rows(user=user, as_of=TODAY, panels=False).totals
    return {
        name: getattr(totals, name)
        for name in ("villages_count", "villages_with_group", "coverage_pct", "bluzone_pct")
    }


def test_a_merger_moves_villages_groups_counts_users_and_the_free_fields(
    da_kia, phuoc_minh, district_staff
):
    counts_before = MemberCount.objects.count()

    merger = commune_merge(survivor=da_kia, absorbed_ids=[phuoc_minh.pk], effective_on=EFFECTIVE_ON)

    assert (merger.villages_moved, merger.groups_moved, merger.users_moved) == (2, 3, 2)
    assert sorted(Village.objects.filter(commune=da_kia).values_list("name", flat=True)) == [
        "Bon Bù Dốt",
        "Thôn 1",
        "Thôn 1 (Phước Minh)",
    ]
    assert MessagingGroup.objects.filter(village__commune=da_kia).count() == 4
    assert MemberCount.objects.count() == counts_before  # the counts themselves are unchanged
    assert set(
        UserProfile.objects.filter(user__username__in=["xa-phuoc-minh", "xa-pm-2"]).values_list(
            "commune__code", flat=True
        )
    ) == {"25231"}
    # nong-nghiep was free in Đa Kia: it follows its officer; y-te was held: released, listed.
    assert dict(
        FieldAssignment.objects.filter(commune=da_kia).values_list(
            "field_id", "officer__user__username"
        )
    ) == {"y-te": "xa-b", "nong-nghiep": "xa-pm-2"}
    assert [(r.commune, r.field) for r in merger.fields_released] == [(phuoc_minh.pk, "y-te")]
    phuoc_minh.refresh_from_db()
    assert (phuoc_minh.merged_into, phuoc_minh.merged_on) == (da_kia, EFFECTIVE_ON)


def test_the_top_units_totals_are_the_same_before_and_after(da_kia, phuoc_minh, district_staff):
    before = _totals(district_staff)
    # By hand: 3 villages, all with a group; members min(350, 400) + min(200, 300) + min(100,
    # 200) = 650 of 900 households = 72.2 %; Bluzone 50 of 600 smartphone users = 8.3 %.
    assert before == {
        "villages_count": 3,
        "villages_with_group": 3,
        "coverage_pct": Decimal("72.2"),
        "bluzone_pct": Decimal("8.3"),
    }

    commune_merge(survivor=da_kia, absorbed_ids=[phuoc_minh.pk], effective_on=EFFECTIVE_ON)

    assert _totals(district_staff) == before
    codes = [row.code for row in dashboard_rows(user=district_staff, as_of=TODAY).rows]
    assert "25232" not in codes and "25231" in codes


def test_an_absorbed_commune_is_on_the_dashboard_before_its_merger_day_only(
    da_kia, phuoc_minh, district_staff
):
    commune_merge(survivor=da_kia, absorbed_ids=[phuoc_minh.pk], effective_on=EFFECTIVE_ON)

    def codes(as_of):
        return {row.code for row in dashboard_rows(user=district_staff, as_of=as_of).rows}

    assert "25232" in codes(EFFECTIVE_ON - datetime.timedelta(days=1))
    assert "25232" not in codes(EFFECTIVE_ON)


def test_open_deadlines_expect_the_survivor_once_and_the_absorbed_is_not_reminded(
    da_kia, phuoc_minh, district
):
    open_one = DeadlineFactory(
        district=district, due_date=TODAY + datetime.timedelta(days=3), communes=[phuoc_minh]
    )
    both = DeadlineFactory(
        district=district,
        due_date=TODAY + datetime.timedelta(days=3),
        communes=[phuoc_minh, da_kia],
    )
    closed = DeadlineFactory(
        district=district,
        due_date=datetime.date(2025, 6, 1),
        closed_on=datetime.date(2025, 6, 2),
        communes=[phuoc_minh],
    )

    commune_merge(survivor=da_kia, absorbed_ids=[phuoc_minh.pk], effective_on=EFFECTIVE_ON)

    assert set(open_one.communes.values_list("code", flat=True)) == {"25232", "25231"}
    assert both.communes.filter(code="25231").count() == 1
    assert set(closed.communes.values_list("code", flat=True)) == {"25232"}
    reminders_send_due(day=TODAY)
    reminded = set(Reminder.objects.values_list("deadline_id", "commune__code"))
    assert reminded == {(open_one.pk, "25231"), (both.pk, "25231")}


def test_the_api_merges_and_answers_what_moved(da_kia, phuoc_minh, district_staff, api_as):
    response = api_as(district_staff).post(
        f"/api/v1/communes/{da_kia.pk}/merge/",
        {"absorbed": [phuoc_minh.pk], "effective_on": "2025-07-01"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["commune"] == da_kia.pk and body["absorbed"] == [phuoc_minh.pk]
    assert (body["villages_moved"], body["groups_moved"], body["users_moved"]) == (2, 3, 2)
    released = body["fields_released"]
    assert [(r["commune"], r["field"]) for r in released] == [(phuoc_minh.pk, "y-te")]
    listed = api_as(district_staff).get("/api/v1/communes/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert "25232" not in [row["code"] for row in rows]
    absorbed = api_as(district_staff).get(f"/api/v1/communes/{phuoc_minh.pk}/").json()
    assert (absorbed["merged_into"], absorbed["merged_on"]) == (da_kia.pk, "2025-07-01")


def _refused(api_as, user, survivor, payload):
    def state():
        return (
            list(Village.objects.order_by("pk").values_list("pk", "commune_id", "name")),
            list(Commune.objects.order_by("pk").values_list("pk", "merged_into", "merged_on")),
            list(UserProfile.objects.order_by("pk").values_list("pk", "commune_id")),
        )

    before = state()
    response = api_as(user).post(f"/api/v1/communes/{survivor.pk}/merge/", payload, format="json")
    assert response.status_code == 400, response.content
    assert state() == before
    return response.json()


def test_absorbing_itself_is_refused(da_kia, phuoc_minh, district_staff, api_as):
    body = _refused(
        api_as,
        district_staff,
        da_kia,
        {"absorbed": [da_kia.pk, phuoc_minh.pk], "effective_on": "2025-07-01"},
    )
    assert "không thể tự sáp nhập" in body["absorbed"][0]


def test_a_commune_of_another_top_unit_is_refused(da_kia, district_staff, api_as):
    elsewhere = CommuneFactory(
        district=DistrictFactory(code="692", name="Lộc Ninh"), name="Tân Lập"
    )
    body = _refused(
        api_as, district_staff, da_kia, {"absorbed": [elsewhere.pk], "effective_on": "2025-07-01"}
    )
    assert "Tân Lập" in body["absorbed"][0] and "đơn vị cấp trên khác" in body["absorbed"][0]


def test_a_commune_already_merged_is_refused_and_a_second_merger_changes_nothing(
    da_kia, phuoc_minh, district, district_staff, api_as
):
    duc_hanh = CommuneFactory(district=district, code="25228", name="Đức Hạnh")
    commune_merge(survivor=duc_hanh, absorbed_ids=[phuoc_minh.pk], effective_on=EFFECTIVE_ON)

    body = _refused(
        api_as, district_staff, da_kia, {"absorbed": [phuoc_minh.pk], "effective_on": "2025-07-01"}
    )
    assert "Phước Minh" in body["absorbed"][0] and "đã sáp nhập vào Đức Hạnh" in body["absorbed"][0]


def test_an_empty_list_is_refused(da_kia, district_staff, api_as):
    body = _refused(api_as, district_staff, da_kia, {"absorbed": [], "effective_on": "2025-07-01"})
    assert "ít nhất một" in body["absorbed"][0]


def test_an_effective_date_after_today_is_refused(da_kia, phuoc_minh, district_staff, api_as):
    body = _refused(
        api_as, district_staff, da_kia, {"absorbed": [phuoc_minh.pk], "effective_on": "2026-12-08"}
    )
    assert "08/12/2026" in body["effective_on"][0]


@pytest.mark.parametrize("who", ["officer_b", "leader_a", "district_leader"])
def test_only_district_staff_merge(who, request, da_kia, phuoc_minh, api_as):
    user = request.getfixturevalue(who)
    response = api_as(user).post(
        f"/api/v1/communes/{da_kia.pk}/merge/",
        {"absorbed": [phuoc_minh.pk], "effective_on": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 403
    phuoc_minh.refresh_from_db()
    assert phuoc_minh.merged_into is None


def test_another_top_units_staff_get_404(da_kia, phuoc_minh, api_as):
    stranger = make_user(
        Role.DISTRICT_STAFF, district=DistrictFactory(code="692"), username="vhtt-khac"
    )
    response = api_as(stranger).post(
        f"/api/v1/communes/{da_kia.pk}/merge/",
        {"absorbed": [phuoc_minh.pk], "effective_on": "2025-07-01"},
        format="json",
    )
    assert response.status_code == 404


def test_the_command_merges_by_official_codes(da_kia, phuoc_minh, capsys):
    call_command("merge_communes", "25231", "25232", "--effective-on", "2025-07-01")

    phuoc_minh.refresh_from_db()
    assert phuoc_minh.merged_into == da_kia
    with pytest.raises(CommandError, match="đã sáp nhập"):
        call_command("merge_communes", "25231", "25232", "--effective-on", "2025-07-01")
    with pytest.raises(CommandError, match="99999"):
        call_command("merge_communes", "25231", "99999", "--effective-on", "2025-07-01")


def test_the_pages_say_merged_from_and_merged_into(da_kia, phuoc_minh, district_staff, client):
    commune_merge(survivor=da_kia, absorbed_ids=[phuoc_minh.pk], effective_on=EFFECTIVE_ON)
    client.force_login(district_staff)

    survivor_page = client.get(f"/communes/{da_kia.code}/").content.decode()
    absorbed_page = client.get(f"/communes/{phuoc_minh.code}/").content.decode()

    assert "Sáp nhập từ" in survivor_page and "Phước Minh" in survivor_page
    assert "01/07/2025" in survivor_page
    assert "Đã sáp nhập vào" in absorbed_page and f"/communes/{da_kia.code}/" in absorbed_page


def test_the_absorbed_users_serve_the_survivor(da_kia, phuoc_minh, client):
    commune_merge(survivor=da_kia, absorbed_ids=[phuoc_minh.pk], effective_on=EFFECTIVE_ON)
    officer = UserProfile.objects.get(user__username="xa-phuoc-minh").user
    client.force_login(officer)

    assert client.get(f"/communes/{da_kia.code}/").status_code == 200
    assert client.get(f"/communes/{phuoc_minh.code}/").status_code == 404
