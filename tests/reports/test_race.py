"""Two processes compile two reports at the same moment and get two numbers (01 and 02), the
second waiting for the first's numbering transaction; a worker killed mid-compile leaves a
report that is compiled again once its claim is stale. On PostgreSQL, and on SQLite (WAL,
IMMEDIATE transactions), each in a database of its own: the suite's test database is not
shared between processes."""

import signal
from pathlib import Path

from tests.processes import (
    assert_overlapped,
    command,
    run_role,
    run_together,
    running,
    wait_for_files,
)
from tests.reports.race import HOLD_SECONDS

MODULE = "tests.reports.race"


def _media(workdir: Path) -> dict[str, str]:
    """The compiled files go to the race's own folder, where every process finds them."""
    return {"MEDIA_ROOT": str(workdir / "media")}


def _run(database_url: str, workdir: Path, role: str, *extra: str) -> dict:
    return run_role(MODULE, role, workdir, database_url, *extra, extra_env=_media(workdir))


def race(database_url: str, workdir: Path) -> tuple[list[dict], dict]:
    ids = _run(database_url, workdir, "setup")["reports"]
    results = run_together(
        [
            command(MODULE, "run", workdir, str(n), str(report_id))
            for n, report_id in enumerate(ids, start=1)
        ],
        [workdir / f"ready-{n}" for n in (1, 2)],
        workdir,
        database_url,
        extra_env=_media(workdir),
    )
    return results, _run(database_url, workdir, "count")


def assert_two_numbers(results: list[dict], stored: dict) -> None:
    # They ran at the same time...
    assert_overlapped(results)
    assert all(r["done"] for r in results)
    # ...each got its own number, the second only once the first's transaction had ended.
    assert sorted(r["number"] for r in results) == ["01/BC-VHTT", "02/BC-VHTT"]
    first, second = sorted(results, key=lambda r: r["at"])
    assert second["at"] - first["at"] >= HOLD_SECONDS * 0.9
    assert sorted(r["number"] for r in stored["reports"]) == ["01/BC-VHTT", "02/BC-VHTT"]
    assert {r["status"] for r in stored["reports"]} == {"done"}
    assert stored["sequence"] == [2]


def test_two_compiles_at_once_get_two_numbers_on_postgresql(postgres_database, tmp_path):
    assert_two_numbers(*race(postgres_database, tmp_path))


def test_two_compiles_at_once_get_two_numbers_on_sqlite(tmp_path):
    assert_two_numbers(*race(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path))


def killed_worker(database_url: str, workdir: Path) -> tuple[dict, dict, dict]:
    report_id = _run(database_url, workdir, "setup")["reports"][0]
    hang = command(MODULE, "hang", workdir, str(report_id))
    with running([hang], database_url, extra_env=_media(workdir)) as (worker,):
        wait_for_files([workdir / "hung"], [worker], "the worker never got to 30 %")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    left = _run(database_url, workdir, "count")
    recovered = _run(database_url, workdir, "recover", str(report_id))
    return left, recovered, _run(database_url, workdir, "count")


def assert_compiled_again(left: dict, recovered: dict, stored: dict) -> None:
    stuck = left["reports"][0]
    assert (stuck["status"], stuck["attempts"]) == ("running", 1)
    assert stuck["progress"] >= 30
    assert recovered == {"done": True}
    again = stored["reports"][0]
    assert (again["status"], again["progress"], again["attempts"]) == ("done", 100, 2)
    # The number given before the worker died is kept, not a second one taken.
    assert again["number"] == "01/BC-VHTT" and stored["sequence"] == [1]


def test_a_killed_worker_leaves_a_report_compiled_again_on_postgresql(postgres_database, tmp_path):
    assert_compiled_again(*killed_worker(postgres_database, tmp_path))


def test_a_killed_worker_leaves_a_report_compiled_again_on_sqlite(tmp_path):
    assert_compiled_again(*killed_worker(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path))


def killed_worker_then_two_beats(database_url: str, workdir: Path) -> tuple[list[dict], dict]:
    report_id = _run(database_url, workdir, "setup")["reports"][0]
    hang = command(MODULE, "hang", workdir, str(report_id))
    with running([hang], database_url, extra_env=_media(workdir)) as (worker,):
        wait_for_files([workdir / "hung"], [worker], "the worker never got to 30 %")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    results = run_together(
        [command(MODULE, "beat", workdir, str(n)) for n in (1, 2)],
        [workdir / f"ready-{n}" for n in (1, 2)],
        workdir,
        database_url,
        extra_env=_media(workdir),
    )
    return results, _run(database_url, workdir, "count")


def assert_recovered_once(results: list[dict], stored: dict) -> None:
    assert_overlapped(results)
    # Two reports are left behind: the killed worker's, and the other one of setup, pending and
    # never queued. Two beat runs at once queue each of them once between them.
    assert sum(r["queued"] for r in results) == 2
    killed, never_queued = stored["reports"]
    assert (killed["status"], killed["attempts"], killed["recoveries"]) == ("done", 2, 1)
    # The number given before the worker died is kept.
    assert killed["number"] == "01/BC-VHTT"
    assert (never_queued["status"], never_queued["attempts"]) == ("done", 1)
    assert never_queued["number"] == "02/BC-VHTT" and stored["sequence"] == [2]


def test_two_beats_recover_a_killed_workers_report_once_on_postgresql(postgres_database, tmp_path):
    assert_recovered_once(*killed_worker_then_two_beats(postgres_database, tmp_path))


def test_two_beats_recover_a_killed_workers_report_once_on_sqlite(tmp_path):
    assert_recovered_once(
        *killed_worker_then_two_beats(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path)
    )
