"""Two processes at once on PostgreSQL: two leaders approving the same bulletin, and two
workers sending the same delivery. One wins each time; the other changes nothing."""

from pathlib import Path

import pytest

from tests.processes import assert_overlapped, command, run_role, run_together

MODULE = "tests.bulletins.race"


def _telegram_at(telegram) -> dict[str, str]:
    """The roles send to the test's local server, not to Telegram."""
    return {"TELEGRAM_API_BASE": telegram.url_for("/").rstrip("/")}


def _run(role: str, workdir: Path, database_url: str, extra_env: dict[str, str]) -> dict:
    return run_role(MODULE, role, workdir, database_url, extra_env=extra_env)


def race(role: str, workdir: Path, database_url: str, extra_env: dict[str, str]) -> list[dict]:
    """Two processes of `role` let go at the same moment; what each did."""
    results = run_together(
        [command(MODULE, role, workdir, n) for n in ("1", "2")],
        [workdir / f"ready-{n}" for n in (1, 2)],
        workdir,
        database_url,
        extra_env=extra_env,
    )
    # They ran at the same time.
    assert_overlapped(results)
    return results


@pytest.fixture
def telegram(httpserver):
    httpserver.expect_request("/bot42:race-token/sendMessage", method="POST").respond_with_json(
        {"ok": True, "result": {"message_id": 7}}
    )
    return httpserver


def test_two_leaders_approving_at_once_one_wins(postgres_database, telegram, tmp_path):
    env = _telegram_at(telegram)
    _run("setup", tmp_path, postgres_database, env)

    results = race("approve", tmp_path, postgres_database, env)

    assert sorted(r["won"] for r in results) == [False, True]
    stored = _run("count", tmp_path, postgres_database, env)
    assert stored["approvals"] == 2  # the one of setup, and the winner's
    assert ["Họp thôn", "approved"] in stored["statuses"]


def test_two_workers_send_a_delivery_once(postgres_database, telegram, tmp_path):
    env = _telegram_at(telegram)
    _run("setup", tmp_path, postgres_database, env)

    results = race("send", tmp_path, postgres_database, env)

    assert sorted(r["outcome"] for r in results) == ["sent", "skipped"]
    assert len(telegram.log) == 1
    assert _run("count", tmp_path, postgres_database, env)["deliveries"] == [["sent", 1]]
