"""Two processes run the reminder job for the same day at the same moment: each reminder is
created once and delivered once, and each staff member gets one digest; two processes send the
same outbox at the same moment: each email leaves once. On PostgreSQL and on SQLite (WAL,
IMMEDIATE transactions).

Each backend gets a database of its own, migrated first, because the suite's test database is
not shared between processes (SQLite's is in memory; PostgreSQL's lives inside a transaction).
"""

from pathlib import Path

from tests.processes import assert_overlapped, command, run_role, run_together

# 3 communes × (before_3 of one deadline + overdue of the other) + 3 escalations.
EXPECTED_REMINDERS = sorted(
    [(code, "before_3", "2021-08-06") for code in ("25231", "25234", "25267")]
    + [(code, kind, "2021-08-06") for code in ("25231", "25234", "25267")
       for kind in ("escalation", "overdue")]
)  # fmt: skip
# Each reminder to one person (the commune's officer, or the district staff user) in the app;
# the communes' six also by email, the three escalations in the staff user's one digest.
EXPECTED_DELIVERIES = 9 + 6
EXPECTED_DIGESTS = 1
EXPECTED_EMAILS = 6 + EXPECTED_DIGESTS


MODULE = "tests.deadlines.race"


def _process(role: str, workdir: Path, *extra: str) -> list[str]:
    return command(MODULE, role, workdir, *extra)


def _run(role: str, workdir: Path, database_url: str) -> dict:
    return run_role(MODULE, role, workdir, database_url)


def race(
    database_url: str, workdir: Path, *, setup: str = "setup", runner: str = "run"
) -> tuple[list[dict], dict, dict]:
    """`setup`, then two `runner` processes let go at the same moment; returns what each did,
    what the setup printed and what the database holds."""
    prepared = _run(setup, workdir, database_url)
    # The barrier: both processes are set up and connected before either starts.
    results = run_together(
        [_process(runner, workdir, str(n)) for n in (1, 2)],
        [workdir / f"ready-{n}" for n in (1, 2)],
        workdir,
        database_url,
    )
    return results, prepared, _run("count", workdir, database_url)


def assert_each_reminder_once(results: list[dict], stored: dict) -> None:
    # They ran at the same time...
    assert_overlapped(results)
    # ...and only one of them created (and so delivered) the reminders and the digest.
    assert sorted(r["reminders"] for r in results) == [0, len(EXPECTED_REMINDERS)]
    assert sorted(r["deliveries"] for r in results) == [0, EXPECTED_DELIVERIES]
    assert sorted(r["digests"] for r in results) == [0, EXPECTED_DIGESTS]
    # Each email left once, whichever process sent it.
    assert sum(r["emails"] for r in results) == EXPECTED_EMAILS
    assert [tuple(row) for row in stored["reminders"]] == EXPECTED_REMINDERS
    assert (stored["deliveries"], stored["unsent"]) == (EXPECTED_DELIVERIES, 0)
    assert stored["digests"] == EXPECTED_DIGESTS
    assert stored["outbox"] == [["sent", 1]] * EXPECTED_EMAILS


def assert_each_email_sent_once(results: list[dict], prepared: dict, stored: dict) -> None:
    rows = len(prepared["emails"]) + len(prepared["digests"])
    assert (len(prepared["emails"]), len(prepared["digests"])) == (6, EXPECTED_DIGESTS)
    # They sent at the same time, both trying every row...
    assert_overlapped(results)
    # ...and each row was claimed once: sent by one process, never retried.
    assert sum(r["sent"] for r in results) == rows
    assert sum(r["emails"] for r in results) == rows
    assert stored["outbox"] == [["sent", 1]] * rows


def test_two_processes_on_sqlite_create_each_reminder_once(tmp_path):
    results, _prepared, stored = race(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path)
    assert_each_reminder_once(results, stored)


def test_two_processes_on_sqlite_send_each_email_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    results, prepared, stored = race(url, tmp_path, setup="outbox", runner="send")
    assert_each_email_sent_once(results, prepared, stored)


def test_two_processes_on_postgresql_create_each_reminder_once(postgres_database, tmp_path):
    results, _prepared, stored = race(postgres_database, tmp_path)
    assert_each_reminder_once(results, stored)


def test_two_processes_on_postgresql_send_each_email_once(postgres_database, tmp_path):
    results, prepared, stored = race(postgres_database, tmp_path, setup="outbox", runner="send")
    assert_each_email_sent_once(results, prepared, stored)
