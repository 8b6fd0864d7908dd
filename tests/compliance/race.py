"""A process of the compile races: `python -m tests.compliance.race ROLE WORKDIR [ARGS]`.

Run with its own DATABASE_URL, so each process has its own connection to a database that the
suite's own (in-memory or transactional) database cannot share:
  setup       migrate, then a district with its letterhead, two communes with a village each,
              and two pending reports; prints their ids;
  run N ID    open the connection, say "ready-N", wait for "go", compile report ID; the job is
              held 0.5 s inside its numbering transaction (the sequence's row locked), so two
              compiles overlap there however the processes are scheduled;
  hang ID     compile report ID and stop for ever at 30 %, after saying "hung" (a worker that
              the test then kills);
  recover ID  compile report ID again, the clock moved past the stale timeout;
  count       print what the database holds.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

AS_OF = datetime.date(2021, 8, 9)
HOLD_SECONDS = 0.5


def setup() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from communes.models import Commune, District, Village
    from reports.models import ComplianceReport, Letterhead

    district = District.objects.create(code="691", name="Bù Gia Mập")
    Letterhead.objects.create(
        district=district,
        parent_body="UBND huyện Bù Gia Mập",
        issuing_body="Phòng Văn hóa - Thông tin",
        short_code="VHTT",
        place_name="Bù Gia Mập",
        signer_title="Trưởng phòng",
        signer_name="Lê Văn Minh",
        recipients="UBND các xã;",
    )
    for code, name, slug in (("25267", "Phú Nghĩa", "phu-nghia"), ("25231", "Đa Kia", "da-kia")):
        commune = Commune.objects.create(district=district, code=code, name=name, slug=slug)
        Village.objects.create(commune=commune, name="Thôn 1", households=200, residents=800)
    reports = [
        ComplianceReport.objects.create(district=district, as_of=AS_OF, format=fmt)
        for fmt in ("pdf", "xlsx")
    ]
    return {"reports": [report.pk for report in reports]}


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no {path.name}")
        time.sleep(0.002)


def run(workdir: Path, n: str, report_id: int) -> dict:
    from django.db import connection

    from reports import jobs

    connection.ensure_connection()
    numbered = {}

    def held(pk, number):
        numbered["at"] = time.time()
        numbered["number"] = number
        time.sleep(HOLD_SECONDS)

    jobs._numbered = held
    (workdir / f"ready-{n}").touch()
    _wait_for(workdir / "go")
    started = time.time()
    done = jobs.report_compile(report_id=report_id)
    return {"done": done, "started": started, "ended": time.time(), **numbered}


def hang(workdir: Path, report_id: int) -> dict:
    from reports import jobs

    store = jobs.Progress.__call__

    def stop_at_30(self, value):
        store(self, value)
        if value >= 30:
            (workdir / "hung").touch()
            while True:
                time.sleep(1)

    jobs.Progress.__call__ = stop_at_30
    jobs.report_compile(report_id=report_id)
    return {"hung": False}


def recover(report_id: int) -> dict:
    import time_machine
    from django.utils import timezone

    from reports import jobs

    later = timezone.now() + jobs.STALE_AFTER + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=True):
        return {"done": jobs.report_compile(report_id=report_id)}


def count() -> dict:
    from reports.models import ComplianceReport, ReportSequence

    return {
        "reports": [
            {"status": r.status, "number": r.number, "progress": r.progress, "attempts": r.attempts}
            for r in ComplianceReport.objects.order_by("pk")
        ],
        "sequence": list(ReportSequence.objects.values_list("last", flat=True)),
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
        elif role == "run":
            out = run(workdir, sys.argv[3], int(sys.argv[4]))
        elif role == "hang":
            out = hang(workdir, int(sys.argv[3]))
        elif role == "recover":
            out = recover(int(sys.argv[3]))
        else:
            out = count()
        print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
