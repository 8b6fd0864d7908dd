"""`seed_demo`: the demo of Bù Gia Mập, written twice with nothing new the second time."""

import datetime
import random
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from communes.models import BluzoneCount, Commune, District, FieldAssignment, Role, Village
from demo.plan import DEMO_SEED, build_plan
from groups.models import GroupStatus, MemberCount, MessagingGroup

User = get_user_model()

OFFICIAL_COMMUNES = [
    ("25222", "Bù Gia Mập", "bu-gia-map"),
    ("25225", "Đak Ơ", "dak-o"),
    ("25228", "Đức Hạnh", "duc-hanh"),
    ("25229", "Phú Văn", "phu-van"),
    ("25231", "Đa Kia", "da-kia"),
    ("25232", "Phước Minh", "phuoc-minh"),
    ("25234", "Bình Thắng", "binh-thang"),
    ("25267", "Phú Nghĩa", "phu-nghia"),
]
FIELD_CODES = {"y-te", "an-ninh-trat-tu", "nong-nghiep", "van-hoa-xa-hoi", "hanh-chinh"}
JULY_1, AUGUST_31 = datetime.date(2021, 7, 1), datetime.date(2021, 8, 31)
MONDAYS = {datetime.date(2021, 7, 5) + datetime.timedelta(weeks=k) for k in range(9)}


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Every table the demo writes, change-history tables included."""
    labels = ("auth", "communes", "groups", "bulletins", "reports", "authtoken")
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


def villages_with_group_by(day: datetime.date) -> int:
    groups = MessagingGroup.objects.filter(status=GroupStatus.ACTIVE, established_on__lte=day)
    return groups.values("village").distinct().count()


# The demo is alive on the day it is seeded: seeded on a known Monday, its counts go on
# weekly from 6 September 2021 to that day, 275 Mondays.
SEEDED_ON = datetime.date(2026, 12, 7)
LATER_MONDAYS = 275


@pytest.fixture
def seeded(db, settings):
    settings.DEMO_PASSWORD = "bgm-demo-2021"
    with time_machine.travel(datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)):
        yield run_seed()


def test_second_run_changes_no_row_count(seeded):
    first = row_counts()

    second_output = run_seed()

    assert row_counts() == first
    assert first["communes.Village"] == 86
    assert first["communes.HistoricalVillage"] == 86  # one "created" entry each, no more
    # every village, nine Mondays of 2021 and every Monday since
    assert first["communes.BluzoneCount"] == 86 * (9 + LATER_MONDAYS)
    assert first["auth.User"] == 18
    assert "0 member counts, 0 Bluzone counts; users: none" in second_output


def test_a_second_run_keeps_what_users_changed_and_restores_what_is_missing(seeded):
    village = Village.objects.get(commune__code="25267", name="Thôn Khắc Khoan")
    village.households = 321
    village.save()
    group = MessagingGroup.objects.filter(admin_trained=False).first()
    group.admin_trained = True
    group.save()
    count = BluzoneCount.objects.get(village=village, date=datetime.date(2021, 8, 30))
    count.delete()

    run_seed()

    village.refresh_from_db()
    group.refresh_from_db()
    assert village.households == 321
    assert group.admin_trained is True
    assert BluzoneCount.objects.get(village=village, date=count.date).installs == count.installs


def test_district_and_its_eight_communes_with_official_codes(seeded):
    district = District.objects.get()
    assert (district.code, district.name) == ("691", "Bù Gia Mập")
    assert (district.province_code, district.province_name) == ("70", "Bình Phước")
    assert district.bluzone_target_pct == 50
    communes = Commune.objects.order_by("code").values_list("code", "name", "slug", "district")
    assert list(communes) == [(*row, district.pk) for row in OFFICIAL_COMMUNES]


def test_villages_are_sized_like_the_region(seeded):
    per_commune = Commune.objects.annotate(n=Count("villages")).values_list("n", flat=True)
    assert all(8 <= n <= 14 for n in per_commune)
    for village in Village.objects.all():
        assert 150 <= village.households <= 600, village
        assert 600 <= village.residents <= 2500, village
        assert 0.39 <= village.smartphone_users / village.residents <= 0.71, village
        prefix = {"thon": "Thôn ", "bon": "Bon ", "ap": "Ấp "}[village.kind]
        assert village.name.startswith(prefix)
    assert set(Village.objects.values_list("kind", flat=True)) == {"thon", "bon", "ap"}


def test_groups_cover_most_villages_with_the_gaps_the_dashboards_show(seeded):
    villages = Village.objects.annotate(
        active=Count("groups", filter=Q(groups__status=GroupStatus.ACTIVE)),
        planned=Count("groups", filter=Q(groups__status=GroupStatus.PLANNED)),
        total=Count("groups"),
    )
    # By construction (demo.plan.PROGRESS): 9 villages with none, 6 with only a planned
    # group, 7 with two active groups, so 71 of 86 villages have an active group.
    assert villages.filter(total=0).count() == 9
    assert villages.filter(planned=1, active=0).count() == 6
    assert villages.filter(active=2).count() == 7
    assert villages.filter(active__gte=1).count() == 71
    assert MessagingGroup.objects.count() == 84

    planned = MessagingGroup.objects.filter(status=GroupStatus.PLANNED)
    assert not planned.exclude(invite_url="").exists()
    assert not MemberCount.objects.filter(group__status=GroupStatus.PLANNED).exists()
    active = MessagingGroup.objects.filter(status=GroupStatus.ACTIVE)
    assert not active.filter(invite_url="").exists()
    assert 0 < active.filter(admin_trained=False).count() < active.count() / 2
    assert 0 < active.filter(admins_only_post=True).count() < active.count()
    platforms = dict(active.values_list("platform").annotate(n=Count("pk")))
    assert set(platforms) == {"zalo", "facebook", "telegram"}
    assert platforms["zalo"] > active.count() / 2


def test_weekly_counts_across_july_and_august_2021_only_grow(seeded):
    campaign = Q(date__lte=AUGUST_31)
    for model in (MemberCount, BluzoneCount):
        dates = set(model.objects.filter(campaign).values_list("date", flat=True))
        assert min(dates) >= JULY_1
    # Bluzone: every village on each of the nine Mondays from 5 July to 30 August.
    assert set(BluzoneCount.objects.filter(campaign).values_list("date", flat=True)) == MONDAYS
    in_campaign = Count("bluzone_counts", filter=Q(bluzone_counts__date__lte=AUGUST_31))
    assert Village.objects.annotate(n=in_campaign).filter(n=9).count() == 86
    active = MessagingGroup.objects.filter(status=GroupStatus.ACTIVE)
    for group in active.prefetch_related("member_counts"):
        counts = sorted(
            (count for count in group.member_counts.all() if count.date <= AUGUST_31),
            key=lambda count: count.date,
        )
        assert counts, group
        # Counted on the day it was set up (when that fell in the campaign), then on Mondays.
        assert counts[0].date in MONDAYS or counts[0].date == group.established_on
        assert {count.date for count in counts[1:]} <= MONDAYS
        assert counts[0].date >= group.established_on
        members = [count.members for count in counts]
        assert members == sorted(members), group
        assert counts[-1].date == datetime.date(2021, 8, 30)
    # The dispatch (26/07) sets groups up; some villages are still late at the deadline (06/08).
    before, at_deadline = (
        villages_with_group_by(datetime.date(2021, 7, 25)),
        villages_with_group_by(datetime.date(2021, 8, 6)),
    )
    assert before < at_deadline < villages_with_group_by(AUGUST_31) == 71


def test_demo_users_have_their_roles_and_log_in_with_the_default_password(seeded, client):
    expected = {"chutich": (Role.DISTRICT_LEADER, None), "vhtt": (Role.DISTRICT_STAFF, None)}
    for code, _name, slug in OFFICIAL_COMMUNES:
        expected[f"xa-{slug}"] = (Role.COMMUNE_OFFICER, code)
        expected[f"ct-{slug}"] = (Role.COMMUNE_LEADER, code)
    users = User.objects.select_related("profile__commune", "profile__district")
    assert {user.username for user in users} == set(expected)
    for user in users:
        role, commune_code = expected[user.username]
        assert user.profile.role == role
        assert user.profile.district.code == "691"
        assert (user.profile.commune.code if user.profile.commune else None) == commune_code
        assert client.login(username=user.username, password="bgm-demo-2021"), user.username
        client.logout()


def test_each_commune_officer_answers_for_all_five_fields(seeded):
    for _code, _name, slug in OFFICIAL_COMMUNES:
        officer = User.objects.get(username=f"xa-{slug}").officer
        fields = set(
            FieldAssignment.objects.filter(officer=officer).values_list("field", flat=True)
        )
        assert fields == FIELD_CODES
        assert officer.commune.slug == slug
        leader = User.objects.get(username=f"ct-{slug}").officer
        assert not FieldAssignment.objects.filter(officer=leader).exists()


def test_the_deadline_of_the_dispatch_is_seeded_once(seeded):
    from deadlines.models import Deadline

    deadlines = Deadline.objects.filter(directive="606/UBND-VX", due_date=datetime.date(2021, 8, 6))
    assert deadlines.count() == 1


def test_the_plan_is_the_same_on_every_run():
    assert build_plan(random.Random(DEMO_SEED)) == build_plan(random.Random(DEMO_SEED))


def test_a_refused_password_leaves_nothing_half_written(db, settings):
    settings.DEMO_PASSWORD = "12345678"  # entirely numeric: the validators refuse it

    with pytest.raises(CommandError, match="password"):
        run_seed()

    assert not District.objects.exists()
    assert not Village.objects.exists()
    assert not User.objects.exists()


def test_the_counts_go_on_weekly_to_the_week_of_seeding_and_never_fall(seeded):
    later = {SEEDED_ON - datetime.timedelta(weeks=k) for k in range(LATER_MONDAYS)}
    active = MessagingGroup.objects.filter(status=GroupStatus.ACTIVE)
    for group in active.prefetch_related("member_counts", "village"):
        counts = sorted(group.member_counts.all(), key=lambda count: count.date)
        after = [count for count in counts if count.date > AUGUST_31]
        assert {count.date for count in after} == later, group
        members = [count.members for count in counts]
        assert members == sorted(members), group
        # Slowly rising toward the village's households, never past them.
        assert after[-1].members <= max(group.village.households, after[0].members)
    # No group is left without data in the last 14 days.
    fresh = MemberCount.objects.filter(date__gte=SEEDED_ON - datetime.timedelta(days=13))
    assert fresh.values("group").distinct().count() == active.count()


def test_on_its_day_the_dispatch_is_closed_a_deadline_is_open_and_communes_posted(seeded):
    from bulletins.models import Bulletin, BulletinStatus, Delivery, DeliveryStatus
    from deadlines.models import Deadline

    dispatch = Deadline.objects.get(directive="606/UBND-VX")
    assert dispatch.closed_on == datetime.date(2021, 9, 30)
    current = Deadline.objects.get(directive="KH-TTCS")
    assert current.title == "Báo cáo hoạt động nhóm tin tháng 12/2026"
    assert current.due_date == datetime.date(2026, 12, 17)
    assert current.communes.count() == 8 and current.submissions.count() == 3
    recent = Bulletin.objects.filter(
        status=BulletinStatus.PUBLISHED,
        published_at__date__gte=SEEDED_ON - datetime.timedelta(days=29),
    )
    # Six of the eight communes published in the last 30 days; Phước Minh and Bình Thắng not.
    assert set(recent.values_list("commune__code", flat=True)) == {
        "25222", "25225", "25228", "25229", "25231", "25267",
    }  # fmt: skip
    # Bù Gia Mập confirmed every post made by hand, Phú Văn half of them.
    for code, tenths in (("25222", 10), ("25229", 5)):
        posts = Delivery.objects.filter(bulletin__in=recent, bulletin__commune__code=code)
        confirmed = posts.filter(status=DeliveryStatus.CONFIRMED).count()
        assert confirmed == round(posts.count() * tenths / 10) and posts.count() > 0
