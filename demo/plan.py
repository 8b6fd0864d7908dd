"""The plan of the demo's communes, villages, news groups, member and Bluzone counts and people:
plain data, a pure function of `random.Random(DEMO_SEED)` and of the region (demo.region), so
every run plans the same demo whatever the database holds. demo.communes writes it.

Villages are sized like the real ones; groups are set up around the dispatch of 26/07/2021 and
fill up over the weeks after it, Bluzone installs over July–August 2021.
"""

from __future__ import annotations

import datetime
import random
import string
from dataclasses import dataclass

from demo.region import (
    COMMUNES,
    KIND_BY_PREFIX,
    KINH_FAMILY,
    KINH_NAMES,
    MOBILE_PREFIXES,
    STIENG_NAMES,
)
from groups.models import GroupStatus, Platform

DEMO_SEED = 606  # the dispatch's number
JULY_1 = datetime.date(2021, 7, 1)
DISPATCH_DATE = datetime.date(2021, 7, 26)
DEADLINE = datetime.date(2021, 8, 6)
# Communes report on Mondays: 5 July to 30 August 2021, nine weeks around the dispatch.
COUNT_DATES = tuple(datetime.date(2021, 7, 5) + datetime.timedelta(weeks=k) for k in range(9))
# A group fills up over about five weeks, Bluzone installs over the two months.
GROUP_GROWTH_DAYS = 35
BLUZONE_GROWTH_DAYS = (COUNT_DATES[-1] - COUNT_DATES[0]).days

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
