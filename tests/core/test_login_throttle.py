import pytest
from django.core.cache import cache
from django.test import override_settings

from bmp_comms.login_throttle import ATTEMPTS_PER_WINDOW
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def fail_logins(client, url, username, times, **extra):
    return [
        client.post(url, {"username": username, "password": "sai-mat-khau"}, **extra).status_code
        for _ in range(times)
    ]


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_web_and_admin_logins_stop_after_the_budget(client, officer_a, url):
    statuses = fail_logins(client, url, officer_a.username, ATTEMPTS_PER_WINDOW)
    assert 429 not in statuses
    # Even the right password is refused once the budget is spent.
    response = client.post(url, {"username": officer_a.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_api_token_shares_the_budget_with_the_web_login(client, api_client, officer_a):
    fail_logins(client, "/accounts/login/", officer_a.username, ATTEMPTS_PER_WINDOW)
    response = api_client.post(
        "/api/v1/auth/token/", {"username": officer_a.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "token" not in response.json()


def test_success_resets_the_count(client, officer_a):
    fail_logins(client, "/accounts/login/", officer_a.username, ATTEMPTS_PER_WINDOW - 1)
    client.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    client.logout()
    assert 429 not in fail_logins(client, "/accounts/login/", officer_a.username, 3)


def test_forged_forwarded_for_does_not_escape_the_address_budget(client, officer_a, leader_a):
    # With no trusted proxy, X-Forwarded-For is the client's own words: ignored.
    statuses = [
        client.post(
            "/accounts/login/",
            {"username": f"khong-co-{n}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(ATTEMPTS_PER_WINDOW + 1)
    ]
    assert statuses[-1] == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_clients_are_told_apart_by_the_proxy_entry(client):
    for n in range(ATTEMPTS_PER_WINDOW):
        client.post(
            "/accounts/login/",
            {"username": f"u{n}", "password": "x"},
            HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7",
        )
    blocked = client.post(
        "/accounts/login/",
        {"username": "u-last", "password": "x"},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",  # a forged first hop changes nothing
    )
    other_client = client.post(
        "/accounts/login/",
        {"username": "u-other", "password": "x"},
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert blocked.status_code == 429
    assert other_client.status_code == 200
