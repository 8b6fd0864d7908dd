"""Two officers import overlapping member counts at the same moment, on PostgreSQL: both files
pass the checks (neither sees the other's uncommitted counts), one is written, and the other
meets the one-per-day constraint and is refused row by row, with nothing of it saved.

Each process has a database of its own (see tests/reports/test_reminder_concurrency.py)."""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.imports.race import DAYS, GROUPS, OVERLAP, rows_of
from tests.reports.test_reminder_concurrency import postgres_database  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
# The service's message, as the constraint's refusal is answered (the file's own check saw
# nothing to refuse).
DUPLICATE = "Nhóm này đã có số liệu của ngày này; hãy sửa số liệu đó thay vì nhập mới."


def _command(role: str, workdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tests.imports.race", role, str(workdir), *extra]


def _env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.test",
    }


def _run(role: str, workdir: Path, env: dict) -> dict:
    done = subprocess.run(
        _command(role, workdir), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def race(workdir: Path, env: dict) -> dict[str, dict]:
    runners = {
        n: subprocess.Popen(
            _command("import", workdir, n),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in ("1", "2")
    }
    try:
        give_up = time.monotonic() + 120
        while not all((workdir / f"ready-{n}").exists() for n in runners):
            assert all(p.poll() is None for p in runners.values()), [
                p.communicate() for p in runners.values()
            ]
            assert time.monotonic() < give_up, "the runners never got ready"
            time.sleep(0.01)
        (workdir / "go").touch()
        outputs = {n: p.communicate(timeout=120) for n, p in runners.items()}
    finally:
        for p in runners.values():
            if p.poll() is None:
                p.kill()
    for n, p in runners.items():
        assert p.returncode == 0, outputs[n][1]
    results = {n: json.loads(out.strip().splitlines()[-1]) for n, (out, _err) in outputs.items()}
    # They ran at the same time.
    assert max(r["started"] for r in results.values()) < min(r["ended"] for r in results.values())
    return results


def test_two_overlapping_imports_at_once_one_is_written_the_other_refused_whole(
    postgres_database,  # noqa: F811
    tmp_path,
):
    env = _env(postgres_database)
    _run("setup", tmp_path, env)

    results = race(tmp_path, env)

    rows = DAYS * len(GROUPS)  # 120 rows a file, the header on row 1
    assert sorted(r["created"] for r in results.values()) == [0, rows]
    winner = next(n for n, r in results.items() if r["created"])
    loser = "2" if winner == "1" else "1"
    # The shared days are the last 20 of officer 1's file (rows 82-121) and the first 20 of
    # officer 2's (rows 2-41): two rows a day, one per group.
    shared_rows = range(82, 122) if loser == "1" else range(2, 42)
    assert len(shared_rows) == OVERLAP * len(GROUPS)
    assert results[loser]["errors"] == [[row, "date", DUPLICATE] for row in shared_rows]
    stored = _run("count", tmp_path, env)
    # Exactly the winner's file, each count with its history, by the winner; none of the
    # loser's 80 other rows.
    assert stored["counts"] == sorted(
        [group, datetime.datetime.strptime(day, "%d/%m/%Y").date().isoformat(), members]
        for _village, group, day, members in rows_of(winner)
    )
    assert stored["recorded_by"] == [f"xa-{winner}"]
    assert stored["history"] == [[f"xa-{winner}", "+"]]
    assert stored["history_rows"] == rows
