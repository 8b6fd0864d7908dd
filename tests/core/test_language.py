import pytest
from django.conf import settings
from django.utils import translation


@pytest.mark.django_db
def test_vietnamese_by_default_whatever_the_browser_says(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_language_cookie_picks_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.headers["Content-Language"] == "en"


def test_catalogue_translates_core_messages():
    with translation.override("vi"):
        assert translation.gettext("The date cannot be in the future.") == (
            "Ngày không được ở tương lai."
        )
