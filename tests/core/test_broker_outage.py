"""A broker outage: a real Celery worker waits for Redis to come back and then runs the queued
work, and connects again after a garbled answer, while publishing (what the web does) fails at
once instead of hanging a page.

These start their own redis-server on a free port (never the machine's), and stop everything
they started whatever happens."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeoutError
from redis import Redis

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


def read(path: Path) -> str:
    return path.read_text(errors="replace")[-6000:]


def accumulate(client: Celery, value: int, *, worker: subprocess.Popen, log: Path, timeout: float):
    """Queue celery.accumulate (a task every worker has, which returns its arguments) and wait
    for its result; on a timeout, say whether the worker is still running and what it logged."""
    try:
        return client.send_task("celery.accumulate", args=(value,)).get(timeout=timeout)
    except CeleryTimeoutError:
        raise AssertionError(
            f"no result in {timeout} s; worker exit code {worker.poll()}:\n{read(log)}"
        ) from None


def test_the_worker_waits_for_redis_and_then_runs_the_queued_work(tmp_path):
    port = free_port()
    broker, backend = f"redis://127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/1"
    # A client of our own, as the web would be: it queues tasks and reads their results from the
    # same Redis.
    client = Celery("probe", broker=broker, backend=backend)
    client.conf.broker_connection_retry_on_startup = True
    redis = worker = None
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    try:
        redis = start_redis(port)
        worker = subprocess.Popen(
            [*CELERY, "--result-backend", backend, "worker", *WORKER_OPTIONS],
            cwd=ROOT,
            env=project_env(tmp_path, broker),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        assert accumulate(client, 1, worker=worker, log=log_path, timeout=30) == [1]

        stop(redis)
        time.sleep(5)  # a worker that gives up on the broker exits within this (it used to, in 2 s)
        assert worker.poll() is None, (
            f"the worker exited when the broker went away:\n{read(log_path)}"
        )

        redis = start_redis(port)
        started = time.monotonic()
        assert accumulate(client, 2, worker=worker, log=log_path, timeout=20) == [2]
        assert time.monotonic() - started < 20
        assert worker.poll() is None
    finally:
        stop(worker)
        stop(redis)
        log.close()
        client.close()
    output = log_path.read_text()
    assert "Trying again" in output  # it waited, with a logged backoff


class GarblingProxy:
    """A TCP relay in front of a redis-server. `garble()` breaks off every open connection as
    a broker going away would: it sends each client a reply no Redis would send, then closes
    both ends, and returns once Redis has dropped its side (with it any BRPOP still waiting
    there, which would otherwise take the next task off the queue for a client that is gone).
    Connections made afterwards are relayed as before."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            with self.lock:
                self.pairs.append((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.relay, args=(source, target), daemon=True).start()

    @staticmethod
    def relay(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            # Shut down before closing: a close alone neither ends the connection nor wakes
            # the other direction's thread, blocked reading the same socket.
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def garble(self) -> None:
        with self.lock:
            pairs, self.pairs = self.pairs, []
        gone = set()
        for client, upstream in pairs:
            with contextlib.suppress(OSError):
                host, port = upstream.getsockname()
                gone.add(f"{host}:{port}")
                client.sendall(b"?not a reply\r\n")
            for end in (client, upstream):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
        redis = Redis(port=self.upstream_port)
        try:
            wait_until(
                lambda: not gone & {c["addr"] for c in redis.client_list()},
                timeout=10,
                what="Redis to drop the broken-off connections",
            )
        finally:
            redis.close()

    def close(self) -> None:
        self.listener.close()
        self.garble()


def test_the_worker_reconnects_after_a_garbled_answer_from_the_broker(tmp_path):
    """A reply that is not Redis's protocol is a channel error to kombu; without
    CELERY_BROKER_CHANNEL_ERROR_RETRY the worker calls it unrecoverable and exits (code 1)."""
    port = free_port()
    backend = f"redis://127.0.0.1:{port}/1"
    client = Celery("probe", broker=f"redis://127.0.0.1:{port}/0", backend=backend)
    redis = worker = proxy = None
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    try:
        redis = start_redis(port)
        proxy = GarblingProxy(port)
        worker = subprocess.Popen(
            [*CELERY, "--result-backend", backend, "worker", *WORKER_OPTIONS],
            cwd=ROOT,
            env=project_env(tmp_path, f"redis://127.0.0.1:{proxy.port}/0"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        assert accumulate(client, 1, worker=worker, log=log_path, timeout=30) == [1]

        proxy.garble()
        assert accumulate(client, 2, worker=worker, log=log_path, timeout=20) == [2]
        assert worker.poll() is None, read(log_path)
    finally:
        stop(worker)
        if proxy is not None:
            proxy.close()
        stop(redis)
        log.close()
        client.close()
    output = log_path.read_text()
    assert "InvalidResponse" in output  # the garbled answer reached the worker
    assert "Unrecoverable error" not in output


PUBLISH_ONCE = """
import time
import django

django.setup()
from deadlines.tasks import deliver_reminder_email

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
