"""Ids above a thousand, where a page that grouped them (1.234) would break its links, and a
look for grouped numbers where only identifiers belong: attributes, "#1234" labels."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.apps import apps
from django.db import connection, models

# Every table of the project's apps gives its next row this id (or more).
FIRST_ID = 1234
APPS = ("communes", "notifications", "groups", "deadlines", "bulletins", "dashboard", "reports")
# 1.234 or 1,234 (a number grouped by thousands in Vietnamese or in English).
GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?!\d)")
# An SVG icon's geometry is decimals and spaces, not identifiers.
GEOMETRY = frozenset({"d", "viewbox", "points", "transform"})


def _tables() -> list[tuple[str, str]]:
    tables = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if isinstance(model._meta.pk, models.AutoField):
                tables.append((model._meta.db_table, model._meta.pk.column))
    return tables


def start_ids_at(first: int = FIRST_ID):
    """Make the next id of every table `first`; returns the function that undoes it.

    SQLite keeps the counters in sqlite_sequence, a table the test's transaction rolls back.
    PostgreSQL's setval is outside every transaction, so the old values are put back."""
    restore = []
    with connection.cursor() as cursor:
        for table, column in _tables():
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                (sequence,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                restore.append((sequence, *cursor.fetchone()))
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, first - 1])
            else:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first - 1, table]
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                        [table, first - 1],
                    )

    def undo() -> None:
        with connection.cursor() as cursor:
            for sequence, last_value, is_called in restore:
                cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last_value, is_called])

    return undo


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name not in GEOMETRY:
                self.values.append((tag, name, value))


def grouped_identifiers(html: str) -> list[str]:
    """Grouped numbers in the page's attributes (hrefs, ids, data-*, values) and in "#1.234"
    labels; [] when every identifier is written as it is."""
    parser = _Attributes()
    parser.feed(html)
    found = [
        f"<{tag} {name}={value!r}>" for tag, name, value in parser.values if GROUPED.search(value)
    ]
    found += re.findall(r"#\d{1,3}(?:[.,]\d{3})+", html)
    return found
