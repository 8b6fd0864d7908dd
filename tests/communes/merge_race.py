"""A process of the merger race: `python -m tests.communes.merge_race ROLE WORKDIR [N]`.

setup     migrate, then a top unit with communes A (survivor 1), C (survivor 2) and B, which
          has a village with a group;
merge N   connect, say "ready-N", wait for "go", merge B into A (N=1) or into C (N=2), held
          0.5 s inside the transaction once the communes are locked; print whether it won;
count     print where B and its village are.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from tests.processes import barrier, serve

HOLD_SECONDS = 0.5
EFFECTIVE_ON = datetime.date(2025, 7, 1)


def setup(workdir: Path) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from communes.models import Commune, District, Village
    from groups.models import MessagingGroup

    district = District.objects.create(code="75", name="Đồng Nai")
    for code, name in (("1", "Đa Kia"), ("2", "Phú Nghĩa"), ("3", "Phước Minh")):
        Commune.objects.create(district=district, code=code, name=name, slug=f"c{code}")
    village = Village.objects.create(
        commune=Commune.objects.get(code="3"), name="Thôn 1", households=200
    )
    MessagingGroup.objects.create(
        village=village, platform="zalo", name="Zalo thôn 1", invite_url="https://zalo.me/g/1"
    )
    return {}


def merge(workdir: Path, n: str) -> dict:
    from django.core.exceptions import ValidationError

    from communes import mergers
    from communes.models import Commune

    survivor = Commune.objects.get(code=n)
    absorbed = Commune.objects.get(code="3")
    refusals = mergers._refusals

    def held(*args, **kwargs):
        # Both communes' rows are locked by now: hold them, so the other process waits.
        time.sleep(HOLD_SECONDS)
        return refusals(*args, **kwargs)

    mergers._refusals = held
    barrier(workdir, n)
    started = time.time()
    try:
        mergers.commune_merge(
            survivor=survivor, absorbed_ids=[absorbed.pk], effective_on=EFFECTIVE_ON
        )
        won, error = True, ""
    except ValidationError as exc:
        won, error = False, " ".join(exc.messages)
    return {"won": won, "error": error, "started": started, "ended": time.time()}


def count(workdir: Path) -> dict:
    from communes.models import Commune, Village

    absorbed = Commune.objects.get(code="3")
    return {
        "merged_into": absorbed.merged_into.code if absorbed.merged_into else None,
        "village_in": Village.objects.get(name="Thôn 1").commune.code,
    }


if __name__ == "__main__":
    serve({"setup": setup, "merge": merge, "count": count})
