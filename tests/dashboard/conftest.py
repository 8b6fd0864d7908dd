"""Known data with every edge case of the dashboard's definitions, and its figures by hand.

As of D = 06/08/2021 (the dispatch's deadline):

Phú Nghĩa (commune_a, district target 50 %)
  V1 households 300, residents 900, smartphones 200
     G1 active, est. 01/07, trained: 120 (20/07), 100 (01/08), 999 (07/08, after D) → 100
     G2 active, no established_on, registered 15/07, untrained: 50 (23/07, exactly 14 days) → 50
     members 150, covered 150; Bluzone 60 (01/08), 70 (03/08), 200 (10/08, after D) → 70
  V2 households 100, residents 120, smartphones 0
     G3 active, est. 01/07, untrained: 300 (10/07), 130 (20/07) → 130: fell by more than half,
        stale (latest before 23/07)
     G4 planned, 90 (01/08): ignored
     G7 active, est. 01/07, trained, no count: without a count, stale
     members 130 > residents 120 (flag), covered min(130, 100) = 100; Bluzone 40 ignored
  V3 households 0, residents 0, smartphones 50: no group, no households (flag); Bluzone 10 (05/08)
  V4 households 100, residents 300, smartphones 0
     G5 closed, 80 (01/08): ignored
     G6 active, est. 20/08 (after D), untrained: not a group yet, not counted anywhere
     members 0, covered 0
  villages 4, with a group 2 (V1, V2), coverage 250/500 = 50.0, Bluzone (70+10)/(200+50) = 32.0
  untrained 2 (G2, G3), stale 2 (G3, G7), flags: above residents 1, fell 1, no count 1,
  no households 1 → 4

Đa Kia (commune_b, own target 40 %)
  V5 households 3, residents 10, smartphones 8
     G8 active, no established_on, registered 01/08, trained: 2 (02/08) → coverage 2/3 = 66.7
     Bluzone 1/8 = 12.5, 27.5 points below its target

Bù Gia Mập: no village → every percentage null

Đức Hạnh
  V6 households 10, residents 30, smartphones 16
     G9 active, no established_on, registered 07/08 (after D), untrained, no count
     coverage 0/10 = 0.0; Bluzone 1/16 = 6.25 → 6.3 (half-up)

District: villages 6, with a group 3, coverage (150+100+2)/(500+3+10) = 252/513 = 49.1,
Bluzone (70+10+1+1)/(250+8+16) = 82/274 = 29.9
"""

import datetime

import pytest

from communes.models import Commune, Village
from deadlines.models import Deadline
from groups.models import GroupStatus, MemberCount, MessagingGroup, Platform
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    DeadlineFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
)

D = datetime.date(2021, 8, 6)


def day(month: int, day_of_month: int) -> datetime.date:
    return datetime.date(2021, month, day_of_month)


@pytest.fixture
def known(commune_a, commune_b, district):
    commune_b.bluzone_target_pct = 40
    commune_b.save()
    commune_c = CommuneFactory(district=district, code="25222", name="Bù Gia Mập", slug="bgm")
    commune_d = CommuneFactory(district=district, code="25228", name="Đức Hạnh", slug="duc-hanh")

    v1 = VillageFactory(
        commune=commune_a, name="Thôn 1", households=300, residents=900, smartphone_users=200
    )
    g1 = GroupFactory(village=v1, name="G1", established_on=day(7, 1), admin_trained=True)
    MemberCountFactory(group=g1, date=day(7, 20), members=120)
    MemberCountFactory(group=g1, date=day(8, 1), members=100)
    MemberCountFactory(group=g1, date=day(8, 7), members=999)
    g2 = GroupFactory(
        village=v1, name="G2", established_on=None, registered_on=day(7, 15), admin_trained=False
    )
    MemberCountFactory(group=g2, date=day(7, 23), members=50)
    BluzoneCountFactory(village=v1, date=day(8, 1), installs=60)
    BluzoneCountFactory(village=v1, date=day(8, 3), installs=70)
    BluzoneCountFactory(village=v1, date=day(8, 10), installs=200)

    v2 = VillageFactory(
        commune=commune_a, name="Thôn 2", households=100, residents=120, smartphone_users=0
    )
    g3 = GroupFactory(village=v2, name="G3", established_on=day(7, 1), admin_trained=False)
    MemberCountFactory(group=g3, date=day(7, 10), members=300)
    MemberCountFactory(group=g3, date=day(7, 20), members=130)
    g4 = GroupFactory(village=v2, name="G4", status=GroupStatus.PLANNED, invite_url="")
    MemberCountFactory(group=g4, date=day(8, 1), members=90)
    GroupFactory(village=v2, name="G7", established_on=day(7, 1), admin_trained=True)
    BluzoneCountFactory(village=v2, date=day(8, 1), installs=40)

    v3 = VillageFactory(
        commune=commune_a, name="Thôn 3", households=0, residents=0, smartphone_users=50
    )
    BluzoneCountFactory(village=v3, date=day(8, 5), installs=10)

    v4 = VillageFactory(
        commune=commune_a, name="Thôn 4", households=100, residents=300, smartphone_users=0
    )
    g5 = GroupFactory(village=v4, name="G5", status=GroupStatus.CLOSED, admin_trained=False)
    MemberCountFactory(group=g5, date=day(8, 1), members=80)
    GroupFactory(village=v4, name="G6", established_on=day(8, 20), admin_trained=False)

    v5 = VillageFactory(
        commune=commune_b, name="Thôn 5", households=3, residents=10, smartphone_users=8
    )
    g8 = GroupFactory(village=v5, name="G8", established_on=None, registered_on=day(8, 1))
    MemberCountFactory(group=g8, date=day(8, 2), members=2)
    BluzoneCountFactory(village=v5, date=day(8, 2), installs=1)

    v6 = VillageFactory(
        commune=commune_d, name="Thôn 6", households=10, residents=30, smartphone_users=16
    )
    GroupFactory(
        village=v6, name="G9", established_on=None, registered_on=day(8, 7), admin_trained=False
    )
    BluzoneCountFactory(village=v6, date=day(8, 1), installs=1)

    return {
        "a": commune_a,
        "b": commune_b,
        "c": commune_c,
        "d": commune_d,
        "villages": {"v1": v1, "v2": v2, "v3": v3, "v4": v4, "v5": v5, "v6": v6},
    }


def populate(district, communes: int) -> None:
    """`communes` communes of two villages each, with groups of every kind and counts."""
    for index in range(communes):
        commune = CommuneFactory(district=district)
        for village_index in range(2):
            village = VillageFactory(commune=commune, households=100 * (village_index + 1))
            active = GroupFactory(village=village)
            MemberCountFactory(group=active, date=day(7, 20), members=80)
            MemberCountFactory(group=active, date=day(8, 1), members=30 + index)
            GroupFactory(village=village, established_on=None, registered_on=day(7, 1))
            GroupFactory(village=village, status=GroupStatus.PLANNED, invite_url="")
            BluzoneCountFactory(village=village, date=day(8, 1), installs=50)


# The words of the communes that populate_in_bulk names; none of them is Phú or Nghĩa, so a
# search for "phu nghia" finds the one commune named so.
BULK_WORDS = ("Bình", "Đa", "Lộc", "Thắng", "Hưng", "Tân", "Đức", "Minh", "An", "Sơn")
BULK_PHU_NGHIA = 4321


def bulk_code(index: int) -> str:
    return f"7{index:05d}"


def bulk_members(index: int) -> int:
    """Commune `index`'s members as of D in populate_in_bulk, of its 1,000 households."""
    return index if index < 1000 else index % 500


def populate_in_bulk(district, communes: int) -> None:
    """`communes` communes inserted in bulk (a nation's 10,000 in a few seconds), commune i
    (from 0) coded 7 and i on five digits, with one village of 1,000 households and one
    trained group counted on 01/08/2021 at bulk_members(i) members: coverage i/10 % for the
    first 1,000 (each its own figure), (i mod 500)/10 % after them. Commune BULK_PHU_NGHIA is
    named Phú Nghĩa; the others two of BULK_WORDS and their number."""

    def name(index: int) -> str:
        if index == BULK_PHU_NGHIA:
            return "Phú Nghĩa"
        words = len(BULK_WORDS)
        return f"{BULK_WORDS[index % words]} {BULK_WORDS[index // words % words]} {index}"

    created = Commune.objects.bulk_create(
        [
            Commune(district=district, code=bulk_code(i), name=name(i), slug=f"bulk-{i}")
            for i in range(communes)
        ],
        batch_size=2000,
    )
    # PostgreSQL and SQLite ≥ 3.35 give the new rows their ids.
    villages = Village.objects.bulk_create(
        [
            Village(commune=commune, name="Thôn 1", households=1000, residents=3000)
            for commune in created
        ],
        batch_size=2000,
    )
    groups = MessagingGroup.objects.bulk_create(
        [
            MessagingGroup(
                village=village,
                platform=Platform.ZALO,
                name=f"Nhóm {i}",
                invite_url=f"https://zalo.me/g/bulk{i}",
                admin_trained=True,
                established_on=day(7, 1),
            )
            for i, village in enumerate(villages)
        ],
        batch_size=2000,
    )
    MemberCount.objects.bulk_create(
        [
            MemberCount(group=group, date=day(8, 1), members=bulk_members(i))
            for i, group in enumerate(groups)
        ],
        batch_size=2000,
    )


def deadline_over(district, due: datetime.date, *, communes: int | None = None):
    """A deadline due on `due` covering every commune of `district` (or the first
    `communes` by code), linked in bulk; no commune has reported to it."""
    deadline = DeadlineFactory(district=district, due_date=due, communes=[])
    ids = Commune.objects.filter(district=district).order_by("code").values_list("pk", flat=True)
    Deadline.communes.through.objects.bulk_create(
        [
            Deadline.communes.through(deadline_id=deadline.pk, commune_id=pk)
            for pk in ids[:communes]
        ],
        batch_size=5000,
    )
    return deadline
