"""Publishing one approved bulletin to 500 active groups, end to end, at each scale:
`bulletin_publish` (bulletins.publishing) as a leader's page calls it, its transaction
committed and the sends of the automatic deliveries queued (to the bench's in-memory broker,
bench.settings), timed from the call to its return. The issue's bound: under 1 s.

For the measure a commune of its own is added to the scale's district, after the dashboard's
measures: 100 villages of 5 active groups (every other group on Telegram with a chat id, and
the commune's Telegram bot on, so half the deliveries are sent automatically and half await an
officer), a leader, and for each run an approved bulletin to every village. Everything added is
removed afterwards (`remove`), in SQL, so the dataset, which others reuse, holds none of it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

GROUPS = 500
GROUPS_PER_VILLAGE = 5
BOUND_SECONDS = 1.0
RUNS = 5
CODE = "BENCH-PUBLISH"
LEADER = "bench-publish-leader"
TITLE = "Bench publish: "


@dataclass(frozen=True)
class Timed:
    groups: int
    median_seconds: float
    max_seconds: float
    queries: int
    automatic: int
    by_hand: int


def add(district, *, groups: int = GROUPS):
    """The commune of the measure, its villages, groups and Telegram bot, and its leader;
    returns (commune, leader)."""
    from django.contrib.auth import get_user_model

    from bulletins.models import Channel, ChannelPlatform
    from communes.models import Commune, Role, UserProfile, Village
    from groups.models import GroupStatus, MessagingGroup, Platform

    remove(district)
    commune = Commune.objects.create(
        district=district, code=CODE, name="Xã đo đăng bài", slug=CODE.lower()
    )
    villages = Village.objects.bulk_create(
        Village(commune=commune, name=f"Thôn {n + 1}", households=300, residents=1200)
        for n in range(-(-groups // GROUPS_PER_VILLAGE))
    )
    # bulk_create: no history row and no snapshot refill for rows `remove` deletes again.
    MessagingGroup.objects.bulk_create(
        MessagingGroup(
            village=villages[n // GROUPS_PER_VILLAGE],
            platform=Platform.TELEGRAM if n % 2 == 0 else Platform.ZALO,
            name=f"Nhóm {n + 1}",
            invite_url=f"https://t.me/+bench{n}" if n % 2 == 0 else f"https://zalo.me/g/bench{n}",
            channel_id=f"-100{n + 1}" if n % 2 == 0 else "",
            status=GroupStatus.ACTIVE,
        )
        for n in range(groups)
    )
    # The platform is all publishing reads of a channel; no credentials are needed to queue.
    Channel.objects.create(commune=commune, platform=ChannelPlatform.TELEGRAM)
    leader = get_user_model().objects.create(username=LEADER, first_name="Bench leader")
    leader.set_unusable_password()
    leader.save(update_fields=["password"])
    UserProfile.objects.create(
        user=leader, role=Role.COMMUNE_LEADER, district=district, commune=commune
    )
    return commune, leader


def _approved(commune, leader, number: int):
    from django.utils import timezone

    from bulletins.models import Bulletin, BulletinStatus
    from communes.models import Field

    Field.objects.get_or_create(code="hanh-chinh", defaults={"name": "Hành chính"})
    now = timezone.now()
    return Bulletin.objects.create(
        commune=commune,
        field_id="hanh-chinh",
        title=f"{TITLE}{number}",
        body="Thông báo lịch họp thôn.",
        author=leader,
        status=BulletinStatus.APPROVED,
        submitted_at=now,
        approved_at=now,
    )


def time_publish(commune, leader, *, runs: int = RUNS) -> Timed:
    """The median of `runs` publishings, each of a new approved bulletin to every group, each
    committed (autocommit: bulletin_publish is its own transaction), and the queries of one
    more, counted apart."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bulletins.models import DeliveryStatus
    from bulletins.publishing import bulletin_publish

    bulletin = _approved(commune, leader, 0)
    with CaptureQueriesContext(connection) as captured:
        bulletin_publish(bulletin=bulletin, actor=leader)
    statuses = list(bulletin.deliveries.values_list("status", flat=True))
    times = []
    for number in range(1, runs + 1):
        bulletin = _approved(commune, leader, number)
        started = time.perf_counter()
        bulletin_publish(bulletin=bulletin, actor=leader)
        times.append(time.perf_counter() - started)
    return Timed(
        groups=len(statuses),
        median_seconds=statistics.median(times),
        max_seconds=max(times),
        queries=len(captured),
        automatic=statuses.count(DeliveryStatus.PENDING),
        by_hand=statuses.count(DeliveryStatus.AWAITING_CONFIRMATION),
    )


def remove(district) -> None:
    """Everything `add` and the runs wrote in `district`, in SQL (the ORM would write history
    rows and queue snapshot refills for what it deletes)."""
    commune = "SELECT id FROM communes_commune WHERE district_id = %s AND code = %s"
    bulletins = f"SELECT id FROM bulletins_bulletin WHERE commune_id IN ({commune})"
    villages = f"SELECT id FROM communes_village WHERE commune_id IN ({commune})"
    key = [district.pk, CODE]
    statements = [
        (f"DELETE FROM bulletins_delivery WHERE bulletin_id IN ({bulletins})", key),
        (f"DELETE FROM bulletins_bulletintransition WHERE bulletin_id IN ({bulletins})", key),
        (f"DELETE FROM bulletins_bulletin WHERE commune_id IN ({commune})", key),
        (f"DELETE FROM bulletins_channel WHERE commune_id IN ({commune})", key),
        (f"DELETE FROM groups_messaginggroup WHERE village_id IN ({villages})", key),
        (f"DELETE FROM communes_village WHERE commune_id IN ({commune})", key),
        (f"DELETE FROM communes_userprofile WHERE commune_id IN ({commune})", key),
        (f"DELETE FROM reports_dailycommunesnapshot WHERE commune_id IN ({commune})", key),
        # The notices of publishing (the author's, the field's officer's) and their e-mails.
        ("DELETE FROM notifications_notification WHERE user_id IN "
         "(SELECT id FROM auth_user WHERE username = %s)", [LEADER]),
        ("DELETE FROM authtoken_token WHERE user_id IN "
         "(SELECT id FROM auth_user WHERE username = %s)", [LEADER]),
        ("DELETE FROM auth_user WHERE username = %s", [LEADER]),
        ("DELETE FROM communes_commune WHERE district_id = %s AND code = %s", key),
    ]  # fmt: skip
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def run_scale(name: str, district, *, groups: int = GROUPS, runs: int = RUNS) -> bool:
    """Print the publishing's time at this scale and whether it is under the bound; False when
    it is not."""
    commune, leader = add(district, groups=groups)
    try:
        timed = time_publish(commune, leader, runs=runs)
    finally:
        remove(district)
    within = timed.median_seconds < BOUND_SECONDS
    print(
        f"publish of one bulletin to {timed.groups:,} active groups: "
        f"{timed.median_seconds:.3f} s (median of {runs}, slowest {timed.max_seconds:.3f} s; "
        f"{timed.automatic:,} queued to a channel, {timed.by_hand:,} awaiting an officer), "
        f"{timed.queries} queries at {name}; under {BOUND_SECONDS:g} s: "
        + ("yes" if within else "NO"),
        flush=True,
    )
    return within
