"""Running a race module's roles (`python -m <module> ROLE WORKDIR [N]`) as processes of their
own, each on the database of `database_url`: the suite's own test database cannot be shared
between processes (SQLite's is in memory; PostgreSQL's lives inside a transaction)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def command(module: str, role: str, workdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", module, role, str(workdir), *extra]


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.test",
    }


def run_role(module: str, role: str, workdir: Path, database_url: str) -> dict:
    """Run one role to its end; what it printed last, as JSON."""
    done = subprocess.run(
        command(module, role, workdir),
        cwd=ROOT,
        env=environment(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_together(
    commands: list[list[str]], ready: list[Path], workdir: Path, database_url: str
) -> list[dict]:
    """Start every command, wait until each file of `ready` exists (the processes are set up
    and connected), touch `go`, and return what each printed last, as JSON."""
    processes = [
        subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=environment(database_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cmd in commands
    ]
    try:
        give_up = time.monotonic() + 120
        while not all(path.exists() for path in ready):
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            assert time.monotonic() < give_up, "the processes never got ready"
            time.sleep(0.01)
        (workdir / "go").touch()
        outputs = [p.communicate(timeout=120) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
    for p, (_out, err) in zip(processes, outputs, strict=True):
        assert p.returncode == 0, err
    return [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
