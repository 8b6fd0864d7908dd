"""A process of the two-process test of the kept figures: `python -m tests.dashboard.kept_race
ROLE WORKDIR`, run with its own DATABASE_URL.

  setup  migrate, then a commune with a village of 100 households and an active group counted
         40 the day before, and its figures of today kept (the nightly job's work);
  write  record a count of 70 for the group dated today, as a person does;
  read   the dashboard's rows as of today (dashboard.selectors.commune_rows), and whether the
         commune's row of today was read from the kept sums.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from tests.processes import serve


def setup(workdir: Path) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from bmp_comms.dates import local_today
    from communes.models import Commune, District, Village
    from dashboard.models import DailyCommuneSnapshot
    from dashboard.snapshots import snapshots_fill
    from groups.models import MemberCount, MessagingGroup

    today = local_today()
    district = District.objects.create(code="691", name="Bù Gia Mập")
    commune = Commune.objects.create(district=district, code="25267", name="Xã", slug="xa")
    village = Village.objects.create(commune=commune, name="Thôn 1", households=100)
    group = MessagingGroup.objects.create(
        village=village,
        name="Nhóm 1",
        invite_url="https://zalo.me/g/x",
        established_on=today - datetime.timedelta(days=30),
    )
    MemberCount.objects.create(group=group, date=today - datetime.timedelta(days=1), members=40)
    # The writes above kept today's row already; the fill finds nothing to add.
    snapshots_fill(dates=[today])
    return {"kept_today": DailyCommuneSnapshot.objects.filter(date=today).count()}


def write(workdir: Path) -> dict:
    from bmp_comms.dates import local_today
    from communes.services import dated_count_record
    from groups.models import MemberCount, MessagingGroup

    group = MessagingGroup.objects.get()
    dated_count_record(model=MemberCount, owner=group, date=local_today(), value=70)
    return {"ok": True}


def read(workdir: Path) -> dict:
    from bmp_comms.dates import local_today
    from communes.models import Commune
    from dashboard.selectors import commune_rows
    from dashboard.snapshots import kept_commune_sums

    today = local_today()
    (row,) = commune_rows(communes=Commune.objects.all(), as_of=today)
    (kept,) = kept_commune_sums(Commune.objects.all(), today)
    return {"covered": row.covered, "kept": bool(kept["kept"])}


if __name__ == "__main__":
    serve({"setup": setup, "write": write, "read": read})
