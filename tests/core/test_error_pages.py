import pytest


@pytest.mark.django_db
def test_other_communes_page_is_a_vietnamese_404(client, officer_a, commune_b):
    client.force_login(officer_a)
    response = client.get(f"/communes/{commune_b.code}/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_refused_write_is_a_vietnamese_403(client, district_leader, commune_a):
    client.force_login(district_leader)
    response = client.get(f"/communes/{commune_a.code}/villages/new/")
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.content.decode()


# Under /api/ every error Django answers itself is JSON in DRF's shape; elsewhere its pages.


@pytest.fixture
def token_view_crashes(monkeypatch):
    from bmp_comms.auth_api_urls import TokenView

    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(TokenView, "post", crash)


@pytest.fixture
def login_page_crashes(monkeypatch):
    from bmp_comms.views import ThrottledLoginView

    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ThrottledLoginView, "get", crash)


@pytest.mark.django_db
def test_a_crash_under_api_is_a_json_500(client, token_view_crashes):
    client.raise_request_exception = False
    response = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Đã xảy ra lỗi máy chủ."}


@pytest.mark.django_db
def test_a_crash_on_a_page_is_still_the_html_500(client, login_page_crashes):
    client.raise_request_exception = False
    response = client.get("/accounts/login/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode().lower()


@pytest.mark.django_db
def test_an_unknown_api_url_is_a_json_404(api_as, officer_a):
    response = api_as(officer_a).get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


@pytest.mark.django_db
def test_an_unknown_page_is_still_the_html_404(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
