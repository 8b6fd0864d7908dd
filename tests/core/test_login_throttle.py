import datetime

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from bmp_comms.login_throttle import (
    ATTEMPTS_PER_WINDOW,
    KNOWN_ADDRESSES_PER_USER,
    LoginAttempts,
    attempt_cache,
    username_key,
)
from bmp_comms.models import KnownLoginAddress
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OWNER_AT_HOME = "198.51.100.7"  # where the owner has logged in before
STRANGER = "203.0.113.9"
ANOTHER_STRANGER = "203.0.113.10"
LOGIN_URLS = ["/accounts/login/", "/admin/login/"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    attempt_cache.reset()
    yield
    cache.clear()
    attempt_cache.reset()


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


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_signed_in_user_guessing_another_password_spends_the_budget(
    client, officer_a, district_staff, url
):
    # Signed in as themselves, a commune officer posts wrong passwords for `vhtt`: their own
    # session must not give the budget back after each failure.
    client.force_login(officer_a)
    statuses = fail_logins(client, url, district_staff.username, ATTEMPTS_PER_WINDOW + 2)
    assert statuses[-1] == 429
    response = client.post(url, {"username": district_staff.username, "password": PASSWORD})
    assert response.status_code == 429


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


def log_in(url, username, password, address):
    """One attempt from `address` on a fresh client: (status, logged in?)."""
    client = Client()
    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response.status_code, "_auth_user_id" in client.session


def token(username, password, address):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_username_key_ignores_width_case_and_spaces():
    assert username_key("ｖｈｔｔ") == username_key("VHTT") == username_key(" vhtt ")
    assert username_key("vhtt") == username_key("vhtt")
    assert username_key("vhtt") != username_key("vhtt2")
    assert "vhtt" not in username_key("vhtt")  # kept out of the cache


@pytest.mark.parametrize("spelling", ["ｖｈｔｔ", "VHTT", " vhtt"])
def test_another_spelling_of_a_locked_username_is_locked_too(district_staff, spelling):
    for _ in range(ATTEMPTS_PER_WINDOW):
        log_in("/accounts/login/", "vhtt", "sai-mat-khau", STRANGER)
    # From an address with budget left, the fullwidth spelling the form turns into `vhtt`.
    assert log_in("/accounts/login/", spelling, PASSWORD, ANOTHER_STRANGER) == (429, False)


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_stranger_spending_the_username_budget_does_not_shut_the_owner_out(district_staff, url):
    district_staff.is_staff = True  # may use the admin's login too
    district_staff.save()
    assert log_in(url, "vhtt", PASSWORD, OWNER_AT_HOME) == (302, True)

    stranger = [log_in(url, "vhtt", "sai", STRANGER)[0] for _ in range(ATTEMPTS_PER_WINDOW)]

    assert 429 not in stranger
    # The owner, at an address they have logged in from, gets in.
    assert log_in(url, "vhtt", PASSWORD, OWNER_AT_HOME) == (302, True)
    # The stranger is refused, and so is a stranger at a fresh address (the username's budget),
    # even with the right password.
    assert log_in(url, "vhtt", "sai", STRANGER) == (429, False)
    assert log_in(url, "vhtt", "sai", ANOTHER_STRANGER) == (429, False)
    assert log_in(url, "vhtt", PASSWORD, ANOTHER_STRANGER) == (429, False)
    # The owner's logins gave the stranger no fresh budget.
    assert log_in(url, "vhtt", PASSWORD, OWNER_AT_HOME) == (302, True)
    assert log_in(url, "vhtt", "sai", ANOTHER_STRANGER) == (429, False)


def test_the_token_endpoint_keeps_the_same_two_budgets(district_staff):
    assert token("vhtt", PASSWORD, OWNER_AT_HOME).status_code == 200
    for _ in range(ATTEMPTS_PER_WINDOW):
        assert token("vhtt", "sai", STRANGER).status_code == 400

    assert token("vhtt", PASSWORD, OWNER_AT_HOME).status_code == 200
    refused = token("vhtt", PASSWORD, ANOTHER_STRANGER)
    assert refused.status_code == 429
    assert "token" not in refused.json()
    # A web login at the owner's address counts as known there too: one list of addresses.
    assert log_in("/accounts/login/", "vhtt", PASSWORD, OWNER_AT_HOME) == (302, True)


def test_failed_attempts_do_not_make_an_address_known(district_staff):
    for _ in range(ATTEMPTS_PER_WINDOW):
        log_in("/accounts/login/", "vhtt", "sai", STRANGER)

    assert not KnownLoginAddress.objects.exists()
    assert log_in("/accounts/login/", "vhtt", PASSWORD, ANOTHER_STRANGER) == (429, False)


def test_the_address_budget_still_holds_at_a_known_address(district_staff):
    assert log_in("/accounts/login/", "vhtt", PASSWORD, OWNER_AT_HOME) == (302, True)
    for _ in range(ATTEMPTS_PER_WINDOW):
        log_in("/accounts/login/", "vhtt", "sai", OWNER_AT_HOME)

    assert log_in("/accounts/login/", "vhtt", PASSWORD, OWNER_AT_HOME) == (429, False)


def test_an_ipv6_client_is_one_address_per_64_network(officer_a):
    for n in range(ATTEMPTS_PER_WINDOW):
        log_in("/accounts/login/", f"khong-co-{n}", "x", f"2001:db8:0:7::{n + 1:x}")

    assert log_in("/accounts/login/", "khong-co", "x", "2001:db8:0:7:ffff::1")[0] == 429
    assert log_in("/accounts/login/", "khong-co", "x", "2001:db8:0:8::1")[0] == 200


def test_known_addresses_are_the_recent_few(rf, officer_a):
    long_ago = timezone.now() - datetime.timedelta(days=181)
    KnownLoginAddress.objects.create(user=officer_a, address="192.0.2.250", last_login_at=long_ago)
    for n in range(KNOWN_ADDRESSES_PER_USER + 5):
        LoginAttempts(rf.post("/", REMOTE_ADDR=f"192.0.2.{n}"), "xa-a").succeeded(officer_a)

    addresses = set(KnownLoginAddress.objects.values_list("address", flat=True))
    assert len(addresses) == KNOWN_ADDRESSES_PER_USER
    assert "192.0.2.250" not in addresses  # unused for half a year
    assert "192.0.2.0" not in addresses  # the oldest beyond the limit
    assert f"192.0.2.{KNOWN_ADDRESSES_PER_USER + 4}" in addresses


def test_administrators_see_and_can_forget_known_addresses(client, officer_a):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("quantri", password=PASSWORD)
    known = KnownLoginAddress.objects.create(
        user=officer_a, address=OWNER_AT_HOME, last_login_at=timezone.now()
    )
    client.force_login(admin)

    listing = client.get("/admin/bmp_comms/knownloginaddress/")
    assert listing.status_code == 200
    assert OWNER_AT_HOME in listing.content.decode()
    response = client.post(
        f"/admin/bmp_comms/knownloginaddress/{known.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not KnownLoginAddress.objects.exists()


NUL_REFUSED = "Không được chứa ký tự null."


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_username_with_a_nul_is_refused_beside_the_field(client, officer_a, url):
    # PostgreSQL cannot compare a string holding NUL: the throttle's look-up of the username's
    # known addresses must not query with it before the form refuses it.
    response = client.post(url, {"username": "xa\x00-a", "password": PASSWORD})
    assert response.status_code == 200
    assert NUL_REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_username_with_a_nul_is_a_400_from_the_token_endpoint(api_client, officer_a):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "xa\u0000-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"username": [NUL_REFUSED]}
