"""Import a commune's villages from a spreadsheet.

A row whose name matches an existing village of the commune (ignoring case and extra spaces)
updates that village's kind and sizes; any other row creates a village. Updating rather than
refusing lets a commune re-import its yearly figures from the same sheet; the village's history
keeps the values it replaced, and a row that changes nothing writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from communes.models import Commune, Village, VillageKind
from communes.places import slugify_vietnamese, village_create, village_update
from groups.imports import cells
from groups.imports.errors import ImportRejected, RowError, errors_from_validation
from groups.imports.reading import RowChecker, is_blank, read_table

COLUMNS = ("name", "kind", "households", "residents", "smartphone_users")
SIZES = ("households", "residents", "smartphone_users")
# What to write in each column: shown on the import page and in the template's second sheet.
COLUMN_HELP = (
    ("name", _lazy("The village's name, e.g. Thôn 3. A name the commune already has updates it.")),
    (
        "kind",
        _lazy(
            "thôn, ấp, bon or tổ dân phố. Left empty: thôn for a new village, unchanged for an "
            "existing one."
        ),
    ),
    ("households", _lazy("Number of households: a whole number, 0 or more.")),
    ("residents", _lazy("Number of residents: a whole number, 0 or more.")),
    (
        "smartphone_users",
        _lazy("Number of smartphone users, the base of the Bluzone rate: 0 or more."),
    ),
)
EXAMPLE = ("Thôn 1", "thôn", 250, 1000, 600)
NAME_MAX_LENGTH = Village._meta.get_field("name").max_length


@dataclass(frozen=True)
class VillagesImported:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class _VillageRow:
    number: int
    name: str
    kind: str | None
    sizes: dict[str, int]


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def parse_kind(value: object) -> str | None:
    """The code (thon, to_dan_pho) or the word as people write it (thôn, Tổ dân phố); empty
    means a new village is a thôn and an existing one keeps its kind."""
    if is_blank(value):
        return None
    code = slugify_vietnamese(str(value)).replace("-", "_")
    if code not in VillageKind.values:
        raise cells.CellError(
            _("must be one of: %s.") % ", ".join(str(label) for label in VillageKind.labels)
        )
    return code


def villages_import(*, commune: Commune, upload, actor=None) -> VillagesImported:
    """All or nothing: every row is checked before anything is written, and the writes go
    through `village_create` and `village_update` in one transaction, so a row refused there
    undoes the others."""
    table = read_table(upload, columns=COLUMNS)
    existing = {name_key(v.name): v for v in commune.villages.all()}
    errors: list[RowError] = []
    rows: list[_VillageRow] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        check = RowChecker(row, table.headers)
        name = check("name", lambda v: cells.text(v, max_length=NAME_MAX_LENGTH))
        kind = check("kind", parse_kind)
        sizes = {column: check(column, cells.count) for column in SIZES}
        if name is not None:
            key = name_key(name)
            if key in seen:
                check.error(
                    "name",
                    _("the village “%(name)s” is already on row %(row)d.")
                    % {"name": name, "row": seen[key]},
                )
            seen.setdefault(key, row.number)
        if check.errors:
            errors.extend(check.errors)
        else:
            rows.append(_VillageRow(row.number, name, kind, sizes))
    if errors:
        raise ImportRejected(errors)
    return _write(commune=commune, rows=rows, existing=existing, headers=table.headers)


def _write(*, commune, rows, existing, headers) -> VillagesImported:
    created = updated = unchanged = 0
    errors: list[RowError] = []
    with transaction.atomic():
        for row in rows:
            village = existing.get(name_key(row.name))
            data = dict(row.sizes)
            if village is None:
                data.update(name=row.name, kind=row.kind or VillageKind.THON)
            elif row.kind is not None:
                data["kind"] = row.kind
            if village is not None and all(getattr(village, k) == v for k, v in data.items()):
                unchanged += 1
                continue
            try:
                if village is None:
                    village_create(commune=commune, **data)
                else:
                    village_update(village=village, **data)
            except ValidationError as exc:
                errors.extend(errors_from_validation(exc, row.number, headers))
                continue
            if village is None:
                created += 1
            else:
                updated += 1
        if errors:
            # Leaving the block by an exception rolls back every row written so far.
            raise ImportRejected(errors)
    return VillagesImported(created=created, updated=updated, unchanged=unchanged)
