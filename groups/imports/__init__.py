"""Spreadsheet imports of a commune's villages and member counts: all or nothing, each problem
named by its row and column. See `villages` and `member_counts` for what each file holds."""

from groups.imports.errors import ImportRejected, RowError
from groups.imports.member_counts import MemberCountsImported, member_counts_import
from groups.imports.reading import MAX_BYTES, MAX_ROWS
from groups.imports.template_files import KINDS, template_file
from groups.imports.villages import VillagesImported, villages_import

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
