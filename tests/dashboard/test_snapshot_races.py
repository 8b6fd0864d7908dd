"""Two fills of the same days at the same moment store each day once; a count written while a
fill is computing the day it changes never leaves that day stale. On PostgreSQL and on SQLite
(WAL, IMMEDIATE transactions), each in a database of its own."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.dashboard.race import DATES
from tests.reports.test_reminder_concurrency import postgres_database  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
COMMUNES = 3


def _process(role: str, workdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tests.dashboard.race", role, str(workdir), *extra]


def _env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.test",
    }


def _run(role: str, workdir: Path, database_url: str) -> dict:
    done = subprocess.run(
        _process(role, workdir),
        cwd=ROOT,
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def race(database_url: str, workdir: Path, roles: list[list[str]]) -> tuple[list[dict], dict]:
    """setup, then the processes of `roles` let go at the same moment; what each did and what
    the database holds."""
    _run("setup", workdir, database_url)
    runners = [
        subprocess.Popen(
            _process(*role[:1], workdir, *role[1:]),
            cwd=ROOT,
            env=_env(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in roles
    ]
    try:
        ready = [workdir / f"ready-{role[1]}" for role in roles if len(role) > 1]
        give_up = time.monotonic() + 120
        while not all(path.exists() for path in ready):
            assert all(p.poll() is None for p in runners), [p.communicate() for p in runners]
            assert time.monotonic() < give_up, "the processes never got ready"
            time.sleep(0.01)
        (workdir / "go").touch()
        outputs = [p.communicate(timeout=120) for p in runners]
    finally:
        for p in runners:
            if p.poll() is None:
                p.kill()
    for p, (_out, err) in zip(runners, outputs, strict=True):
        assert p.returncode == 0, err
    results = [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
    return results, _run("count", workdir, database_url)


def assert_two_fills_store_each_day_once(database_url: str, workdir: Path) -> None:
    results, stored = race(database_url, workdir, [["fill", "1"], ["fill", "2"]])
    assert max(r["started"] for r in results) < min(r["ended"] for r in results)
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


@pytest.mark.usefixtures("postgres_database")
def test_two_fills_on_postgresql_store_each_day_once(postgres_database, tmp_path):  # noqa: F811
    assert_two_fills_store_each_day_once(postgres_database, tmp_path)


def test_a_write_during_a_fill_on_postgresql_leaves_no_stale_day(
    postgres_database,  # noqa: F811
    tmp_path,
):
    assert_a_write_during_a_fill_leaves_no_stale_day(postgres_database, tmp_path)
