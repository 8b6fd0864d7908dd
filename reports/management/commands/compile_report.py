"""`manage.py compile_report [--as-of YYYY-MM-DD] [--format pdf|xlsx]`: the compliance report of
the district, compiled at once in this process (the job beat runs on Mondays)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bmp_comms.dates import local_today
from bmp_comms.scoping import unscoped
from communes.models import Commune, District
from reports.models import ReportFormat, ReportStatus
from reports.services import report_compile_now


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of: expected YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Compile the district's compliance report now, figures as of a day (default: today, "
        "Asia/Ho_Chi_Minh), and keep it in the archive. With several districts, name one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=str, help="YYYY-MM-DD; today when absent")
        parser.add_argument(
            "--format", choices=ReportFormat.values, default=ReportFormat.PDF, help="pdf or xlsx"
        )
        parser.add_argument("--district", type=str, help="the district's code (e.g. 691)")
        parser.add_argument("--commune", type=str, help="a commune's code: a one-commune report")

    # An operator compiles a report of any district or commune (bmp_comms.scoping).
    @unscoped()
    def handle(
        self, *args, as_of=None, format=ReportFormat.PDF, district=None, commune=None, **options
    ):
        day = _date(as_of) if as_of else local_today()
        chosen = self._district(district)
        one = None
        if commune:
            one = Commune.objects.filter(district=chosen, code=commune).first()
            if one is None:
                raise CommandError(f"--commune: no commune {commune} in {chosen.name}")
        try:
            report = report_compile_now(district=chosen, as_of=day, fmt=format, commune=one)
        except ValidationError as exc:
            problems = "; ".join(" ".join(messages) for messages in exc.message_dict.values())
            raise CommandError(problems) from exc
        if report.status != ReportStatus.DONE:
            raise CommandError(f"The report #{report.pk} failed: {report.error}")
        try:
            where = report.file.path
        except NotImplementedError:  # a storage without local paths
            where = report.file.name
        self.stdout.write(
            f"Report {report.number} ({report.format}, figures as of {day:%d/%m/%Y}, dated "
            f"{report.issued_on:%d/%m/%Y}): {where}"
        )

    def _district(self, code: str | None) -> District:
        if code:
            found = District.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"--district: no district {code}")
            return found
        districts = list(District.objects.order_by("code")[:2])
        if not districts:
            raise CommandError("No district yet: run `manage.py seed_demo` or add one.")
        if len(districts) > 1:
            codes = ", ".join(District.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"Several districts ({codes}): name one with --district.")
        return districts[0]
