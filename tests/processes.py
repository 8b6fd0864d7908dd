"""Running a race module's roles (`python -m <module> ROLE WORKDIR [ARG...]`) as processes of
their own, each on the database of `database_url`: the suite's own test database cannot be
shared between processes (SQLite's is in memory; PostgreSQL's lives inside a transaction).

A role says what it did as JSON on the last line it prints; a role that waits at the barrier
touches `ready-N` in WORKDIR once it is set up and connected, then waits for `go` there.

Both sides live here: the test's (`run_role`, `run_together`, …) and the role's (`serve`,
`barrier`, `wait_for`), which a race module calls from its own process. Nothing here imports
Django at the top: the role's side imports it only once `serve` has set it up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A role run to its end: setting up, counting, recovering.
ROLE_TIMEOUT = 300
# How long processes get to be ready at the barrier, and then to finish once let go.
RACE_TIMEOUT = 120
# How long a role waits for a file of WORKDIR (`go`, …) before it gives up: less than
# RACE_TIMEOUT, so that the role's own failure ("no go") is what the test reports.
WAIT_TIMEOUT = 60


def command(module: str, role: str, workdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", module, role, str(workdir), *extra]


def environment(database_url: str, **extra_env: str) -> dict:
    """This process's environment with the race's database and the test settings, plus what a
    module's roles need besides (`MEDIA_ROOT`, `TELEGRAM_API_BASE`, …)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.test",
        **extra_env,
    }


def last_json(output: str) -> dict:
    """What a role printed last: the roles may log before it, the JSON line always comes last."""
    return json.loads(output.strip().splitlines()[-1])


def run_role(
    module: str,
    role: str,
    workdir: Path,
    database_url: str,
    *extra_args: str,
    extra_env: Mapping[str, str] | None = None,
) -> dict:
    """Run one role to its end; what it printed last, as JSON. Its error output is the
    assertion's message when it fails."""
    done = subprocess.run(
        command(module, role, workdir, *extra_args),
        cwd=ROOT,
        env=environment(database_url, **(extra_env or {})),
        capture_output=True,
        text=True,
        timeout=ROLE_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    return last_json(done.stdout)


@contextmanager
def running(
    commands: list[list[str]], database_url: str, extra_env: Mapping[str, str] | None = None
) -> Iterator[list[subprocess.Popen]]:
    """Start every command, its output captured; on the way out, kill whichever is still
    running, so that a failed or timed-out test leaves no process behind."""
    env = environment(database_url, **(extra_env or {}))
    processes: list[subprocess.Popen] = []
    try:
        for cmd in commands:
            processes.append(
                subprocess.Popen(
                    cmd,
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        yield processes
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()


def wait_for_files(paths: list[Path], processes: list[subprocess.Popen], failure: str) -> None:
    """Wait until every file of `paths` exists. A process that ends before then fails the test
    at once with what it printed, rather than after the whole wait."""
    give_up = time.monotonic() + RACE_TIMEOUT
    while not all(path.exists() for path in paths):
        assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
        assert time.monotonic() < give_up, failure
        time.sleep(0.01)


def run_together(
    commands: list[list[str]],
    ready: list[Path],
    workdir: Path,
    database_url: str,
    extra_env: Mapping[str, str] | None = None,
) -> list[dict]:
    """Start every command, wait until each file of `ready` exists (the processes are set up
    and connected), touch `go`, and return what each printed last, as JSON, in the order of
    `commands`. The barrier is what makes them race: none starts its work before all can."""
    with running(commands, database_url, extra_env) as processes:
        wait_for_files(ready, processes, "the processes never got ready")
        (workdir / "go").touch()
        outputs = [p.communicate(timeout=RACE_TIMEOUT) for p in processes]
    for p, (_out, err) in zip(processes, outputs, strict=True):
        assert p.returncode == 0, err
    return [last_json(out) for out, _err in outputs]


def assert_overlapped(results: Collection[dict]) -> None:
    """The processes ran at the same time: each started before any ended. Without it, a race
    test that passes may only show that the processes ran one after the other."""
    assert max(r["started"] for r in results) < min(r["ended"] for r in results)


# The role's side: what runs inside `python -m <module> ROLE WORKDIR [ARG...]`.


def wait_for(workdir: Path, name: str, timeout: float = WAIT_TIMEOUT) -> None:
    """Wait until WORKDIR holds the file `name`; after `timeout` seconds, end the process with
    "no <name>" (exit status 1)."""
    give_up = time.monotonic() + timeout
    while not (workdir / name).exists():
        if time.monotonic() > give_up:
            raise SystemExit(f"no {name}")
        time.sleep(0.002)


def barrier(workdir: Path, n: str) -> None:
    """The role's half of `run_together`: connect to the database, say `ready-N`, then wait for
    `go`. Whatever the role sets up before it is not part of the race."""
    from django.db import connection

    connection.ensure_connection()
    (workdir / f"ready-{n}").touch()
    wait_for(workdir, "go")


def serve(
    roles: Mapping[str, Callable[..., dict]], prepare: Callable[[], None] | None = None
) -> None:
    """A race module's `main`: set Django up (the test settings unless the environment names
    others), run `prepare` if given, then the role named by `ROLE` as `role(WORKDIR, *ARGS)`,
    and print what it returns as JSON, the last line of the process's output."""
    name, workdir, *args = sys.argv[1:]
    if name not in roles:
        raise SystemExit(f"no role {name!r}: {', '.join(roles)}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmp_comms.settings.test")
    import django

    django.setup()
    from bmp_comms.scoping import unscoped

    if prepare is not None:
        prepare()
    # A role stands in for a worker (whose tasks run unscoped) or for a request whose rows are
    # already in hand, and counts rows as the suite's tests do (bmp_comms.scoping).
    with unscoped():
        result = roles[name](Path(workdir), *args)
    print(json.dumps(result, default=str))
