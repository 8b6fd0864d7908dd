"""The deployment files: docker-compose.yml's services and the Dockerfile's settings.

File checks, and the web health check's command run against a local stand-in server: no
Django, no database, no Docker daemon.
"""

import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
ALL_SERVICES = (*APP_SERVICES, "postgres", "redis")


@pytest.fixture(scope="module")
def compose() -> dict:
    # PyYAML's safe loader resolves the x-app anchor and the "<<" merge keys.
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def command_text(service: dict) -> str:
    command = service.get("command", "")
    if isinstance(command, list):
        command = " ".join(command)
    return " ".join(command.split())


def test_all_services_exist(services: dict) -> None:
    for name in ALL_SERVICES:
        assert name in services, f"service {name!r} missing"


def test_app_services_share_one_image_and_build(services: dict) -> None:
    web = services["web"]
    assert web.get("build"), "web must build the image from the Dockerfile"
    build = web["build"]
    if isinstance(build, dict):
        assert build.get("dockerfile", "Dockerfile") == "Dockerfile"
    image = web.get("image")
    assert image, "the shared image must be named so that worker and beat reuse it"
    for name in ("worker", "beat"):
        service = services[name]
        assert service.get("image") == image, f"{name} image differs from web"
        assert service.get("build", build) == build, f"{name} build differs from web"


def test_web_migrates_then_runs_gunicorn(services: dict) -> None:
    command = command_text(services["web"])
    assert "python manage.py migrate --noinput" in command
    assert "gunicorn bmp_comms.wsgi" in command
    assert command.index("migrate") < command.index("gunicorn")


def test_worker_runs_celery_worker(services: dict) -> None:
    command = command_text(services["worker"])
    assert re.search(r"\bcelery -A bmp_comms worker\b", command)


def test_beat_uses_database_scheduler(services: dict) -> None:
    command = command_text(services["beat"])
    assert re.search(r"\bcelery -A bmp_comms beat\b", command)
    assert "django_celery_beat.schedulers:DatabaseScheduler" in command


@pytest.mark.parametrize("name", ALL_SERVICES)
def test_every_service_has_a_healthcheck(services: dict, name: str) -> None:
    healthcheck = services[name].get("healthcheck") or {}
    assert healthcheck.get("test"), f"{name} has no healthcheck"
    assert not healthcheck.get("disable", False)


def test_depends_on_waits_for_healthy(services: dict) -> None:
    for name in APP_SERVICES:
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name} depends_on needs conditions"
        for dependency in ("postgres", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy"


def test_postgres_and_redis_use_named_volumes(compose: dict, services: dict) -> None:
    named = set(compose.get("volumes") or {})
    for name, target in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data")):
        volumes = services[name].get("volumes") or []
        sources = {v.split(":")[0] for v in volumes if v.split(":")[1] == target}
        assert sources & named, f"{name} data at {target} is not on a named volume"


def test_app_services_use_env_file(services: dict) -> None:
    for name in APP_SERVICES:
        env_file = services[name].get("env_file")
        env_files = [env_file] if isinstance(env_file, str) else env_file or []
        assert ".env" in env_files, f"{name} does not read .env"


def test_dockerfile_sets_production_settings() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    settings = r"DJANGO_SETTINGS_MODULE[= ]bmp_comms\.settings\.production\b"
    assert re.search(settings, dockerfile)
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    non_root = re.search(r"^USER (?!root\b)\S+", dockerfile, re.MULTILINE)
    assert non_root, "the image must run as a non-root user"
    assert "collectstatic" in dockerfile


@pytest.mark.parametrize("name", ALL_SERVICES)
def test_every_service_is_restarted_when_it_dies(services: dict, name: str) -> None:
    # A worker that exits (a crash, an out-of-memory kill) must come back by itself.
    assert services[name].get("restart") in ("unless-stopped", "always")


def run_web_health_check(services: dict, status: int, body: bytes) -> int:
    """Run the web service's health check command against a local server answering `status`
    and `body` at /healthz; its exit status."""

    class Healthz(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(status if self.path == "/healthz" else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], "expected a python -c check"
    code = test[3]
    assert "http://127.0.0.1:8000/healthz" in code
    server = HTTPServer(("127.0.0.1", 0), Healthz)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code = code.replace("127.0.0.1:8000", f"127.0.0.1:{server.server_port}")
        return subprocess.run(
            [sys.executable, "-c", code], timeout=30, capture_output=True
        ).returncode
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("status", "body", "healthy"),
    [
        (200, b'{"database": "ok", "broker": "ok"}', True),
        # Pages and logins work without the broker.
        (200, b'{"database": "ok", "broker": "error"}', True),
        # /healthz answers 503 without the database, and the body says so too.
        (503, b'{"database": "error", "broker": "ok"}', False),
        (200, b'{"database": "error", "broker": "ok"}', False),
        (200, b"{}", False),
        (500, b"<h1>Server Error</h1>", False),
        (502, b"", False),
    ],
)
def test_the_web_health_check_reads_the_database_state(
    services: dict, status: int, body: bytes, healthy: bool
):
    assert (run_web_health_check(services, status, body) == 0) is healthy
