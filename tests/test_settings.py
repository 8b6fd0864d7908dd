"""Production settings: secrets only from the environment, every deploy check passing, and
booleans that refuse to guess."""

import gzip
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bmp_comms.settings.base import StrictEnv

ROOT = Path(__file__).resolve().parent.parent
# Runs manage.py without reading the project's .env, so a developer's own file cannot change
# what is being checked; everything comes from the environment the test gives.
MANAGE_WITHOUT_DOT_ENV = (
    "import sys, environ; "
    "environ.Env.read_env = classmethod(lambda *args, **kwargs: None); "
    "from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', *sys.argv[1:]])"
)


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "bmp_comms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://bmp:secret@127.0.0.1:5432/bmp",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "bmp.example.org,127.0.0.1",
        "SITE_URL": "https://bmp.example.org",
        "CHANNEL_CREDENTIALS_KEY": "cHJvZHVjdGlvbi1rZXktb2YtdGhlLXRlc3Qtc3VpdGU=",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", MANAGE_WITHOUT_DOT_ENV, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_finds_no_issue_with_the_required_variables_set():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "SITE_URL"]
)
def test_production_settings_refuse_to_load_without_a_required_variable(missing):
    result = manage("check", env=production_env(**{missing: None}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Set the {missing} environment variable" in result.stderr


def test_a_misspelt_boolean_stops_production_instead_of_turning_security_off():
    result = manage("check", env=production_env(SECURE_SSL_REDIRECT="Ture"))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECURE_SSL_REDIRECT='Ture' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("true", True),
        ("True", True),
        ("yes", True),
        ("on", True),
        ("1", True),
        ("false", False),
        ("FALSE", False),
        ("no", False),
        ("off", False),
        ("0", False),
        (" true ", True),
    ],
)
def test_booleans_accept_only_yes_or_no_words(monkeypatch, word, expected):
    monkeypatch.setenv("BMP_TEST_FLAG", word)

    assert StrictEnv().bool("BMP_TEST_FLAG") is expected


@pytest.mark.parametrize("word", ["Ture", "flase", "2", "", "enabled", "y", "ok"])
def test_any_other_boolean_word_is_an_error(monkeypatch, word):
    monkeypatch.setenv("BMP_TEST_FLAG", word)

    with pytest.raises(ImproperlyConfigured, match="BMP_TEST_FLAG"):
        StrictEnv().bool("BMP_TEST_FLAG")


def test_an_unset_boolean_takes_its_default_or_is_required(monkeypatch):
    monkeypatch.delenv("BMP_TEST_FLAG", raising=False)

    assert StrictEnv().bool("BMP_TEST_FLAG", default=True) is True
    with pytest.raises(ImproperlyConfigured):
        StrictEnv().bool("BMP_TEST_FLAG")


def settings_env(**environ: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        **environ,
    }


def settings_of(module: str | None, code: str, **environ: str) -> subprocess.CompletedProcess:
    """Run `code` after loading the settings `module` (None: the defaults of manage.py and
    Celery) in a fresh process whose environment holds only `environ`, with no .env read."""
    env = settings_env(**environ)
    if module:
        env["DJANGO_SETTINGS_MODULE"] = module
    prelude = "import environ; environ.Env.read_env = classmethod(lambda *a, **k: None)\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_base_settings_have_no_secret_key():
    from bmp_comms.settings import base

    assert "SECRET_KEY" not in vars(base)
    result = settings_of(
        "bmp_comms.settings.base",
        "import django; django.setup()\nfrom django.conf import settings\nsettings.SECRET_KEY",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: The SECRET_KEY setting must not be empty" in result.stderr


def test_the_local_default_has_its_insecure_key_and_production_needs_one():
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    # manage.py's own default (local), with nothing in the environment
    local = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=settings_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert local.returncode == 0, local.stderr
    assert local.stdout.strip() == "insecure-local-only-key-do-not-use-in-production"
    setup = "import django; django.setup()\n"
    chosen = settings_of("bmp_comms.settings.local", setup + code, SECRET_KEY="mine")
    assert chosen.stdout.strip() == "mine"
    production = settings_of(
        "bmp_comms.settings.production", setup + code, **production_env(SECRET_KEY=None)
    )
    assert production.returncode != 0
    assert "Set the SECRET_KEY environment variable" in production.stderr


def test_the_test_settings_have_their_own_fixed_key(settings):
    assert settings.SECRET_KEY == "test-only-key-not-secret"


def test_celery_tasks_have_a_hard_and_a_soft_time_limit():
    # What a worker started by `celery -A bmp_comms` reads, with manage.py's default settings.
    result = settings_of(
        None,
        "from bmp_comms.celery import app\n"
        "print(app.conf.task_time_limit, app.conf.task_soft_time_limit)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["300", "240"]


@pytest.mark.parametrize(
    ("module", "environ", "expected"),
    [
        ("bmp_comms.settings.local", {}, "10.0"),
        ("bmp_comms.settings.test", {}, "10.0"),
        ("bmp_comms.settings.production", production_env(), "10.0"),
        ("bmp_comms.settings.production", production_env(EMAIL_TIMEOUT="3"), "3.0"),
    ],
)
def test_every_environment_has_an_email_timeout(module, environ, expected):
    # smtplib's own default is to wait for ever.
    result = settings_of(
        module,
        "import django; django.setup()\nfrom django.conf import settings\n"
        "print(settings.EMAIL_TIMEOUT)",
        **environ,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


SHOW_SETTINGS = (
    "import json; from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({"
    "'conn_max_age': db.get('CONN_MAX_AGE', 0), "
    "'conn_health_checks': db.get('CONN_HEALTH_CHECKS', False), "
    "'broker_max_retries': settings.CELERY_BROKER_CONNECTION_MAX_RETRIES, "
    "'broker_retry_on_startup': settings.CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP, "
    "'publish_retry': settings.CELERY_TASK_PUBLISH_RETRY, "
    "'transport_options': settings.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "'cache_options': settings.CACHES['default'].get('OPTIONS', {}), "
    "}))"
)


def shown_settings(env: dict[str, str]) -> dict:
    result = manage("shell", "-c", SHOW_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_checks_kept_database_connections_before_reusing_them():
    # A connection kept for CONN_MAX_AGE seconds dies with a PostgreSQL restart.
    shown = shown_settings(production_env())
    assert shown["conn_max_age"] == 60
    assert shown["conn_health_checks"] is True
    assert shown_settings(production_env(CONN_MAX_AGE="0"))["conn_health_checks"] is True


@pytest.mark.parametrize(
    ("database_url", "checked"),
    [
        ("postgres://bmp:secret@127.0.0.1:5432/bmp?conn_max_age=60", True),
        ("postgres://bmp:secret@127.0.0.1:5432/bmp", False),  # a new connection per request
    ],
)
def test_base_checks_kept_connections_only(database_url, checked):
    env = production_env(
        DJANGO_SETTINGS_MODULE="bmp_comms.settings.local", DATABASE_URL=database_url
    )
    assert shown_settings(env)["conn_health_checks"] is checked


@pytest.mark.parametrize("module", ["local", "production"])
def test_the_worker_waits_for_the_broker_for_ever_and_publishing_does_not(module):
    shown = shown_settings(production_env(DJANGO_SETTINGS_MODULE=f"bmp_comms.settings.{module}"))
    assert shown["broker_max_retries"] is None
    assert shown["broker_retry_on_startup"] is True
    assert shown["publish_retry"] is False
    assert shown["transport_options"]["max_retries"] == 0
    assert shown["transport_options"]["socket_connect_timeout"] <= 5


def test_production_cache_gives_up_quickly_on_a_silent_redis():
    options = shown_settings(production_env())["cache_options"]
    assert 0 < options["socket_connect_timeout"] <= 5
    assert 0 < options["socket_timeout"] <= 5


PRODUCTION_MIDDLEWARE = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'middleware': settings.MIDDLEWARE, 'storages': settings.STORAGES}))"
)


def production_middleware_and_storages() -> dict:
    result = manage("shell", "-c", PRODUCTION_MIDDLEWARE, env=production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_serves_static_files_through_whitenoise_and_gzips_pages():
    shown = production_middleware_and_storages()
    middleware = shown["middleware"]
    # WhiteNoise directly after SecurityMiddleware (WhiteNoise's documentation); GZip above
    # every middleware that reads or writes the body (Django's), below WhiteNoise, whose
    # files are compressed already.
    assert middleware[:3] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.middleware.gzip.GZipMiddleware",
    ]
    assert middleware.count("django.middleware.gzip.GZipMiddleware") == 1
    assert (
        shown["storages"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


@pytest.mark.django_db
def test_a_page_comes_back_gzipped_under_the_production_middleware(
    client, settings, district_staff, tmp_path
):
    settings.MIDDLEWARE = production_middleware_and_storages()["middleware"]
    settings.STATIC_ROOT = tmp_path  # WhiteNoise reads it when it starts; the test has none
    client.force_login(district_staff)

    compressed = client.get("/dashboard/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get("/dashboard/")

    assert compressed.status_code == plain.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    html = gzip.decompress(compressed.content).decode()
    assert 'id="commune-table"' in html
    assert len(compressed.content) < len(html.encode()) / 2
    # a client that does not ask for it gets the page as it is
    assert not plain.has_header("Content-Encoding")
    assert 'id="commune-table"' in plain.content.decode()
