"""bin/run-embedded (`make run`): a worker that exits is started again while the web server
stays up, and Ctrl-C still stops everything.

The script runs in a copy of the project's layout whose `.venv/bin/python` is a stand-in: the
"worker" exits at once, beat and the "web server" run until they are stopped."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

STAND_IN_PYTHON = """#!/usr/bin/env bash
echo "$$ $*" >> "$STARTS"
case "$*" in
  *" worker "*) sleep 0.2; exit 3 ;;
  *) exec sleep 600 ;;
esac
"""


def starts(path: Path) -> list[tuple[int, str]]:
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [(int(pid), command) for pid, command in (line.split(" ", 1) for line in lines)]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not reaped yet is a zombie: gone for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "bin").mkdir()
    shutil.copy(ROOT / "bin" / "run-embedded", tmp_path / "bin" / "run-embedded")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STAND_IN_PYTHON)
    python.chmod(0o755)
    return tmp_path


def test_a_dying_worker_is_restarted_and_ctrl_c_stops_everything(project: Path):
    log = project / "starts.log"
    script = subprocess.Popen(
        ["bash", "bin/run-embedded"],
        cwd=project,
        env={"PATH": os.environ["PATH"], "STARTS": str(log)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as under a terminal
    )
    try:
        # Started at once, then after 1 s and 2 s more: three runs within a few seconds.
        wait_until(
            lambda: sum(" worker " in c for _, c in starts(log)) >= 3,
            timeout=15,
            what="the worker to be started three times",
        )
        assert script.poll() is None, "the worker's exit stopped run-embedded"
        runserver = [pid for pid, c in starts(log) if "runserver" in c]
        beat = [pid for pid, c in starts(log) if " beat " in c]
        assert len(runserver) == 1 and alive(runserver[0])
        assert len(beat) == 1 and alive(beat[0])
        assert (
            "worker exited (status 3); starting it again"
            in (project / "var" / "log" / "worker.log").read_text()
        )

        os.killpg(script.pid, signal.SIGINT)  # Ctrl-C: the terminal signals its process group

        script.wait(timeout=15)
        wait_until(
            lambda: not any(alive(pid) for pid, _ in starts(log)),
            timeout=10,
            what="every process run-embedded started to stop",
        )
        count = len(starts(log))
        time.sleep(2.5)
        assert len(starts(log)) == count, "a worker was started again after Ctrl-C"
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait(timeout=5)
        for pid, _ in starts(log):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_make_run_passes_its_port_on():
    dry = ["make", "-n", "-C", str(ROOT), "run"]
    default = subprocess.run(dry, capture_output=True, text=True, check=True, env=_no_port())
    chosen = subprocess.run(
        [*dry, "PORT=8100"], capture_output=True, text=True, check=True, env=_no_port()
    )
    assert "PORT=8000 bin/run-embedded" in default.stdout
    assert "PORT=8100 bin/run-embedded" in chosen.stdout


def _no_port() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != "PORT"}


def test_the_web_server_serves_on_the_port_asked_for(project: Path):
    log = project / "starts.log"
    script = subprocess.Popen(
        ["bash", "bin/run-embedded"],
        cwd=project,
        env={"PATH": os.environ["PATH"], "STARTS": str(log), "PORT": "8100"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        wait_until(
            lambda: any("runserver" in c for _, c in starts(log)),
            timeout=15,
            what="the web server to start",
        )
        assert [c for _, c in starts(log) if "runserver" in c] == [
            "manage.py runserver 127.0.0.1:8100"
        ]
    finally:
        os.killpg(script.pid, signal.SIGINT)
        script.wait(timeout=15)
        for pid, _ in starts(log):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert "Serving http://127.0.0.1:8100" in script.stdout.read()


@pytest.mark.parametrize("port", ["http", "0", "70000"])
def test_a_port_that_is_not_one_is_refused(project: Path, port: str):
    done = subprocess.run(
        ["bash", "bin/run-embedded"],
        cwd=project,
        env={"PATH": os.environ["PATH"], "STARTS": str(project / "starts.log"), "PORT": port},
        capture_output=True,
        text=True,
        timeout=15,
    )
    assert done.returncode == 2
    assert "PORT must be a number from 1 to 65535" in done.stderr
    assert starts(project / "starts.log") == []
