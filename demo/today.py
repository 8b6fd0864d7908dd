"""The demo alive on the day it is seeded (docs/rules.md#demo): after July–August 2021, the
counts go on weekly up to the week of seeding on a slowly rising curve, the dispatch's deadline
is closed, a deadline of the current month is open, and most communes published a bulletin in
the last 30 days, posted in their groups with proof.

Every value is a pure function of the row's natural key and the date, so a second run on the
same day plans the same rows and writes none; a run a week later adds that week's counts.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bulletins import services
from bulletins.models import Bulletin, DeliveryStatus
from bulletins.publishing import bulletin_publish, delivery_confirm
from communes.models import BluzoneCount, Commune, District, Village
from deadlines.models import Deadline, Submission
from demo.plan import COUNT_DATES
from groups.models import GroupStatus, MemberCount, MessagingGroup, Platform

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
User = get_user_model()
FIRST_LATER_MONDAY = COUNT_DATES[-1] + datetime.timedelta(weeks=1)
# The curve after 2021: half of what is left to gain in a year and a half.
HALF_LIFE_WEEKS = 78
DISPATCH_CLOSED_ON = datetime.date(2021, 9, 30)
CURRENT_DIRECTIVE = "KH-TTCS"
# Communes that published in the last 30 days, and how many days ago; the other two did not.
RECENT = {
    "25222": 3,
    "25225": 9,
    "25228": 6,
    "25229": 21,
    "25231": 2,
    "25267": 1,
}
# Of each recent bulletin's posts by hand, how many in ten were confirmed, by commune.
CONFIRMED_TENTHS = {"25222": 10, "25225": 6, "25228": 9, "25229": 5, "25231": 10, "25267": 8}
CONFIRM_LINKS = {
    Platform.ZALO: "https://zalo.me/g/demo{group}/post/{bulletin}",
    Platform.FACEBOOK: "https://www.facebook.com/groups/demo{group}/posts/{bulletin}",
    Platform.TELEGRAM: "https://t.me/demo{group}/{bulletin}",
    Platform.VIBER: "https://invite.viber.com/?g=demo{group}",
    Platform.OTHER: "https://example.gov.vn/tin/{bulletin}",
}


def mondays_until(today: datetime.date) -> list[datetime.date]:
    """Every Monday after the 2021 campaign's counts, up to the week of `today`."""
    last = today - datetime.timedelta(days=today.weekday())
    weeks = (last - FIRST_LATER_MONDAY).days // 7
    return [FIRST_LATER_MONDAY + datetime.timedelta(weeks=k) for k in range(weeks + 1)]


def rising(
    start: int, ceiling: int, dates: list[datetime.date], key: str
) -> list[tuple[datetime.date, int]]:
    """A slowly rising, never falling curve from `start` toward `ceiling`, with a little
    week-to-week wobble, the same for the same key whatever the day it is computed."""
    rng = random.Random(key)
    values, last = [], start
    for week, day in enumerate(dates, start=1):
        gained = (ceiling - start) * (1 - 0.5 ** (week / HALF_LIFE_WEEKS))
        value = round(start + gained * rng.uniform(0.97, 1.0))
        last = max(last, min(value, ceiling))
        values.append((day, last))
    return values


def _latest(model, key: str, ids) -> dict[int, int]:
    rows = (
        model.objects.filter(**{f"{key}_id__in": ids}, date__lt=FIRST_LATER_MONDAY)
        .order_by(f"{key}_id", "-date")
        .values_list(f"{key}_id", model.value_field)
    )
    latest: dict[int, int] = {}
    for pk, value in rows:
        latest.setdefault(pk, value)
    return latest


def later_counts(district: District, today: datetime.date) -> tuple[list, list]:
    """The member and Bluzone counts of every Monday since 2021, not yet written."""
    dates = mondays_until(today)
    if not dates:
        return [], []
    groups = list(
        MessagingGroup.objects.filter(
            village__commune__district=district, status=GroupStatus.ACTIVE
        ).select_related("village")
    )
    villages = list(Village.objects.filter(commune__district=district))
    members_2021 = _latest(MemberCount, "group", [g.pk for g in groups])
    installs_2021 = _latest(BluzoneCount, "village", [v.pk for v in villages])
    members, installs = [], []
    for group in groups:
        start = members_2021.get(group.pk)
        if start is None:
            continue
        rng = random.Random(f"ceiling {group.name}")
        ceiling = max(start, round(group.village.households * rng.uniform(0.8, 1.0)))
        members += [
            MemberCount(group=group, date=day, members=n)
            for day, n in rising(start, ceiling, dates, f"members {group.name}")
        ]
    for village in villages:
        start = installs_2021.get(village.pk)
        if start is None:
            continue
        rng = random.Random(f"ceiling {village.commune_id} {village.name}")
        ceiling = max(start, round(village.smartphone_users * rng.uniform(0.5, 0.75)))
        installs += [
            BluzoneCount(village=village, date=day, installs=n)
            for day, n in rising(
                start, ceiling, dates, f"installs {village.commune_id} {village.name}"
            )
        ]
    return members, installs


def _close_the_dispatch(district: District) -> None:
    Deadline.objects.filter(
        district=district, directive="606/UBND-VX", closed_on__isnull=True
    ).update(closed_on=DISPATCH_CLOSED_ON)


def _current_deadline(district: District, today: datetime.date) -> None:
    """This month's report on the groups' activity, due ten days after the seeding (kept when
    it exists), expected from every commune; three have sent it already."""
    title = f"Báo cáo hoạt động nhóm tin tháng {today.month:02d}/{today.year}"
    if Deadline.objects.filter(district=district, title=title).exists():
        return
    communes = list(Commune.objects.filter(district=district).serving(today).order_by("code"))
    deadline = Deadline.objects.create(
        district=district,
        directive=CURRENT_DIRECTIVE,
        title=title,
        due_date=today + datetime.timedelta(days=10),
        description=(
            "Số nhóm tin, số thành viên, số bản tin đã đăng trong tháng và các khó khăn, vướng "
            "mắc; gửi về Phòng Văn hóa – Thông tin."
        ),
    )
    deadline.communes.set(communes)
    for k, commune in enumerate(communes[:3]):
        # Seeded history: the submission time is the demo's, not the clock's.
        Submission.objects.create(
            deadline=deadline,
            commune=commune,
            submitted_at=timezone.now() - datetime.timedelta(days=3 - k, hours=2),
            note="Các thôn đều có nhóm tin hoạt động; đã đăng đủ bản tin theo kế hoạch.",
            submitted_by=User.objects.filter(username=f"xa-{commune.slug}").first(),
        )


def _recent_bulletin(commune: Commune, today: datetime.date, days_ago: int) -> None:
    title = f"Lịch tiêm chủng mở rộng tháng {today.month:02d}/{today.year}"
    if Bulletin.objects.filter(commune=commune, title=title).exists():
        return
    officer = User.objects.filter(username=f"xa-{commune.slug}").first()
    leader = User.objects.filter(username=f"ct-{commune.slug}").first()
    if officer is None or leader is None:
        return
    bulletin = services.bulletin_create(
        commune=commune,
        author=officer,
        field="y-te",
        title=title,
        body=(
            "Trạm Y tế xã tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi vào sáng thứ Năm "
            "tuần này tại Trạm Y tế. Phụ huynh mang theo sổ tiêm chủng của trẻ."
        ),
        source="Trạm Y tế xã",
    )
    services.bulletin_submit(bulletin=bulletin, actor=officer)
    services.bulletin_approve(bulletin=bulletin, actor=leader, override_duplicate=True)
    bulletin = bulletin_publish(bulletin=bulletin, actor=leader)
    published_at = timezone.now() - datetime.timedelta(days=days_ago)
    # Seeded history: published on the demo's day, not the clock's.
    Bulletin.objects.filter(pk=bulletin.pk).update(published_at=published_at)
    waiting = list(
        bulletin.deliveries.filter(status=DeliveryStatus.AWAITING_CONFIRMATION)
        .select_related("group")
        .order_by("pk")
    )
    confirmed = round(len(waiting) * CONFIRMED_TENTHS.get(commune.code, 8) / 10)
    for delivery in waiting[:confirmed]:
        delivery_confirm(
            delivery=delivery,
            actor=officer,
            posted_url=CONFIRM_LINKS[delivery.group.platform].format(
                group=delivery.group_id, bulletin=bulletin.pk
            ),
        )
    bulletin.deliveries.filter(status=DeliveryStatus.CONFIRMED).update(
        sent_at=published_at + datetime.timedelta(hours=3)
    )


@transaction.atomic
def seed_demo_today(*, district: District, today: datetime.date) -> None:
    """The deadlines and bulletins of the demo's today (its counts are written with the rest,
    by demo.communes)."""
    _close_the_dispatch(district)
    _current_deadline(district, today)
    for commune in Commune.objects.filter(district=district, code__in=RECENT).serving(today):
        _recent_bulletin(commune, today, RECENT[commune.code])
