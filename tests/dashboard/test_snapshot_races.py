"""Two fills of the same days at the same moment store each day once; a count written while a
fill is computing the day it changes never leaves that day stale. On PostgreSQL and on SQLite
(WAL, IMMEDIATE transactions), each in a database of its own."""

from pathlib import Path

from tests.dashboard.race import DATES
from tests.processes import assert_overlapped, command, run_role, run_together

MODULE = "tests.dashboard.race"
COMMUNES = 3


def race(database_url: str, workdir: Path, roles: list[list[str]]) -> tuple[list[dict], dict]:
    """setup, then the processes of `roles` let go at the same moment; what each did and what
    the database holds."""
    run_role(MODULE, "setup", workdir, database_url)
    commands = [command(MODULE, role[0], workdir, *role[1:]) for role in roles]
    ready = [workdir / f"ready-{role[1]}" for role in roles if len(role) > 1]
    results = run_together(commands, ready, workdir, database_url)
    return results, run_role(MODULE, "count", workdir, database_url)


def assert_two_fills_store_each_day_once(database_url: str, workdir: Path) -> None:
    results, stored = race(database_url, workdir, [["fill", "1"], ["fill", "2"]])
    assert_overlapped(results)
    assert stored["rows"] == stored["distinct"] == COMMUNES * len(DATES)
    assert stored["wrong"] == []


def assert_a_write_during_a_fill_leaves_no_stale_day(database_url: str, workdir: Path) -> None:
    (fill, write), stored = race(database_url, workdir, [["slow", "1"], ["write"]])
    # The write came while the fill held its computed day uncommitted, and waited for it.
    assert write["started"] < fill["ended"] <= write["ended"] + 0.5
    # Every stored day equals the figures with the new count (the first commune's day was
    # deleted after the fill committed, then filled again by the write's refill).
    assert stored["wrong"] == []
    assert stored["rows"] == COMMUNES


def test_two_fills_on_sqlite_store_each_day_once(tmp_path):
    assert_two_fills_store_each_day_once(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path)


def test_a_write_during_a_fill_on_sqlite_leaves_no_stale_day(tmp_path):
    assert_a_write_during_a_fill_leaves_no_stale_day(
        f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path
    )


def test_two_fills_on_postgresql_store_each_day_once(postgres_database, tmp_path):
    assert_two_fills_store_each_day_once(postgres_database, tmp_path)


def test_a_write_during_a_fill_on_postgresql_leaves_no_stale_day(postgres_database, tmp_path):
    assert_a_write_during_a_fill_leaves_no_stale_day(postgres_database, tmp_path)
