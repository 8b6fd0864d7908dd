"""`manage.py load_units --province <code> [--kind province|city]`: a province's top unit and its
communes, wards and special zones of 1 July 2025, from the official list (communes.services)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from communes.models import TopUnitKind
from communes.services import units_load
from communes.wording import top_unit_title


class Command(BaseCommand):
    help = (
        "Create or update a province (or centrally-run city) as the top unit, with every "
        "commune, ward and special zone of it in the official list of 1 July 2025. Safe to run "
        "again; a commune of the same official code is moved under it, not duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="the province's code, e.g. 75")
        parser.add_argument(
            "--kind",
            choices=[TopUnitKind.PROVINCE, TopUnitKind.CITY],
            default="",
            help="province or city; the official list's when absent",
        )

    def handle(self, *args, province: str, kind: str = "", **options):
        try:
            loaded = units_load(province=province, kind=kind)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        units = loaded.district.communes.count()
        self.stdout.write(
            _(
                "%(unit)s (code %(code)s): %(units)s communes, wards and special zones; "
                "%(created)s new, %(updated)s updated, %(moved)s moved under it."
            )
            % {
                "unit": top_unit_title(loaded.district),
                "code": loaded.district.code,
                "units": units,
                "created": loaded.created,
                "updated": loaded.updated,
                "moved": loaded.moved,
            }
        )
