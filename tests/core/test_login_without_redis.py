"""Logins while the cache (Redis in production) cannot be reached: every way in still works,
the attempt budget still counts (in the process's memory), and the outage is logged once,
naming no server and no password."""

import logging
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client, override_settings
from rest_framework.test import APIClient

from bmp_comms import login_throttle
from bmp_comms.login_throttle import ATTEMPTS_PER_WINDOW, LoginAttempts, attempt_cache
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REDIS_PASSWORD = "mat-khau-redis-bi-mat"


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down():
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:{REDIS_PASSWORD}@127.0.0.1:{closed_port()}/0",
        }
    }
    attempt_cache.reset()
    with override_settings(CACHES=unreachable):
        with pytest.raises(Exception, match=r"(?i)connect"):
            caches["default"].get("probe")  # the cache really is unreachable
        yield
    attempt_cache.reset()


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_user(
        "quantri", password=PASSWORD, is_staff=True, is_superuser=True
    )


def test_web_admin_and_token_logins_work_while_redis_is_down(
    redis_down, officer_a, admin_user, caplog
):
    caplog.set_level(logging.INFO, logger="bmp_comms.login_throttle")
    web = Client()
    response = web.post("/accounts/login/", {"username": "xa-a", "password": PASSWORD})
    assert response.status_code == 302
    assert web.session["_auth_user_id"] == str(officer_a.pk)

    admin = Client()
    response = admin.post("/admin/login/", {"username": "quantri", "password": PASSWORD})
    assert response.status_code == 302
    assert admin.session["_auth_user_id"] == str(admin_user.pk)

    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "xa-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"]

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per outage, not once per attempt
    assert "cannot be reached" in warnings[0].getMessage()
    assert REDIS_PASSWORD not in caplog.text
    assert "127.0.0.1" not in caplog.text


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_budget_still_counts_while_redis_is_down(redis_down, officer_a, url):
    client = Client()
    statuses = [
        client.post(url, {"username": "xa-a", "password": "sai"}).status_code
        for _ in range(ATTEMPTS_PER_WINDOW)
    ]
    assert 429 not in statuses

    response = client.post(url, {"username": "xa-a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "xa-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429


def test_the_token_rate_limit_counts_while_redis_is_down(redis_down, officer_a, monkeypatch):
    monkeypatch.setattr(login_throttle.LoginRateThrottle, "THROTTLE_RATES", {"login": "3/min"})
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"username": "xa-a", "password": "sai"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_the_cache_is_tried_again_after_a_while(redis_down, rf, officer_a, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="bmp_comms.login_throttle")
    now = [1000.0]
    monkeypatch.setattr(login_throttle.time, "monotonic", lambda: now[0])
    request = rf.post("/", REMOTE_ADDR="192.0.2.1")
    LoginAttempts(request, "xa-a").over_budget()  # Redis down: counted in memory
    key = LoginAttempts(request, "xa-a").address_key
    assert attempt_cache.fallback.get(key) == 1

    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        now[0] += 5  # Redis is back, but it is not asked again so soon
        LoginAttempts(request, "xa-a").over_budget()
        assert attempt_cache.fallback.get(key) == 2
        assert caches["default"].get(key) is None

        now[0] += attempt_cache.RETRY_SECONDS
        LoginAttempts(request, "xa-a").over_budget()
        assert caches["default"].get(key) == 1  # a fresh count in the shared cache
        caches["default"].clear()
    assert "reachable again" in caplog.text
