"""Two processes at once on PostgreSQL: two leaders approving the same bulletin, and two
workers sending the same delivery. One wins each time; the other changes nothing."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reports.test_reminder_concurrency import postgres_database  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def _env(database_url: str, telegram: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.test",
        "TELEGRAM_API_BASE": telegram,
    }


def _command(role: str, workdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "tests.bulletins.race", role, str(workdir), *extra]


def _run(role: str, workdir: Path, env: dict) -> dict:
    done = subprocess.run(
        _command(role, workdir), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def race(role: str, workdir: Path, env: dict) -> list[dict]:
    runners = [
        subprocess.Popen(
            _command(role, workdir, n),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in ("1", "2")
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
    # They ran at the same time.
    assert max(r["started"] for r in results) < min(r["ended"] for r in results)
    return results


@pytest.fixture
def telegram(httpserver):
    httpserver.expect_request("/bot42:race-token/sendMessage", method="POST").respond_with_json(
        {"ok": True, "result": {"message_id": 7}}
    )
    return httpserver


def test_two_leaders_approving_at_once_one_wins(postgres_database, telegram, tmp_path):  # noqa: F811
    env = _env(postgres_database, telegram.url_for("/").rstrip("/"))
    _run("setup", tmp_path, env)

    results = race("approve", tmp_path, env)

    assert sorted(r["won"] for r in results) == [False, True]
    stored = _run("count", tmp_path, env)
    assert stored["approvals"] == 2  # the one of setup, and the winner's
    assert ["Họp thôn", "approved"] in stored["statuses"]


def test_two_workers_send_a_delivery_once(postgres_database, telegram, tmp_path):  # noqa: F811
    env = _env(postgres_database, telegram.url_for("/").rstrip("/"))
    _run("setup", tmp_path, env)

    results = race("send", tmp_path, env)

    assert sorted(r["outcome"] for r in results) == ["sent", "skipped"]
    assert len(telegram.log) == 1
    assert _run("count", tmp_path, env)["deliveries"] == [["sent", 1]]
