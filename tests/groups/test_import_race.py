"""Two officers import overlapping member counts at the same moment, on PostgreSQL: both files
pass the checks (neither sees the other's uncommitted counts), one is written, and the other
meets the one-per-day constraint and is refused row by row, with nothing of it saved.

Each process has a database of its own (see tests/processes.py)."""

import datetime
from pathlib import Path

from tests.groups.import_race_harness import DAYS, GROUPS, OVERLAP, rows_of
from tests.processes import assert_overlapped, command, run_role, run_together

MODULE = "tests.groups.import_race_harness"
RUNNERS = ("1", "2")
# The service's message, as the constraint's refusal is answered (the file's own check saw
# nothing to refuse).
DUPLICATE = "Nhóm này đã có số liệu của ngày này; hãy sửa số liệu đó thay vì nhập mới."


def race(workdir: Path, database_url: str) -> dict[str, dict]:
    """Both officers' imports let go at the same moment; what each did, by officer."""
    results = run_together(
        [command(MODULE, "import", workdir, n) for n in RUNNERS],
        [workdir / f"ready-{n}" for n in RUNNERS],
        workdir,
        database_url,
    )
    # They ran at the same time.
    assert_overlapped(results)
    return dict(zip(RUNNERS, results, strict=True))


def test_two_overlapping_imports_at_once_one_is_written_the_other_refused_whole(
    postgres_database, tmp_path
):
    run_role(MODULE, "setup", tmp_path, postgres_database)

    results = race(tmp_path, postgres_database)

    rows = DAYS * len(GROUPS)  # 120 rows a file, the header on row 1
    assert sorted(r["created"] for r in results.values()) == [0, rows]
    winner = next(n for n, r in results.items() if r["created"])
    loser = "2" if winner == "1" else "1"
    # The shared days are the last 20 of officer 1's file (rows 82-121) and the first 20 of
    # officer 2's (rows 2-41): two rows a day, one per group.
    shared_rows = range(82, 122) if loser == "1" else range(2, 42)
    assert len(shared_rows) == OVERLAP * len(GROUPS)
    assert results[loser]["errors"] == [[row, "date", DUPLICATE] for row in shared_rows]
    stored = run_role(MODULE, "count", tmp_path, postgres_database)
    # Exactly the winner's file, each count with its history, by the winner; none of the
    # loser's 80 other rows.
    assert stored["counts"] == sorted(
        [group, datetime.datetime.strptime(day, "%d/%m/%Y").date().isoformat(), members]
        for _village, group, day, members in rows_of(winner)
    )
    assert stored["recorded_by"] == [f"xa-{winner}"]
    assert stored["history"] == [[f"xa-{winner}", "+"]]
    assert stored["history_rows"] == rows
