"""`python manage.py merge_communes <survivor code> <absorbed code>... --effective-on YYYY-MM-DD`:
the merger service (docs/rules.md#mergers), for a top unit's administrator at a terminal."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bmp_comms.scoping import unscoped
from communes.mergers import commune_merge
from communes.models import Commune


class Command(BaseCommand):
    help = "Merge communes into a surviving commune, from an effective date."

    def add_arguments(self, parser):
        parser.add_argument("survivor", help="official code of the surviving commune")
        parser.add_argument("absorbed", nargs="+", help="official codes of the absorbed ones")
        parser.add_argument(
            "--effective-on",
            type=datetime.date.fromisoformat,
            required=True,
            help="the day the merger takes effect (YYYY-MM-DD), today or before",
        )

    @unscoped()
    def handle(self, *args, survivor, absorbed, effective_on, **options):
        codes = [survivor, *absorbed]
        communes = {c.code: c for c in Commune.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in communes]
        if unknown:
            raise CommandError(
                _("No commune has the code %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        try:
            merger = commune_merge(
                survivor=communes[survivor],
                absorbed_ids=[communes[code].pk for code in absorbed],
                effective_on=effective_on,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _(
                "%(name)s absorbed %(count)d communes: %(villages)d villages, %(groups)d "
                "groups, %(users)d users moved; %(released)d field assignments released."
            )
            % {
                "name": merger.commune.name,
                "count": len(merger.absorbed),
                "villages": merger.villages_moved,
                "groups": merger.groups_moved,
                "users": merger.users_moved,
                "released": len(merger.fields_released),
            }
        )
