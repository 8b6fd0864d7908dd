"""`manage.py run_reminders [--date YYYY-MM-DD]`: the job beat runs daily at 07:00, at once."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from bmp_comms.dates import local_today
from bmp_comms.scoping import unscoped
from deadlines.tasks import send_due_reminders


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date: expected YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = "Create and send the reminders due on a day (default: today, Asia/Ho_Chi_Minh)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=str, help="YYYY-MM-DD; today when absent")

    # The reminders of every commune, as the beat job sends them (bmp_comms.scoping).
    @unscoped()
    def handle(self, *args, date: str | None = None, **options):
        day = _date(date) if date else local_today()
        # Beat's own task, run here in-process: the job, then its emails handed to the queue.
        result = send_due_reminders(day.isoformat())
        self.stdout.write(
            f"{day:%d/%m/%Y}: {result['reminders']} reminders, {result['deliveries']} "
            f"deliveries, {result['emails_queued']} emails queued, "
            f"{result['emails_requeued']} queued again"
        )
