"""A process of the bulletin races: `python -m tests.bulletins.race ROLE WORKDIR [N]`.

Run with its own DATABASE_URL (see tests/deadlines/race.py for why):
  setup     migrate, then commune Phú Nghĩa with two leaders, a submitted bulletin, and a
            published one with one pending Telegram delivery (TELEGRAM_API_BASE from the
            environment: the test's local server);
  approve N connect, say "ready-N", wait for "go", approve the submitted bulletin as leader N
            (held 0.5 s inside its transaction, after its UPDATE), print whether it won;
  send N    the same, sending the pending delivery (held 0.5 s before the HTTP call);
  count     print what the database holds.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.processes import barrier, serve

HOLD_SECONDS = 0.5


def setup(workdir: Path) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model

    from bulletins import publishing, services
    from bulletins.channels import channel_connect
    from bulletins.models import Bulletin, Delivery
    from communes.models import Commune, District, Officer, Role, UserProfile, Village
    from groups.models import MessagingGroup

    users = get_user_model().objects
    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    leaders = []
    for n in (1, 2):
        user = users.create(username=f"ct-{n}", first_name=f"Lãnh đạo {n}")
        UserProfile.objects.create(
            user=user, role=Role.COMMUNE_LEADER, district=district, commune=commune
        )
        Officer.objects.create(commune=commune, full_name=user.first_name, user=user)
        leaders.append(user)
    # The bulletins' author is an officer: neither leader approves their own (two people per
    # bulletin, docs/rules.md#approval), so both may approve the submitted one.
    author = users.create(username="xa-1", first_name="Cán bộ 1")
    UserProfile.objects.create(
        user=author, role=Role.COMMUNE_OFFICER, district=district, commune=commune
    )
    Officer.objects.create(commune=commune, full_name=author.first_name, user=author)
    village = Village.objects.create(commune=commune, name="Thôn 1", households=100)
    group = MessagingGroup.objects.create(
        village=village,
        platform="telegram",
        name="Telegram thôn 1",
        invite_url="https://t.me/+thon1",
        channel_id="-1001",
    )
    channel_connect(
        commune=commune, platform="telegram", credentials={"bot_token": "42:race-token"}
    )
    texts = {"field": "hanh-chinh", "body": "Họp thôn lúc 19 giờ tối nay.", "source": ""}
    submitted = services.bulletin_create(commune=commune, author=author, title="Họp thôn", **texts)
    services.bulletin_submit(bulletin=submitted, actor=leaders[0])
    published = services.bulletin_create(commune=commune, author=author, title="Lịch họp", **texts)
    services.bulletin_submit(bulletin=published, actor=leaders[0])
    services.bulletin_approve(bulletin=published, actor=leaders[0])
    # The race is the two workers': publishing queues (and, eagerly, sends) nothing here.
    from bulletins import outbox

    queue = outbox.deliveries_queue_on_commit
    outbox.deliveries_queue_on_commit = lambda delivery_ids: None
    try:
        publishing.bulletin_publish(bulletin=published, actor=leaders[0])
    finally:
        outbox.deliveries_queue_on_commit = queue
    delivery = Delivery.objects.get(bulletin=published, group=group)
    assert Bulletin.objects.get(pk=submitted.pk).status == "submitted"
    return {"submitted": submitted.pk, "delivery": delivery.pk}


def approve(workdir: Path, n: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from bulletins import services, transitions
    from bulletins.models import Bulletin

    leader = get_user_model().objects.get(username=f"ct-{n}")
    bulletin = Bulletin.objects.get(status="submitted")
    audit = transitions.audit

    def held(**kwargs):
        time.sleep(HOLD_SECONDS)
        return audit(**kwargs)

    transitions.audit = held
    barrier(workdir, n)
    started = time.time()
    try:
        services.bulletin_approve(bulletin=bulletin, actor=leader)
        won = True
    except ValidationError:
        won = False
    return {"won": won, "started": started, "ended": time.time()}


def send(workdir: Path, n: str) -> dict:
    from bulletins import sending
    from bulletins.models import Delivery
    from bulletins.transports.telegram import Telegram

    delivery = Delivery.objects.get(status="pending")
    telegram_send = Telegram.send

    def held(self, **kwargs):
        time.sleep(HOLD_SECONDS)
        return telegram_send(self, **kwargs)

    Telegram.send = held
    barrier(workdir, n)
    started = time.time()
    outcome = sending.delivery_send(delivery_id=delivery.pk)
    return {"outcome": outcome.status, "started": started, "ended": time.time()}


def count(workdir: Path) -> dict:
    from bulletins.models import Bulletin, BulletinTransition, Delivery

    return {
        "statuses": sorted(Bulletin.objects.values_list("title", "status")),
        "approvals": BulletinTransition.objects.filter(to_status="approved").count(),
        "deliveries": list(Delivery.objects.values_list("status", "attempts")),
    }


if __name__ == "__main__":
    serve({"setup": setup, "approve": approve, "send": send, "count": count})
