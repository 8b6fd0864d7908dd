"""A process of the snapshot races: `python -m tests.dashboard.race ROLE WORKDIR [N]`.

Run with its own DATABASE_URL (the suite's test database is not shared between processes):
  setup   migrate, then 3 communes with two villages and a group each, and weekly counts;
  fill N  say "ready-N", wait for "go", fill every commune's snapshots of DATES, each day's
          transaction held HOLD_SECONDS after its insert, so two fills overlap;
  slow    as fill, but say "filled" after the first day's insert and hold that transaction
          WRITE_WAIT_SECONDS, while `write` commits a count that changes that day;
  write   wait for "filled", then record a count dated before DATES[0] in the first commune,
          as a person does (dated_count_record; its refill runs at once, tasks being eager);
  count   every stored row beside the figures computed from the counts now.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from tests.processes import barrier, serve, wait_for

DATES = [datetime.date(2021, 7, 2) + datetime.timedelta(weeks=n) for n in range(6)]
HOLD_SECONDS = 0.3
WRITE_WAIT_SECONDS = 1.5


def setup(workdir: Path) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from communes.models import Commune, District, Village
    from groups.models import MemberCount, MessagingGroup

    district = District.objects.create(code="691", name="Bù Gia Mập")
    for n in range(3):
        commune = Commune.objects.create(
            district=district, code=f"2526{n}", name=f"Xã {n}", slug=f"xa-{n}"
        )
        for v in range(2):
            village = Village.objects.create(
                commune=commune, name=f"Thôn {v}", households=100, smartphone_users=50
            )
            group = MessagingGroup.objects.create(
                village=village,
                name=f"Nhóm {v}",
                invite_url="https://zalo.me/g/x",
                established_on=datetime.date(2021, 6, 1),
            )
            for week in range(8):
                MemberCount.objects.create(
                    group=group,
                    date=datetime.date(2021, 6, 1) + datetime.timedelta(weeks=week),
                    members=10 * (week + 1) + n,
                )
    return {"ok": True}


def _hold_after_inserts(seconds: float, workdir: Path | None = None) -> None:
    """Each day's insert is followed by a pause inside its transaction."""
    from dashboard import sql

    write = sql.Statement.execute_write

    def held(self, using):
        written = write(self, using)
        if workdir is not None:
            (workdir / "filled").touch()
        time.sleep(seconds)
        return written

    sql.Statement.execute_write = held


def fill(workdir: Path, n: str, *, slow: bool = False) -> dict:
    from dashboard.snapshots import snapshots_fill

    if slow:
        _hold_after_inserts(WRITE_WAIT_SECONDS, workdir)
    else:
        _hold_after_inserts(HOLD_SECONDS)
    barrier(workdir, n)
    started = time.time()
    written = snapshots_fill(dates=DATES[:1] if slow else DATES)
    return {"written": written, "started": started, "ended": time.time()}


def slow(workdir: Path, n: str) -> dict:
    return fill(workdir, n, slow=True)


def write(workdir: Path) -> dict:
    from communes.services import dated_count_record
    from groups.models import MemberCount, MessagingGroup

    group = MessagingGroup.objects.order_by("pk").first()
    wait_for(workdir, "filled")
    started = time.time()
    dated_count_record(
        model=MemberCount, owner=group, date=DATES[0] - datetime.timedelta(days=1), value=99
    )
    return {"started": started, "ended": time.time()}


def count(workdir: Path) -> dict:
    from communes.models import Commune
    from dashboard.models import DailyCommuneSnapshot
    from dashboard.sql import commune_sums

    rows = list(DailyCommuneSnapshot.objects.order_by("commune_id", "date"))
    # Every stored day, today's too (each write computes its commune's row of today).
    live = {
        date: {row["id"]: row for row in commune_sums(Commune.objects.all(), date)}
        for date in {*DATES, *(row.date for row in rows)}
    }
    wrong = []
    for row in rows:
        now = live[row.date][row.commune_id]
        if (row.covered, row.installs) != (now["covered"], now["installs"]):
            wrong.append(f"{row.commune_id} {row.date}: stored {row.covered}, now {now['covered']}")
    past = [row for row in rows if row.date in DATES]
    return {
        "rows": len(past),
        "distinct": len({(r.commune_id, r.date) for r in past}),
        "wrong": wrong,
    }


if __name__ == "__main__":
    serve({"setup": setup, "fill": fill, "slow": slow, "write": write, "count": count})
