"""Two processes at once on PostgreSQL (docs/rules.md#messenger): two workers sending the same
notice, and two pollers reading the same bot. One does the work; the other changes nothing."""

import json
from pathlib import Path

import pytest
from werkzeug import Response

from tests.messenger.race import CODE, TOKEN
from tests.processes import assert_overlapped, command, run_role, run_together

MODULE = "tests.messenger.race"


@pytest.fixture
def bot(httpserver):
    """The race's bot: sendMessage answers ok; getUpdates gives the second officer's Start
    until an offset after it confirms it, as Telegram does."""
    update = {
        "update_id": 700,
        "message": {"chat": {"id": 5002, "type": "private"}, "text": f"/start {CODE}"},
    }

    def updates(request):
        offset = json.loads(request.data).get("offset")
        result = [update] if offset is None or offset <= 700 else []
        return Response(json.dumps({"ok": True, "result": result}), content_type="application/json")

    httpserver.expect_request(f"/bot{TOKEN}/getUpdates", method="POST").respond_with_handler(
        updates
    )
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_json(
        {"ok": True, "result": {"message_id": 9}}
    )
    return httpserver


def _env(bot) -> dict[str, str]:
    return {"TELEGRAM_API_BASE": bot.url_for("/").rstrip("/")}


def race(role: str, workdir: Path, database_url: str, env: dict[str, str]) -> list[dict]:
    results = run_together(
        [command(MODULE, role, workdir, n) for n in ("1", "2")],
        [workdir / f"ready-{n}" for n in (1, 2)],
        workdir,
        database_url,
        extra_env=env,
    )
    assert_overlapped(results)
    return results


def _calls(bot, method: str) -> int:
    return sum(request.path.endswith(f"/{method}") for request, _response in bot.log)


def test_two_workers_send_a_notice_to_a_chat_once(postgres_database, bot, tmp_path):
    env = _env(bot)
    run_role(MODULE, "setup", tmp_path, postgres_database, extra_env=env)

    results = race("send", tmp_path, postgres_database, env)

    assert sorted(r["outcomes"][0] for r in results) == ["sent", "skipped"]
    assert _calls(bot, "sendMessage") == 1
    stored = run_role(MODULE, "count", tmp_path, postgres_database, extra_env=env)
    assert stored["messages"] == [["sent", 1]]


def test_two_pollers_read_a_bot_once(postgres_database, bot, tmp_path):
    env = _env(bot)
    run_role(MODULE, "setup", tmp_path, postgres_database, extra_env=env)

    results = race("poll", tmp_path, postgres_database, env)

    assert sorted((r["skipped"], r["linked"]) for r in results) == [(False, 1), (True, 0)]
    # The one that read: the update, then the call whose offset confirmed it; one reply.
    assert _calls(bot, "getUpdates") == 2
    assert _calls(bot, "sendMessage") == 1
    stored = run_role(MODULE, "count", tmp_path, postgres_database, extra_env=env)
    assert stored["links"] == [["vhtt-1", "5001"], ["vhtt-2", "5002"]]
    assert stored["codes_used"] == 1
