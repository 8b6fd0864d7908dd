"""The layout every page shares: language, menu by role, logout, messages, no inline code."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD
from tests.pages import text_of


def nav_links(response) -> str:
    return text_of(response, "main-nav")


@pytest.mark.django_db
def test_pages_are_vietnamese_whatever_the_browser_asks(client_as, officer_a):
    response = client_as(officer_a).get(
        reverse("officer-list", args=["25267"]), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )

    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Cán bộ xã Phú Nghĩa" in html
    assert "Đăng xuất" in html


@pytest.mark.django_db
def test_the_language_switcher_posts_to_set_language_and_english_sticks(client_as, officer_a):
    client = client_as(officer_a)
    page = reverse("officer-list", args=["25267"])
    html = client.get(page).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html

    response = client.post(reverse("set_language"), {"language": "en", "next": page})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(page).content.decode()
    assert '<html lang="en">' in html
    assert "Officers of Phú Nghĩa" in html
    assert "Log out" in html


@pytest.mark.django_db
def test_commune_users_menu_leads_to_their_commune(client_as, officer_a):
    response = client_as(officer_a).get(reverse("officer-list", args=["25267"]))

    html = response.content.decode()
    assert f'href="{reverse("commune-detail", args=["25267"])}"' in html
    assert f'href="{reverse("officer-list", args=["25267"])}"' in html
    assert f'href="{reverse("group-create")}"' in html
    assert f'href="{reverse("dashboard")}"' not in html
    assert f'href="{reverse("user-list")}"' not in html
    assert "Xã Phú Nghĩa" in nav_links(response)


@pytest.mark.django_db
def test_district_staff_menu_has_dashboard_users_and_communes(client_as, district_staff):
    response = client_as(district_staff).get(reverse("user-list"))

    html = response.content.decode()
    for name in ("dashboard", "group-create", "user-list", "commune-create"):
        assert f'href="{reverse(name)}"' in html


@pytest.mark.django_db
def test_district_leader_menu_has_the_dashboard_only(client_as, district_leader, commune_a):
    response = client_as(district_leader).get(reverse("officer-list", args=["25267"]))

    html = response.content.decode()
    assert f'href="{reverse("dashboard")}"' in html
    assert f'href="{reverse("user-list")}"' not in html
    assert f'href="{reverse("group-create")}"' not in html


@pytest.mark.django_db
def test_the_menu_names_the_user_and_role(client_as, leader_a):
    response = client_as(leader_a).get(reverse("officer-list", args=["25267"]))

    shown = text_of(response, "current-user")
    assert leader_a.first_name in shown
    assert "Lãnh đạo UBND xã" in shown


@pytest.mark.django_db
def test_logout_is_a_post_form(client_as, officer_a):
    client = client_as(officer_a)
    html = client.get(reverse("officer-list", args=["25267"])).content.decode()
    assert re.search(
        rf'<form class="logout-form" action="{reverse("logout")}" method="post">', html
    )
    assert client.get(reverse("logout")).status_code == 405

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("group-create")).status_code == 302  # logged out: to the login page


@pytest.mark.django_db
def test_success_message_is_shown_as_an_alert(client_as, officer_a):
    response = client_as(officer_a).post(
        reverse("officer-create", args=["25267"]), {"full_name": "Đỗ Văn Hải"}, follow=True
    )

    html = response.content.decode()
    assert 'class="alert alert-success alert-dismissible fade show" role="alert"' in html
    assert "Đã thêm cán bộ Đỗ Văn Hải." in html


PAGES_OF_ALL_KINDS = [
    lambda o: reverse("login"),
    lambda o: reverse("group-create"),
    lambda o: reverse("officer-list", args=["25267"]),
    lambda o: reverse("officer-edit", args=[o["officer"].pk]),
    lambda o: reverse("user-create"),
    lambda o: reverse("user-list"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES_OF_ALL_KINDS)
def test_no_inline_script_style_or_handler(
    client_as, district_staff, staff_officer_a, village_a, url
):
    """The content security policy forbids them; a page that used one would break."""
    response = client_as(district_staff).get(url({"officer": staff_officer_a}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


@pytest.mark.django_db
def test_login_page_is_vietnamese_and_logs_in(client, officer_a):
    page = client.get(reverse("login"))
    html = page.content.decode()
    assert "Tên đăng nhập" in html and "Mật khẩu" in html and "Đăng nhập" in html

    response = client.post(reverse("login"), {"username": "xa-a", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_wrong_password_is_told_in_vietnamese(client, officer_a):
    response = client.post(reverse("login"), {"username": "xa-a", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
