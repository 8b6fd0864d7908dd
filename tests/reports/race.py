"""A process of the reminder race: `python -m tests.reports.race ROLE WORKDIR [N]`.

Run with its own DATABASE_URL, so each process has its own connection to a database that the
test suite's own (in-memory or transactional) database cannot share:
  setup   migrate, then the known data: 3 communes, an officer with email each, one district
          staff user, a deadline due in 3 days and one 4 days overdue, all covering the three;
  run N   open the connection, say "ready-N", wait for "go", run the job for DAY, and print
          what this process created; the job is held 0.5 s inside its transaction, after its
          insert, so the two runs overlap however the processes are scheduled;
  count   print what the database holds.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

DAY = datetime.date(2021, 8, 6)
HOLD_SECONDS = 0.5


def setup() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model

    from communes.models import Commune, District, Role, UserProfile
    from reports.models import Deadline

    users = get_user_model().objects
    district = District.objects.create(code="691", name="Bù Gia Mập")
    communes = [
        Commune.objects.create(district=district, code=code, name=name, slug=slug)
        for code, name, slug in (
            ("25267", "Phú Nghĩa", "phu-nghia"),
            ("25231", "Đa Kia", "da-kia"),
            ("25234", "Bình Thắng", "binh-thang"),
        )
    ]
    for commune in communes:
        user = users.create(username=f"xa-{commune.slug}", email=f"{commune.slug}@example.org")
        UserProfile.objects.create(
            user=user, role=Role.COMMUNE_OFFICER, district=district, commune=commune
        )
    staff = users.create(username="vhtt", email="vhtt@example.org")
    UserProfile.objects.create(user=staff, role=Role.DISTRICT_STAFF, district=district)
    for due in (DAY + datetime.timedelta(days=3), DAY - datetime.timedelta(days=4)):
        deadline = Deadline.objects.create(district=district, title="Báo cáo", due_date=due)
        deadline.communes.set(communes)
    return {"ok": True}


def run(workdir: Path, n: str) -> dict:
    from django.core import mail
    from django.db import connection

    from reports import reminders

    connection.ensure_connection()
    decide = reminders._deliveries

    def held(won):
        time.sleep(HOLD_SECONDS)
        return decide(won)

    reminders._deliveries = held
    (workdir / f"ready-{n}").touch()
    deadline = time.monotonic() + 60
    while not (workdir / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go")
        time.sleep(0.002)
    started = time.time()
    result = reminders.reminders_send_due(day=DAY)
    return {
        "reminders": result.reminders,
        "deliveries": result.deliveries,
        "emails": len(getattr(mail, "outbox", [])),
        "started": started,
        "ended": time.time(),
    }


def count() -> dict:
    from reports.models import Reminder, ReminderDelivery

    return {
        "reminders": sorted(Reminder.objects.values_list("commune__code", "kind", "day")),
        "deliveries": ReminderDelivery.objects.count(),
        "unsent": ReminderDelivery.objects.exclude(status="sent").count(),
    }


def main() -> None:
    role, workdir = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.test")
    import django

    django.setup()
    if role == "setup":
        out = setup()
    elif role == "run":
        out = run(workdir, sys.argv[3])
    else:
        out = count()
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
