"""`POST /api/v1/auth/token/` {username, password} → {token}; token and session both work."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


@pytest.mark.django_db
def test_token_round_trip(officer_a, rows_a):
    client = APIClient()

    response = client.post(TOKEN_URL, {"username": "xa-a", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=officer_a).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/villages/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [rows_a.village.pk]
    # A write with the token needs no CSRF cookie.
    response = client.patch(
        f"/api/v1/villages/{rows_a.village.pk}/", {"households": 320}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["households"] == 320
    # Asking again gives the same token.
    again = APIClient().post(TOKEN_URL, {"username": "xa-a", "password": PASSWORD}, format="json")
    assert again.json() == {"token": token}


@pytest.mark.django_db
def test_wrong_password_is_400_in_vietnamese(officer_a):
    response = APIClient().post(
        TOKEN_URL, {"username": "xa-a", "password": "sai-mat-khau"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Không thể đăng nhập với thông tin đã cung cấp."]
    }
    assert not Token.objects.exists()


@pytest.mark.django_db
def test_missing_password_names_the_field(officer_a):
    response = APIClient().post(TOKEN_URL, {"username": "xa-a"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["Trường này là bắt buộc."]}


@pytest.mark.django_db
def test_bad_token_is_401(rows_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token khong-co-that")
    response = client.get("/api/v1/villages/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Token không hợp lệ."}


@pytest.mark.django_db
def test_session_auth_works_and_writes_need_csrf(officer_a, rows_a):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="xa-a", password=PASSWORD)
    assert client.get(f"/api/v1/villages/{rows_a.village.pk}/").status_code == 200
    response = client.patch(
        f"/api/v1/villages/{rows_a.village.pk}/", {"households": 1}, format="json"
    )
    assert response.status_code == 403
    rows_a.village.refresh_from_db()
    assert rows_a.village.households == 300


@pytest.mark.django_db
def test_token_endpoint_ignores_a_stale_session(officer_a):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="xa-a", password=PASSWORD)
    response = client.post(TOKEN_URL, {"username": "xa-a", "password": PASSWORD}, format="json")
    assert response.status_code == 200


@pytest.mark.django_db
def test_token_requests_are_throttled_by_the_login_scope(officer_a, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "3/min"})
    cache.clear()
    client = APIClient()
    statuses = [
        client.post(TOKEN_URL, {"username": "xa-a", "password": "sai"}, format="json").status_code
        for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
    response = client.post(TOKEN_URL, {"username": "xa-a", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Yêu cầu bị giới hạn do gửi quá nhiều lần.")
    cache.clear()
