"""Two processes raise the same event at the same moment on PostgreSQL
(docs/rules.md#notifications): a delivery's failure recorded by two workers, the day's chase of
waiting posts run twice. Each recipient is told once, and emailed once; the other process
creates nothing."""

from pathlib import Path

from tests.processes import assert_overlapped, command, run_role, run_together

MODULE = "tests.notifications.race"


def race(role: str, workdir: Path, database_url: str) -> tuple[list[dict], dict]:
    run_role(MODULE, "setup", workdir, database_url)
    results = run_together(
        [command(MODULE, role, workdir, n) for n in ("1", "2")],
        [workdir / f"ready-{n}" for n in (1, 2)],
        workdir,
        database_url,
    )
    # They ran at the same time.
    assert_overlapped(results)
    return results, run_role(MODULE, "count", workdir, database_url)


def test_two_workers_recording_one_failure_tell_each_person_once(postgres_database, tmp_path):
    results, stored = race("fail", tmp_path, postgres_database)

    # The author and both leaders, by one process; the other's insert met the constraint.
    assert sorted(r["created"] for r in results) == [0, 3]
    emailed = [to for r in results for to in r["emailed"]]
    assert sorted(emailed) == ["ct-1@example.org", "ct-2@example.org", "xa-1@example.org"]
    assert stored["notices"] == [
        ["ct-1", "delivery", 1, "sent"],
        ["ct-2", "delivery", 1, "sent"],
        ["xa-1", "delivery", 1, "sent"],
    ]


def test_the_daily_chase_run_twice_at_once_tells_the_author_once(postgres_database, tmp_path):
    results, stored = race("chase", tmp_path, postgres_database)

    assert sorted(r["created"] for r in results) == [0, 1]
    assert [to for r in results for to in r["emailed"]] == ["xa-1@example.org"]
    assert stored["notices"] == [["xa-1", "posts_waiting", 1, "sent"]]
