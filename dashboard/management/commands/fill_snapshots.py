"""`manage.py fill_snapshots [--from YYYY-MM-DD] [--to YYYY-MM-DD]`: the communes' daily
snapshots of the dashboard's series (dashboard.snapshots), filled at once in this process
for every day of the range that some commune lacks; by default the days the nightly job keeps."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from bmp_comms.dates import local_today
from bmp_comms.scoping import unscoped
from dashboard.snapshots import NIGHTLY_DAYS, snapshots_fill


def _date(option: str, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option}: expected YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Fill the communes' daily snapshots of the dashboard's series for a range of days "
        "(default: the last days the nightly job keeps, up to yesterday)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=str, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=str, help="last day, YYYY-MM-DD")

    # Every commune's snapshots (bmp_comms.scoping).
    @unscoped()
    def handle(self, *args, start=None, end=None, **options):
        yesterday = local_today() - datetime.timedelta(days=1)
        last = _date("--to", end) if end else yesterday
        first = (
            _date("--from", start) if start else yesterday - datetime.timedelta(NIGHTLY_DAYS - 1)
        )
        if first > last:
            raise CommandError("--from is after --to")
        days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
        written = snapshots_fill(dates=days)
        self.stdout.write(
            f"{written} snapshots written for {len(days)} days, {first:%d/%m/%Y} to {last:%d/%m/%Y}"
        )
