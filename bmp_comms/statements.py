"""Hand-written SQL with named parameters, and querysets compiled into it.

The dashboard's figures and the deadlines' reads are hand-written statements (composed from
ORM subqueries they took longer to build than to run), but what carries a rule of another app,
the user's scope above all, is still a queryset that the ORM compiles and the statement
inlines. Parameters are named (`%(name)s`) so that a fragment can stand in a statement more
than once; a compiled queryset's positional ones are named `<prefix>0`, `<prefix>1`, …
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

POSITIONAL_PARAMETER = re.compile(r"%%|%s")
NAMED_PARAMETER = re.compile(r"%\((\w+)\)s")


@dataclass
class Statement:
    """SQL with named parameters (`%(name)s`), so a fragment can appear several times."""

    sql: str
    params: dict

    def execute(self, using: str) -> list[dict]:
        """Run it with the driver's positional parameters, each row as a dict."""
        sql = NAMED_PARAMETER.sub("%s", self.sql)
        params = [self.params[name] for name in NAMED_PARAMETER.findall(self.sql)]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def execute_write(self, using: str) -> int:
        """Run a statement that writes; the number of rows it wrote."""
        sql = NAMED_PARAMETER.sub("%s", self.sql)
        params = [self.params[name] for name in NAMED_PARAMETER.findall(self.sql)]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount


def named(sql: str, params: list | tuple, prefix: str) -> Statement:
    """SQL with positional parameters (`%s`, and `%%` for a percent sign) as a Statement, its
    parameters named `<prefix>0`, …"""
    names = iter(range(len(params)))

    def name(match: re.Match) -> str:
        return match.group(0) if match.group(0) == "%%" else f"%({prefix}{next(names)})s"

    return Statement(
        POSITIONAL_PARAMETER.sub(name, sql), {f"{prefix}{i}": p for i, p in enumerate(params)}
    )


def compiled(queryset: QuerySet, prefix: str) -> Statement:
    """A queryset as Django compiles it, its positional parameters named `<prefix>0`, …
    (EmptyResultSet for a queryset that can match nothing, as Django raises it)."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return named(sql, params, prefix)
