"""A broker outage: a real Celery worker waits for Redis to come back and then runs the queued
work, while publishing (what the web does) fails at once instead of hanging a page.

These start their own redis-server on a free port (never the machine's), and stop everything
they started whatever happens."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
CELERY = [sys.executable, "-m", "celery", "-A", "bmp_comms"]
WORKER_OPTIONS = ["--pool=solo", "--without-mingle", "--without-gossip", "--loglevel=info"]

pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None and not os.environ.get("CI"), reason="redis-server is not installed"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def start_redis(port: int) -> subprocess.Popen:
    redis = subprocess.Popen(
        [REDIS_SERVER, *f"--port {port} --bind 127.0.0.1 --appendonly no".split(), "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: accepts_connections(port), timeout=10, what="redis-server")
    return redis


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def project_env(tmp_path: Path, redis_url: str) -> dict[str, str]:
    """The embedded settings (`make run` with REDIS_URL), on a throwaway SQLite file."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "DEBUG": "false",
    }


def test_the_worker_waits_for_redis_and_then_runs_the_queued_work(tmp_path):
    port = free_port()
    broker, backend = f"redis://127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/1"
    # A client of our own, as the web would be: it queues celery.accumulate (a task every
    # worker has, which returns its arguments) and reads the result from the same Redis.
    client = Celery("probe", broker=broker, backend=backend)
    client.conf.broker_connection_retry_on_startup = True
    redis = worker = None
    log = (tmp_path / "worker.log").open("w")
    try:
        redis = start_redis(port)
        worker = subprocess.Popen(
            [*CELERY, "--result-backend", backend, "worker", *WORKER_OPTIONS],
            cwd=ROOT,
            env=project_env(tmp_path, broker),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        assert client.send_task("celery.accumulate", args=(1,)).get(timeout=30) == [1]

        stop(redis)
        time.sleep(5)  # a worker that gives up on the broker exits within this (it used to, in 2 s)
        assert worker.poll() is None, "the worker exited when the broker went away"

        redis = start_redis(port)
        started = time.monotonic()
        assert client.send_task("celery.accumulate", args=(2,)).get(timeout=20) == [2]
        assert time.monotonic() - started < 20
        assert worker.poll() is None
    finally:
        stop(worker)
        stop(redis)
        log.close()
        client.close()
    output = (tmp_path / "worker.log").read_text()
    assert "Trying again" in output  # it waited, with a logged backoff


PUBLISH_ONCE = """
import time
import django

django.setup()
from reports.tasks import deliver_reminder_email

started = time.monotonic()
try:
    deliver_reminder_email.delay(1)
except Exception as exc:
    print(type(exc).__name__, round(time.monotonic() - started, 2))
"""


def test_publishing_fails_at_once_when_the_broker_is_down(tmp_path):
    env = project_env(tmp_path, f"redis://127.0.0.1:{free_port()}/0")

    result = subprocess.run(
        [sys.executable, "-c", PUBLISH_ONCE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    error, seconds = result.stdout.split()
    assert error == "OperationalError"
    assert float(seconds) < 1.5  # one refused connection, no retry loop
