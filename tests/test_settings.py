"""Production settings: secrets only from the environment, every deploy check passing, and
booleans that refuse to guess."""

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
