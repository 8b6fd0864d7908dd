"""Two processes compile two reports at the same moment and get two numbers (01 and 02), the
second waiting for the first's numbering transaction; a worker killed mid-compile leaves a
report that is compiled again once its claim is stale. On PostgreSQL, and on SQLite (WAL,
IMMEDIATE transactions), each in a database of its own: the suite's test database is not
shared between processes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.compliance.conftest import ROOT
from tests.compliance.race import HOLD_SECONDS
from tests.reports.test_reminder_concurrency import postgres_database  # noqa: F401 (fixture)


def _process(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.compliance.race", *args]


def _env(database_url: str, workdir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.test",
        "MEDIA_ROOT": str(workdir / "media"),
    }


def _run(database_url: str, workdir: Path, *args: str) -> dict:
    done = subprocess.run(
        _process(*args),
        cwd=ROOT,
        env=_env(database_url, workdir),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def race(database_url: str, workdir: Path) -> tuple[list[dict], dict]:
    ids = _run(database_url, workdir, "setup", str(workdir))["reports"]
    runners = [
        subprocess.Popen(
            _process("run", str(workdir), str(n), str(report_id)),
            cwd=ROOT,
            env=_env(database_url, workdir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, report_id in enumerate(ids, start=1)
    ]
    try:
        give_up = time.monotonic() + 120
        while not all((workdir / f"ready-{n}").exists() for n in (1, 2)):
            assert all(p.poll() is None for p in runners), [p.communicate() for p in runners]
            assert time.monotonic() < give_up, "the runners never got ready"
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
    return results, _run(database_url, workdir, "count", str(workdir))


def assert_two_numbers(results: list[dict], stored: dict) -> None:
    # They ran at the same time...
    assert max(r["started"] for r in results) < min(r["ended"] for r in results)
    assert all(r["done"] for r in results)
    # ...each got its own number, the second only once the first's transaction had ended.
    assert sorted(r["number"] for r in results) == ["01/BC-VHTT", "02/BC-VHTT"]
    first, second = sorted(results, key=lambda r: r["at"])
    assert second["at"] - first["at"] >= HOLD_SECONDS * 0.9
    assert sorted(r["number"] for r in stored["reports"]) == ["01/BC-VHTT", "02/BC-VHTT"]
    assert {r["status"] for r in stored["reports"]} == {"done"}
    assert stored["sequence"] == [2]


def test_two_compiles_at_once_get_two_numbers_on_postgresql(postgres_database, tmp_path):  # noqa: F811
    assert_two_numbers(*race(postgres_database, tmp_path))


def test_two_compiles_at_once_get_two_numbers_on_sqlite(tmp_path):
    assert_two_numbers(*race(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path))


def killed_worker(database_url: str, workdir: Path) -> tuple[dict, dict, dict]:
    report_id = _run(database_url, workdir, "setup", str(workdir))["reports"][0]
    worker = subprocess.Popen(
        _process("hang", str(workdir), str(report_id)),
        cwd=ROOT,
        env=_env(database_url, workdir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        give_up = time.monotonic() + 120
        while not (workdir / "hung").exists():
            assert worker.poll() is None, worker.communicate()
            assert time.monotonic() < give_up, "the worker never got to 30 %"
            time.sleep(0.01)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    left = _run(database_url, workdir, "count", str(workdir))
    recovered = _run(database_url, workdir, "recover", str(workdir), str(report_id))
    return left, recovered, _run(database_url, workdir, "count", str(workdir))


def assert_compiled_again(left: dict, recovered: dict, stored: dict) -> None:
    stuck = left["reports"][0]
    assert (stuck["status"], stuck["attempts"]) == ("running", 1)
    assert stuck["progress"] >= 30
    assert recovered == {"done": True}
    again = stored["reports"][0]
    assert (again["status"], again["progress"], again["attempts"]) == ("done", 100, 2)
    # The number given before the worker died is kept, not a second one taken.
    assert again["number"] == "01/BC-VHTT" and stored["sequence"] == [1]


def test_a_killed_worker_leaves_a_report_compiled_again_on_postgresql(postgres_database, tmp_path):  # noqa: F811
    assert_compiled_again(*killed_worker(postgres_database, tmp_path))


def test_a_killed_worker_leaves_a_report_compiled_again_on_sqlite(tmp_path):
    assert_compiled_again(*killed_worker(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path))
