from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import formats, translation


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


@pytest.mark.parametrize(
    ("language", "thousands", "decimals", "written"),
    [("vi", ".", ",", "21.814 · 65,3"), ("en", ",", ".", "21,814 · 65.3")],
)
def test_numbers_are_grouped_as_each_language_writes_them(language, thousands, decimals, written):
    with translation.override(language):
        assert settings.USE_THOUSAND_SEPARATOR
        assert formats.get_format("NUMBER_GROUPING") == 3
        assert formats.get_format("THOUSAND_SEPARATOR") == thousands
        assert formats.get_format("DECIMAL_SEPARATOR") == decimals
        assert f"{formats.localize(21814)} · {formats.localize(Decimal('65.3'))}" == written


def test_bmp_comms_formats_add_to_djangos_own():
    # Only the numbers are ours: the rest of each language's formats are still Django's, and
    # dates are typed dd/mm/yyyy in Vietnamese (settings.DATE_INPUT_FORMATS).
    with translation.override("vi"):
        assert formats.get_format("DATE_FORMAT") == r"\N\gà\y d \t\há\n\g n \nă\m Y"
        assert formats.get_format("DATE_INPUT_FORMATS")[:2] == ["%d/%m/%Y", "%Y-%m-%d"]
    with translation.override("en"):
        assert formats.get_format("SHORT_DATE_FORMAT") == "m/d/Y"
