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
