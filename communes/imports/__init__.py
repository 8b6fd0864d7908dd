"""Spreadsheet imports of a commune's villages and member counts: all or nothing, each problem
named by its row and column. See `villages` and `member_counts` for what each file holds."""

from communes.imports.errors import ImportRejected, RowError
from communes.imports.member_counts import MemberCountsImported, member_counts_import
from communes.imports.reading import MAX_BYTES, MAX_ROWS
from communes.imports.template_files import KINDS, template_file
from communes.imports.villages import VillagesImported, villages_import

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportRejected",
    "MemberCountsImported",
    "RowError",
    "VillagesImported",
    "member_counts_import",
    "template_file",
    "villages_import",
]
