"""A process of the compile races: `python -m tests.reports.race ROLE WORKDIR [ARGS]`.

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
import time
from pathlib import Path

from tests.processes import barrier, serve

AS_OF = datetime.date(2021, 8, 9)
HOLD_SECONDS = 0.5


def setup(workdir: Path) -> dict:
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


def run(workdir: Path, n: str, report_id: str) -> dict:
    from reports import jobs

    numbered = {}

    def held(pk, number):
        numbered["at"] = time.time()
        numbered["number"] = number
        time.sleep(HOLD_SECONDS)

    jobs._numbered = held
    barrier(workdir, n)
    started = time.time()
    done = jobs.report_compile(report_id=int(report_id))
    return {"done": done, "started": started, "ended": time.time(), **numbered}


def hang(workdir: Path, report_id: str) -> dict:
    from reports import jobs

    store = jobs.Progress.__call__

    def stop_at_30(self, value):
        store(self, value)
        if value >= 30:
            (workdir / "hung").touch()
            while True:
                time.sleep(1)

    jobs.Progress.__call__ = stop_at_30
    jobs.report_compile(report_id=int(report_id))
    return {"hung": False}


def recover(workdir: Path, report_id: str) -> dict:
    import time_machine
    from django.utils import timezone

    from reports import jobs

    later = timezone.now() + jobs.STALE_AFTER + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=True):
        return {"done": jobs.report_compile(report_id=int(report_id))}


def beat(workdir: Path, n: str) -> dict:
    """Beat's every-minute recovery, the clock past the stale timeout; both processes pause
    HOLD_SECONDS after the barrier, inside the job, so both find the report stalled before
    either takes it."""
    import time_machine
    from django.utils import timezone

    from reports import jobs, tasks

    stale_running = jobs.stale_running
    paused = []

    def held(now):
        if not paused:
            paused.append(True)
            time.sleep(HOLD_SECONDS)
        return stale_running(now)

    jobs.stale_running = held
    barrier(workdir, n)
    # Timed outside the travel: each process's travelled clock is its own.
    started = time.time()
    later = timezone.now() + jobs.STALE_AFTER + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=True):
        queued = tasks.recover_stalled_reports()
    return {"queued": queued, "started": started, "ended": time.time()}


def count(workdir: Path) -> dict:
    from reports.models import ComplianceReport, ReportSequence

    return {
        "reports": [
            {
                "status": r.status,
                "number": r.number,
                "progress": r.progress,
                "attempts": r.attempts,
                "recoveries": r.recoveries,
            }
            for r in ComplianceReport.objects.order_by("pk")
        ],
        "sequence": list(ReportSequence.objects.values_list("last", flat=True)),
    }


if __name__ == "__main__":
    serve(
        {
            "setup": setup,
            "run": run,
            "hang": hang,
            "recover": recover,
            "beat": beat,
            "count": count,
        }
    )
