"""A process of the notices' races: `python -m tests.notifications.race ROLE WORKDIR [N]`.

Run with its own DATABASE_URL (see tests/deadlines/race.py for why):
  setup    migrate, then commune Phú Nghĩa with two leaders and an officer (each with an email
           address), a published bulletin of the officer's with a Telegram delivery that failed
           and a delivery posted by hand that has awaited confirmation for two days;
  fail N   connect, say "ready-N", wait for "go", record the failed delivery's notices (as a
           worker and the sweep may both do), held 0.5 s inside the transaction after the
           insert, then print what this process created and emailed;
  chase N  the same with the day's chase of waiting posts (beat's job run twice at once);
  count    print what the database holds.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.processes import barrier, serve

HOLD_SECONDS = 0.5


def setup(workdir: Path) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bulletins.models import Bulletin, Delivery
    from communes.models import Commune, District, Officer, Role, UserProfile, Village
    from groups.models import MessagingGroup

    users = get_user_model().objects
    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    people = {}
    for username, role in (
        ("ct-1", Role.COMMUNE_LEADER),
        ("ct-2", Role.COMMUNE_LEADER),
        ("xa-1", Role.COMMUNE_OFFICER),
    ):
        user = users.create(username=username, email=f"{username}@example.org")
        UserProfile.objects.create(user=user, role=role, district=district, commune=commune)
        Officer.objects.create(commune=commune, full_name=username, user=user)
        people[username] = user
    village = Village.objects.create(commune=commune, name="Thôn 1", households=100)
    groups = [
        MessagingGroup.objects.create(
            village=village,
            platform=platform,
            name=f"{platform} thôn 1",
            invite_url=url,
            channel_id=channel_id,
        )
        for platform, url, channel_id in (
            ("telegram", "https://t.me/+thon1", "-1001"),
            ("zalo", "https://zalo.me/g/thon1", ""),
        )
    ]
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    bulletin = Bulletin.objects.create(
        commune=commune,
        field_id="hanh-chinh",
        title="Họp thôn",
        body="Họp thôn lúc 19 giờ tối nay.",
        author=people["xa-1"],
        status="published",
        published_at=two_days_ago,
    )
    failed = Delivery.objects.create(
        bulletin=bulletin, group=groups[0], channel="telegram", status="failed", attempts=5
    )
    waiting = Delivery.objects.create(
        bulletin=bulletin, group=groups[1], channel="manual", status="awaiting_confirmation"
    )
    Delivery.objects.filter(pk=waiting.pk).update(created_at=two_days_ago)
    return {"failed": failed.pk, "waiting": waiting.pk}


def _raise(workdir: Path, n: str, notify) -> dict:
    from django.core import mail
    from django.db import transaction

    barrier(workdir, n)
    started = time.time()
    with transaction.atomic():
        created = notify()
        # Held open after the insert: the other process's insert of the same rows waits on
        # this one's, whatever the order the scheduler runs them in.
        time.sleep(HOLD_SECONDS)
    # The commit has run the on-commit queueing: the emails went (eagerly) from here.
    return {
        "created": len(created),
        "emailed": sorted(to for message in getattr(mail, "outbox", []) for to in message.to),
        "started": started,
        "ended": time.time(),
    }


def fail(workdir: Path, n: str) -> dict:
    from bulletins import notices
    from bulletins.models import Delivery

    delivery = Delivery.objects.get(status="failed")
    return _raise(workdir, n, lambda: notices.delivery_failed_notify(delivery_id=delivery.pk))


def chase(workdir: Path, n: str) -> dict:
    from bulletins import notices

    return _raise(workdir, n, notices.posts_waiting_notify)


def count(workdir: Path) -> dict:
    from django.db.models import Count

    from notifications.models import Notification

    return {
        "notices": sorted(
            [row["user__username"], row["event"].split(":")[0], row["n"], row["email_status"]]
            for row in Notification.objects.values(
                "user__username", "event", "email_status"
            ).annotate(n=Count("pk"))
        )
    }


if __name__ == "__main__":
    serve({"setup": setup, "fail": fail, "chase": chase, "count": count})
