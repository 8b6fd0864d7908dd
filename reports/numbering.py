"""Report numbers (docs/rules.md#report-numbering): `Số: 07/BC-VHTT` is the 7th report (báo cáo) the
issuing body VHTT gave this year, from its district's yearly sequence, held by the database."""

from __future__ import annotations

from django.db import connection

from reports.models import ReportKind, ReportSequence

# The kind's letters in the number: BC for báo cáo.
KIND_CODES = {ReportKind.COMPLIANCE: "BC"}


def report_number(sequence: int, *, kind: str, short_code: str) -> str:
    """7 → "07/BC-VHTT": two digits at least, then the kind and the issuing body's code."""
    return f"{sequence:02d}/{KIND_CODES[kind]}-{short_code}"


def next_report_number(*, district_id: int, year: int) -> int:
    """The next number of the district's yearly sequence, given by the database in one
    statement (an upsert that adds one and returns the result): two compiles at once, in two
    processes, get two numbers, the second waiting for the first's transaction to end."""
    quote = connection.ops.quote_name
    table = quote(ReportSequence._meta.db_table)
    last = quote("last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (district_id, year, {last}) VALUES (%s, %s, 1) "
            f"ON CONFLICT (district_id, year) DO UPDATE SET {last} = {table}.{last} + 1 "
            f"RETURNING {last}",
            [district_id, year],
        )
        return cursor.fetchone()[0]
