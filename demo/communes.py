"""The demo of Bù Gia Mập for `seed_demo`: its 8 communes of 2021, their villages, news groups,
member and Bluzone counts across July–August 2021, and the demo users.

The whole demo is first planned as plain data from `random.Random(606)`, then written. The plan
never depends on what the database already holds, so every run plans the same demo, and writing
it only creates what is missing (keyed by natural keys), which makes the command idempotent.
Villages are illustrative (DESIGN.md: no public list of them with populations exists), sized
like the real ones and named like the region's thôn, ấp and bon.
"""

from __future__ import annotations

import datetime
import random
import string
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from bmp_comms.scoping import unscoped
from communes.models import BluzoneCount, Commune, District, Field, Role, VillageKind
from communes.services import commune_create, officer_save, user_create, village_create
from demo.bulletins import seed_demo_bulletins
from demo.deadlines import seed_demo_reports
from demo.letterhead import seed_demo_letterhead
from groups.models import GroupStatus, MemberCount, MessagingGroup, Platform
from groups.services import group_register

User = get_user_model()

DEMO_SEED = 606  # the dispatch's number
DISTRICT = {
    "code": "691",
    "name": "Bù Gia Mập",
    "province_name": "Bình Phước",
    "province_code": "70",
    "bluzone_target_pct": 50,
}
JULY_1 = datetime.date(2021, 7, 1)
DISPATCH_DATE = datetime.date(2021, 7, 26)
DEADLINE = datetime.date(2021, 8, 6)
# Communes report on Mondays: 5 July to 30 August 2021, nine weeks around the dispatch.
COUNT_DATES = tuple(datetime.date(2021, 7, 5) + datetime.timedelta(weeks=k) for k in range(9))
# A group fills up over about five weeks, Bluzone installs over the two months.
GROUP_GROWTH_DAYS = 35
BLUZONE_GROWTH_DAYS = (COUNT_DATES[-1] - COUNT_DATES[0]).days

# (official code, 2021 name, villages) in DESIGN.md's order.
COMMUNES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "25222",
        "Bù Gia Mập",
        (
            "Thôn Bù Lư",
            "Thôn Đăk Á",
            "Thôn Đăk Côn",
            "Thôn Bù Rên",
            "Thôn Bình Tiến",
            "Thôn Thác Dài",
            "Thôn Đăk Khâu",
            "Bon Bù Lạch",
            "Bon Bu Dốt",
            "Bon Đăk Ka",
        ),
    ),
    (
        "25225",
        "Đak Ơ",
        (
            *(f"Thôn {n}" for n in range(1, 11)),
            "Bon Bù Ka",
            "Bon Đăk Ơ",
        ),
    ),
    (
        "25228",
        "Đức Hạnh",
        (
            "Thôn Đức Lập",
            "Thôn Đức Lợi",
            "Thôn Đức Thọ",
            "Thôn Tân Lập",
            "Thôn Bình Giai",
            "Thôn Hai Căn",
            "Thôn Phú Lâm",
            "Bon Bù Kroai",
            "Bon Bu Bưng",
        ),
    ),
    (
        "25229",
        "Phú Văn",
        (
            "Thôn Đăk Son 1",
            "Thôn Đăk Son 2",
            "Thôn Phú Châu",
            "Thôn Phú Thịnh",
            "Thôn Đăk Liên",
            "Thôn Phú Tâm",
            "Bon Bu Gia Phúc",
            "Bon Bù Rên",
        ),
    ),
    (
        "25231",
        "Đa Kia",
        (
            *(f"Thôn {n}" for n in range(1, 7)),
            "Thôn Bình Hà 1",
            "Thôn Bình Hà 2",
            "Thôn Bình Hà 3",
            "Thôn Đa Bông Cua",
            "Thôn Sơn Hà",
            "Thôn Bình Minh",
            "Bon Đăk Kia",
            "Bon Bù Dinh",
        ),
    ),
    (
        "25232",
        "Phước Minh",
        (
            "Ấp Phước Tân",
            "Ấp Phước Lộc",
            "Ấp Phước Sơn",
            "Ấp Phước Yên",
            "Ấp Phước Hòa",
            "Ấp Bình Tiến 1",
            "Ấp Bình Tiến 2",
            "Ấp Bình Đức",
            "Bon Bù Nâu",
        ),
    ),
    (
        "25234",
        "Bình Thắng",
        (
            "Thôn Bình Tân",
            "Thôn Bình Lợi",
            "Thôn Bình Hòa",
            "Thôn Bình Thuận",
            "Thôn Bình Phú",
            "Thôn Bình Giang",
            "Thôn Bình Hưng",
            "Bon Bu Dốt",
            "Bon Bu Lum",
            "Bon Bù Ghe",
            "Bon Bù Krong",
        ),
    ),
    (
        "25267",
        "Phú Nghĩa",
        (
            "Thôn Khắc Khoan",
            "Thôn Đắk Á",
            "Thôn Tân Lập",
            "Thôn Tân Hòa",
            "Thôn Bình Tiến 1",
            "Thôn Bình Tiến 2",
            "Thôn Đắk Son",
            "Thôn Đắk Khâu",
            "Thôn Phú Tiến",
            "Thôn Phú Hòa",
            "Bon Bù Xia",
            "Bon Bu Prăng",
            "Bon Đắk Á",
        ),
    ),
)

# How far each commune had got, so the dashboards have leaders and laggards:
# (villages with no group, villages with only a planned group, villages with two groups).
PROGRESS = {
    "25222": (1, 1, 1),
    "25225": (2, 1, 1),
    "25228": (1, 0, 0),
    "25229": (2, 1, 0),
    "25231": (0, 1, 2),
    "25232": (1, 1, 0),
    "25234": (2, 1, 1),
    "25267": (0, 0, 2),
}

KIND_BY_PREFIX = {"Thôn": VillageKind.THON, "Bon": VillageKind.BON, "Ấp": VillageKind.AP}

KINH_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng")
# (middle names, given names) for men and for women.
KINH_NAMES = (
    (("Văn", "Hữu", "Minh", "Đức", "Quốc"), ("Hùng", "Tuấn", "Dũng", "Sơn", "Long", "Thắng")),
    (("Thị", "Ngọc", "Thanh", "Thu"), ("Lan", "Hương", "Mai", "Hạnh", "Thảo", "Yến", "Nga")),
)
# Most S'tiêng and M'nông names in Bình Phước carry Điểu (men) or Thị (women).
STIENG_NAMES = (
    ("Điểu", ("Minh", "Ninh", "Lợi", "Phúc", "Khâm", "Bình", "Sa Rê", "Điều")),
    ("Thị", ("Bích", "Hòa", "Lý", "Nhung", "Thanh", "Ngoan", "Hiền")),
)
MOBILE_PREFIXES = ("086", "096", "097", "098", "032", "035", "038", "088", "091", "094", "090")

FIELD_OFFICER_POSITION = "Công chức Văn hóa - Xã hội"
LEADER_POSITION = "Chủ tịch UBND xã"


@dataclass(frozen=True)
class GroupPlan:
    platform: str
    name: str
    invite_url: str
    admin_name: str
    admin_phone: str
    admin_trained: bool
    admins_only_post: bool
    established_on: datetime.date | None
    status: str
    members: tuple[tuple[datetime.date, int], ...] = ()

    def fields(self) -> dict:
        return {
            "platform": self.platform,
            "invite_url": self.invite_url,
            "admin_name": self.admin_name,
            "admin_phone": self.admin_phone,
            "admin_trained": self.admin_trained,
            "admins_only_post": self.admins_only_post,
            "established_on": self.established_on,
            "status": self.status,
        }


@dataclass(frozen=True)
class VillagePlan:
    name: str
    kind: str
    households: int
    residents: int
    smartphone_users: int
    groups: tuple[GroupPlan, ...]
    installs: tuple[tuple[datetime.date, int], ...]

    def fields(self) -> dict:
        return {
            "kind": self.kind,
            "households": self.households,
            "residents": self.residents,
            "smartphone_users": self.smartphone_users,
        }


@dataclass(frozen=True)
class PersonPlan:
    full_name: str
    phone: str


@dataclass(frozen=True)
class CommunePlan:
    code: str
    name: str
    villages: tuple[VillagePlan, ...]
    officer: PersonPlan
    leader: PersonPlan


@dataclass
class DemoSummary:
    communes: int = 0
    villages: int = 0
    groups: int = 0
    member_counts_created: int = 0
    bluzone_counts_created: int = 0
    users_created: list[str] = field(default_factory=list)


# Planning: pure functions of the random generator.


def _person(rng: random.Random, *, ethnic: bool = False) -> str:
    woman = rng.random() < 0.5
    if ethnic:
        family, given = STIENG_NAMES[woman]
        return f"{family} {rng.choice(given)}"
    middle, given = KINH_NAMES[woman]
    return f"{rng.choice(KINH_FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choices(string.digits, k=7))


def _invite_url(rng: random.Random, platform: str) -> str:
    if platform == Platform.FACEBOOK:
        return "https://www.facebook.com/groups/" + "".join(rng.choices(string.digits, k=15))
    if platform == Platform.TELEGRAM:
        alphabet = string.ascii_letters + string.digits + "_-"
        return "https://t.me/+" + "".join(rng.choices(alphabet, k=16))
    return "https://zalo.me/g/" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=6))


def _growth(
    start: float, end: float, base: int, dates, days: int
) -> tuple[tuple[datetime.date, int], ...]:
    """Counts rising from start × base on the first date to end × base `days` later, fast at
    first, never going down."""
    series, last = [], 0
    for day in dates:
        t = min(1.0, (day - dates[0]).days / days)
        value = round(base * (start + (end - start) * (1 - (1 - t) ** 2)))
        last = max(last, value)
        series.append((day, last))
    return tuple(series)


def _established_on(rng: random.Random) -> datetime.date:
    """Some groups predate the dispatch, most were set up in its ten days, a few came late."""
    roll = rng.random()
    if roll < 0.2:
        start, end = datetime.date(2020, 4, 20), datetime.date(2021, 6, 30)
    elif roll < 0.35:
        start, end = JULY_1, DISPATCH_DATE - datetime.timedelta(days=1)
    elif roll < 0.85:
        start, end = DISPATCH_DATE + datetime.timedelta(days=1), DEADLINE
    else:
        start, end = DEADLINE + datetime.timedelta(days=1), datetime.date(2021, 8, 25)
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _active_group(
    rng, *, village: str, commune: str, households: int, platform: str, primary: bool
) -> GroupPlan:
    established_on = _established_on(rng)
    # A group set up during the campaign is counted the day it is registered, then on Mondays.
    dates = [day for day in COUNT_DATES if day >= established_on]
    if established_on >= JULY_1 and established_on not in dates:
        dates.insert(0, established_on)
    if primary:
        name = f"Nhóm tin {village} - xã {commune}"
        start = rng.uniform(0.3, 0.55) if established_on < JULY_1 else rng.uniform(0.15, 0.35)
        end = rng.uniform(0.6, 1.1)
    else:
        name = f"Cộng đồng {village} - {commune} ({Platform(platform).label})"
        start, end = rng.uniform(0.03, 0.1), rng.uniform(0.15, 0.4)
    return GroupPlan(
        platform=platform,
        name=name,
        invite_url=_invite_url(rng, platform),
        admin_name=_person(rng, ethnic=village.startswith("Bon")),
        admin_phone=_phone(rng),
        admin_trained=rng.random() > 0.25,
        admins_only_post=rng.random() < 0.4,
        established_on=established_on,
        status=GroupStatus.ACTIVE,
        members=_growth(start, end, households, dates, GROUP_GROWTH_DAYS),
    )


def _planned_group(rng, *, village: str, commune: str) -> GroupPlan:
    return GroupPlan(
        platform=Platform.ZALO,
        name=f"Nhóm tin {village} - xã {commune}",
        invite_url="",
        admin_name=_person(rng, ethnic=village.startswith("Bon")),
        admin_phone=_phone(rng),
        admin_trained=False,
        admins_only_post=True,
        established_on=None,
        status=GroupStatus.PLANNED,
    )


def _village(rng, *, name: str, commune: str, state: str) -> VillagePlan:
    households = rng.randint(150, 600)
    residents = min(2500, max(600, round(households * rng.uniform(3.6, 4.4))))
    smartphone_users = round(residents * rng.uniform(0.4, 0.7))
    groups: list[GroupPlan] = []
    if state == "planned":
        groups.append(_planned_group(rng, village=name, commune=commune))
    elif state in ("one", "two"):
        platform = rng.choices(
            [Platform.ZALO, Platform.FACEBOOK, Platform.TELEGRAM], weights=[80, 14, 6]
        )[0]
        groups.append(
            _active_group(
                rng,
                village=name,
                commune=commune,
                households=households,
                platform=platform,
                primary=True,
            )
        )
        if state == "two":
            second = Platform.FACEBOOK if platform != Platform.FACEBOOK else Platform.TELEGRAM
            groups.append(
                _active_group(
                    rng,
                    village=name,
                    commune=commune,
                    households=households,
                    platform=second,
                    primary=False,
                )
            )
    installs = _growth(
        rng.uniform(0.08, 0.25),
        rng.uniform(0.3, 0.68),
        smartphone_users,
        COUNT_DATES,
        BLUZONE_GROWTH_DAYS,
    )
    kind = KIND_BY_PREFIX[name.split(" ", 1)[0]]
    return VillagePlan(name, kind, households, residents, smartphone_users, tuple(groups), installs)


def build_plan(rng: random.Random) -> tuple[CommunePlan, ...]:
    plans = []
    for code, commune, names in COMMUNES:
        without, planned, two = PROGRESS[code]
        order = rng.sample(range(len(names)), len(names))
        states = ["none"] * without + ["planned"] * planned + ["two"] * two
        state_of = {index: states[k] if k < len(states) else "one" for k, index in enumerate(order)}
        villages = tuple(
            _village(rng, name=name, commune=commune, state=state_of[index])
            for index, name in enumerate(names)
        )
        officer = PersonPlan(_person(rng), _phone(rng))
        leader = PersonPlan(_person(rng), _phone(rng))
        plans.append(CommunePlan(code, commune, villages, officer, leader))
    return tuple(plans)


# Writing: create what is missing, keyed by natural keys. Rows that exist are left as they are:
# `make run` seeds on every start, and what a user changed in the demo should survive a restart.


def _district() -> District:
    district, _ = District.objects.get_or_create(
        code=DISTRICT["code"], defaults={k: v for k, v in DISTRICT.items() if k != "code"}
    )
    return district


def _commune(district: District, plan: CommunePlan, summary: DemoSummary) -> Commune:
    commune = Commune.objects.filter(code=plan.code).first()
    if commune is None:
        commune = commune_create(district=district, code=plan.code, name=plan.name)
    summary.communes += 1
    return commune


def _user(*, username: str, summary: DemoSummary, **data):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(username=username, **data)
        summary.users_created.append(username)
    return user


def _commune_users(
    district: District, commune: Commune, plan: CommunePlan, password: str, summary: DemoSummary
):
    officer_user = _user(
        username=f"xa-{commune.slug}",
        district=district,
        password=password,
        full_name=plan.officer.full_name,
        role=Role.COMMUNE_OFFICER,
        commune=commune,
        fields=list(Field.objects.values_list("code", flat=True)),
        summary=summary,
    )
    leader_user = _user(
        username=f"ct-{commune.slug}",
        district=district,
        password=password,
        full_name=plan.leader.full_name,
        role=Role.COMMUNE_LEADER,
        commune=commune,
        summary=summary,
    )
    # user_create names the role as the position; the demo gives the usual titles instead.
    for user, person, position in (
        (officer_user, plan.officer, FIELD_OFFICER_POSITION),
        (leader_user, plan.leader, LEADER_POSITION),
    ):
        officer = getattr(user, "officer", None)
        if user.username in summary.users_created and officer is not None:
            officer_save(
                officer=officer,
                commune=commune,
                full_name=person.full_name,
                position=position,
                phone=person.phone,
            )
    return officer_user


def _villages_and_groups(commune: Commune, plan: CommunePlan, actor, summary: DemoSummary):
    """Villages by (commune, name), groups by (village, name); yields (plan, saved row) pairs
    for the counts."""
    villages = {village.name: village for village in commune.villages.all()}
    groups = {
        (group.village_id, group.name): group
        for group in MessagingGroup.objects.filter(village__commune=commune)
    }
    for village_plan in plan.villages:
        village = villages.get(village_plan.name)
        if village is None:
            village = village_create(
                commune=commune, name=village_plan.name, **village_plan.fields()
            )
        summary.villages += 1
        for group_plan in village_plan.groups:
            group = groups.get((village.pk, group_plan.name))
            if group is None:
                group = group_register(
                    actor=actor, village=village, name=group_plan.name, **group_plan.fields()
                )
            summary.groups += 1
            yield group_plan, group
        yield village_plan, village


def _bulk_create_missing(model, key: str, rows: list) -> int:
    """Counts are keyed by (group or village, date); only the missing ones are inserted."""
    existing = set(
        model.objects.filter(
            **{f"{key}__in": {getattr(row, f"{key}_id") for row in rows}}
        ).values_list(f"{key}_id", "date")
    )
    missing = [row for row in rows if (getattr(row, f"{key}_id"), row.date) not in existing]
    # Demo counts need no change history; one INSERT per batch keeps `make run` quick.
    model.objects.bulk_create(missing, batch_size=500)
    return len(missing)


# The demo writes and reads every commune of its district (bmp_comms.scoping).
@unscoped()
@transaction.atomic
def seed_demo(*, password: str) -> DemoSummary:
    """Write the demo of Bù Gia Mập (DESIGN.md, "Facts for the demo"); running it again creates
    nothing new; the deadline of 606/UBND-VX comes with it (demo.deadlines)."""
    summary = DemoSummary()
    district = _district()
    _user(
        username="chutich",
        district=district,
        password=password,
        full_name="Nguyễn Văn Hòa",
        role=Role.DISTRICT_LEADER,
        summary=summary,
    )
    _user(
        username="vhtt",
        district=district,
        password=password,
        full_name="Trần Thị Thu Hà",
        role=Role.DISTRICT_STAFF,
        summary=summary,
    )
    members: list[MemberCount] = []
    installs: list[BluzoneCount] = []
    for plan in build_plan(random.Random(DEMO_SEED)):
        commune = _commune(district, plan, summary)
        actor = _commune_users(district, commune, plan, password, summary)
        for row_plan, row in _villages_and_groups(commune, plan, actor, summary):
            if isinstance(row_plan, GroupPlan):
                members += [
                    MemberCount(group=row, date=day, members=n, recorded_by=actor)
                    for day, n in row_plan.members
                ]
            else:
                installs += [
                    BluzoneCount(village=row, date=day, installs=n, recorded_by=actor)
                    for day, n in row_plan.installs
                ]
    summary.member_counts_created = _bulk_create_missing(MemberCount, "group", members)
    summary.bluzone_counts_created = _bulk_create_missing(BluzoneCount, "village", installs)
    seed_demo_reports(district=district)
    seed_demo_bulletins(district=district)
    seed_demo_letterhead(district=district)
    return summary
