"""A process of the messenger races: `python -m tests.messenger.race ROLE WORKDIR [N]`.

Run with its own DATABASE_URL (see tests/deadlines/race.py for why), TELEGRAM_API_BASE the
test's local server:
  setup    migrate, then a district with its Telegram notification bot, an officer whose chat
           is linked and a notice of theirs not sent yet, and another officer holding an unused
           link code;
  send N   connect, say "ready-N", wait for "go", send the notice (held 0.5 s before the HTTP
           call), print what it came to;
  poll N   the same, reading the bot's updates (held 0.5 s inside the bot's lock);
  count    print what the database holds.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from tests.processes import barrier, serve

HOLD_SECONDS = 0.5
TOKEN = "42:race-notification-bot"
CODE = "RaceCodeOfTheSecondOne"  # 22 characters, as the service makes them


def setup(workdir: Path) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bulletins.channels import notification_bot_connect
    from communes.models import District, Role, UserProfile
    from messenger.bots import bot_state
    from messenger.models import LinkCode, MessengerLink
    from notifications.models import Notification

    district = District.objects.create(code="691", name="Bù Gia Mập")
    users = []
    for n in (1, 2):
        user = get_user_model().objects.create(username=f"vhtt-{n}", first_name=f"Cán bộ {n}")
        UserProfile.objects.create(user=user, role=Role.DISTRICT_STAFF, district=district)
        users.append(user)
    channel = notification_bot_connect(
        district=district, platform="telegram", credentials={"bot_token": TOKEN}
    )
    bot_state(channel)
    now = timezone.now()
    MessengerLink.objects.create(
        user=users[0], platform="telegram", chat_id="5001", linked_at=now - datetime.timedelta(1)
    )
    # Written as the row alone: notifications_create would send it at once (eager Celery).
    notice = Notification.objects.create(
        user=users[0], kind="escalation", event="reminder:1", text="Xã chưa nộp báo cáo."
    )
    LinkCode.objects.create(
        user=users[1],
        platform="telegram",
        code=CODE,
        expires_at=now + datetime.timedelta(minutes=30),
    )
    return {"notice": notice.pk}


def _hold(name: str) -> None:
    from bulletins.transports.telegram import Telegram

    real = getattr(Telegram, name)

    def held(self, **kwargs):
        time.sleep(HOLD_SECONDS)
        return real(self, **kwargs)

    setattr(Telegram, name, held)


def send(workdir: Path, n: str) -> dict:
    from messenger.sending import notices_send
    from notifications.models import Notification

    notice = Notification.objects.get()
    _hold("direct_message")
    barrier(workdir, n)
    started = time.time()
    results = notices_send(notification_ids=[notice.pk])
    return {
        "outcomes": [result.status for result in results],
        "started": started,
        "ended": time.time(),
    }


def poll(workdir: Path, n: str) -> dict:
    from messenger.models import BotState
    from messenger.polling import bot_updates_poll

    channel_id = BotState.objects.get().channel_id
    _hold("get_updates")
    barrier(workdir, n)
    started = time.time()
    result = bot_updates_poll(channel_id=channel_id)
    return {
        "skipped": result.skipped,
        "linked": result.linked,
        "started": started,
        "ended": time.time(),
    }


def count(workdir: Path) -> dict:
    from messenger.models import DirectMessage, LinkCode, MessengerLink

    return {
        "messages": list(DirectMessage.objects.values_list("status", "attempts")),
        "links": sorted(MessengerLink.objects.values_list("user__username", "chat_id")),
        "codes_used": LinkCode.objects.filter(used_at__isnull=False).count(),
    }


if __name__ == "__main__":
    serve({"setup": setup, "send": send, "poll": poll, "count": count})
