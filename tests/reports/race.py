"""A process of the reminder races: `python -m tests.reports.race ROLE WORKDIR [N]`.

Run with its own DATABASE_URL, so each process has its own connection to a database that the
test suite's own (in-memory or transactional) database cannot share:
  setup   migrate, then the known data: 3 communes, an officer with email each, one district
          staff user with email, a deadline due in 3 days and one 4 days overdue, all covering
          the three;
  run N   open the connection, say "ready-N", wait for "go", run beat's task for DAY (the job,
          then its emails, sent inline as the test settings make tasks eager), and print what
          this process created and sent; the job is held 0.5 s inside its transaction, after
          its insert, so the two runs overlap however the processes are scheduled;
  outbox  setup, then the job alone for DAY: its emails and digest wait in the outbox, ids
          printed;
  send N  say "ready-N", wait for "go", then try to send every email and digest of the outbox,
          in the same order as the other process, through a mail server that takes 0.2 s, and
          print how many this process sent;
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
    from deadlines.models import Deadline

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
    staff = users.create(username="vhtt", email="vhtt@example.org")  # escalations: one digest
    UserProfile.objects.create(user=staff, role=Role.DISTRICT_STAFF, district=district)
    for due in (DAY + datetime.timedelta(days=3), DAY - datetime.timedelta(days=4)):
        deadline = Deadline.objects.create(district=district, title="Báo cáo", due_date=due)
        deadline.communes.set(communes)
    return {"ok": True}


def _wait_for_go(workdir: Path, n: str) -> None:
    from django.db import connection

    connection.ensure_connection()
    (workdir / f"ready-{n}").touch()
    deadline = time.monotonic() + 60
    while not (workdir / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go")
        time.sleep(0.002)


def run(workdir: Path, n: str) -> dict:
    from django.core import mail

    from deadlines import reminders, tasks

    decide = reminders._deliveries

    def held(*args):
        time.sleep(HOLD_SECONDS)
        return decide(*args)

    reminders._deliveries = held
    _wait_for_go(workdir, n)
    started = time.time()
    result = tasks.send_due_reminders(DAY.isoformat())
    return {
        "reminders": result["reminders"],
        "deliveries": result["deliveries"],
        "digests": result["digests"],
        "emails": len(getattr(mail, "outbox", [])),
        "started": started,
        "ended": time.time(),
    }


def outbox() -> dict:
    from deadlines.reminders import reminders_send_due

    setup()
    rows = reminders_send_due(day=DAY).outbox
    return {"emails": list(rows.emails), "digests": list(rows.digests)}


def send(workdir: Path, n: str) -> dict:
    from django.conf import settings
    from django.core import mail

    from deadlines.models import EscalationDigest, ReminderDelivery
    from deadlines.outbox import escalation_digest_send, reminder_email_send

    settings.EMAIL_BACKEND = "tests.reports.backends.SlowBackend"
    emails = list(ReminderDelivery.objects.filter(channel="email").order_by("pk"))
    digests = list(EscalationDigest.objects.order_by("pk"))
    _wait_for_go(workdir, n)
    started = time.time()
    sent = [reminder_email_send(delivery_id=row.pk) for row in emails]
    sent += [escalation_digest_send(digest_id=row.pk) for row in digests]
    return {
        "sent": sum(sent),
        "emails": len(getattr(mail, "outbox", [])),
        "started": started,
        "ended": time.time(),
    }


def count() -> dict:
    from deadlines.models import EscalationDigest, Reminder, ReminderDelivery

    outbox_rows = [
        *ReminderDelivery.objects.filter(channel="email").values_list("status", "attempts"),
        *EscalationDigest.objects.values_list("status", "attempts"),
    ]
    return {
        "reminders": sorted(Reminder.objects.values_list("commune__code", "kind", "day")),
        "deliveries": ReminderDelivery.objects.count(),
        "unsent": ReminderDelivery.objects.exclude(status="sent").count(),
        "digests": EscalationDigest.objects.count(),
        "outbox": sorted(outbox_rows),
    }


def main() -> None:
    role, workdir = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.test")
    import django

    django.setup()
    from bmp_comms.scoping import unscoped

    # A role stands in for a worker (whose tasks run unscoped) or for a request whose rows are
    # already in hand, and counts rows as the suite's tests do (bmp_comms.scoping).
    with unscoped():
        if role == "setup":
            out = setup()
        elif role == "outbox":
            out = outbox()
        elif role == "run":
            out = run(workdir, sys.argv[3])
        elif role == "send":
            out = send(workdir, sys.argv[3])
        else:
            out = count()
        print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
