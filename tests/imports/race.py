"""A process of the import race: `python -m tests.imports.race ROLE WORKDIR [N]`.

Run with its own DATABASE_URL (see tests/reports/race.py for why):
  setup     migrate, then commune Phú Nghĩa, its village Thôn 1 with two groups, and two
            officers of the commune;
  import N  connect, say "ready-N", wait for "go", then import as officer N a file of both
            groups' counts on FIRST_DAYS[N] and the DAYS days after (the two files share
            OVERLAP days), held HOLD_SECONDS inside the import's transaction after its
            INSERTs (a receiver of figures_changed), and print what came back;
  count     print what the database holds.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

HOLD_SECONDS = 0.5
GROUPS = ("Nhóm tin thôn 1", "Zalo thôn 1")
DAYS = 60
OVERLAP = 20
START = datetime.date(2021, 5, 1)
FIRST_DAYS = {"1": START, "2": START + datetime.timedelta(days=DAYS - OVERLAP)}


def setup() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model

    from communes.models import Commune, District, Role, UserProfile, Village
    from groups.models import MessagingGroup

    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    village = Village.objects.create(commune=commune, name="Thôn 1", households=100)
    for n, name in enumerate(GROUPS):
        MessagingGroup.objects.create(
            village=village, platform="zalo", name=name, invite_url=f"https://zalo.me/g/{n}"
        )
    for n in FIRST_DAYS:
        user = get_user_model().objects.create(username=f"xa-{n}")
        UserProfile.objects.create(
            user=user, role=Role.COMMUNE_OFFICER, district=district, commune=commune
        )
    return {"ok": True}


def rows_of(n: str) -> list[list]:
    """The file of officer N, below its header: each day, one count per group."""
    return [
        ["Thôn 1", group, (FIRST_DAYS[n] + datetime.timedelta(days=day)).strftime("%d/%m/%Y"), day]
        for day in range(DAYS)
        for group in GROUPS
    ]


def _barrier(workdir: Path, n: str) -> None:
    from django.db import connection

    connection.ensure_connection()
    (workdir / f"ready-{n}").touch()
    give_up = time.monotonic() + 60
    while not (workdir / "go").exists():
        if time.monotonic() > give_up:
            raise SystemExit("no go")
        time.sleep(0.002)


def run_import(workdir: Path, n: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from communes.models import Commune
    from communes.signals import figures_changed
    from groups.imports import ImportRejected, member_counts_import

    officer = get_user_model().objects.get(username=f"xa-{n}")
    commune = Commune.objects.get(code="25267")
    lines = ["village,group,date,members", *(",".join(map(str, row)) for row in rows_of(n))]
    upload = SimpleUploadedFile("counts.csv", "\n".join(lines).encode())

    def hold(**kwargs):
        time.sleep(HOLD_SECONDS)

    figures_changed.connect(hold, weak=False)
    _barrier(workdir, n)
    started = time.time()
    try:
        result = member_counts_import(commune=commune, upload=upload, actor=officer)
        out = {"created": result.created, "errors": []}
    except ImportRejected as exc:
        out = {"created": 0, "errors": [[e.row, e.column, e.message] for e in exc.errors]}
    return {**out, "started": started, "ended": time.time()}


def count() -> dict:
    from groups.models import MemberCount

    return {
        "counts": sorted(
            [group, date.isoformat(), members]
            for group, date, members in MemberCount.objects.values_list(
                "group__name", "date", "members"
            )
        ),
        "recorded_by": sorted(
            set(MemberCount.objects.values_list("recorded_by__username", flat=True))
        ),
        "history": sorted(
            MemberCount.history.values_list("history_user__username", "history_type")
            .order_by()
            .distinct()
        ),
        "history_rows": MemberCount.history.count(),
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
        from django.utils import translation

        translation.activate("vi")
        if role == "setup":
            out = setup()
        elif role == "import":
            out = run_import(workdir, sys.argv[3])
        else:
            out = count()
        print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
