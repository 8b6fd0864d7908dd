"""The demo of Bù Gia Mập for `seed_demo`: its 8 communes of 2021, their villages, news groups,
member and Bluzone counts across July–August 2021, and the demo users.

The whole demo is first planned as plain data (demo.plan), then written here. The plan never
depends on what the database already holds, so every run plans the same demo, and writing it
only creates what is missing (keyed by natural keys), which makes the command idempotent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from bmp_comms.dates import local_today
from bmp_comms.scoping import unscoped
from communes.models import BluzoneCount, Commune, District, Field, Role
from communes.places import commune_create, village_create
from communes.services import officer_save, user_create
from communes.signals import figures_changed
from demo.bulletins import seed_demo_bulletins
from demo.deadlines import seed_demo_reports
from demo.letterhead import seed_demo_letterhead
from demo.plan import DEMO_SEED, CommunePlan, GroupPlan, build_plan
from demo.reform import PROVINCE
from demo.region import DISTRICT, FIELD_OFFICER_POSITION, LEADER_POSITION
from demo.today import later_counts, seed_demo_today
from groups.models import MemberCount, MessagingGroup
from groups.services import group_register

User = get_user_model()


@dataclass
class DemoSummary:
    communes: int = 0
    villages: int = 0
    groups: int = 0
    member_counts_created: int = 0
    bluzone_counts_created: int = 0
    users_created: list[str] = field(default_factory=list)


# Writing: create what is missing, keyed by natural keys. Rows that exist are left as they are:
# `make run` seeds on every start, and what a user changed in the demo should survive a restart.


def _district() -> District:
    # After `seed_demo --reform` the demo's top unit is Đồng Nai (demo.reform): the same row.
    reformed = District.objects.filter(code=PROVINCE["code"], kind=PROVINCE["kind"]).first()
    if reformed is not None:
        return reformed
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
    """Write the demo of Bù Gia Mập (docs/rules.md#demo); running it again creates
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
        if commune.merged_into_id is not None:
            # Absorbed by the reform: its villages, groups and counts live in the survivor.
            continue
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
    today = local_today()
    later_members, later_installs = later_counts(district, today)
    summary.member_counts_created += _bulk_create_missing(MemberCount, "group", later_members)
    summary.bluzone_counts_created += _bulk_create_missing(BluzoneCount, "village", later_installs)
    if summary.member_counts_created or summary.bluzone_counts_created:
        # Bulk inserts bypass the model signals: say which communes' kept figures they change.
        figures_changed.send(
            sender=MemberCount,
            commune_ids=list(
                Commune.objects.filter(district=district).values_list("pk", flat=True)
            ),
            since=None,
        )
    seed_demo_reports(district=district)
    seed_demo_bulletins(district=district)
    seed_demo_letterhead(district=district)
    seed_demo_today(district=district, today=today)
    return summary
