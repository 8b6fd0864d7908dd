"""The notices' pages (docs/rules.md#notifications): /notifications/ lists every kind, newest
first, unread ones marked, with "mark as read" and "mark all as read"; the bell on every page
counts the unread in one query and polls its own partial, which answers in three."""

import datetime
import re

import pytest

from notifications.models import Notification
from notifications.services import notifications_create
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def notice(user, n: int, kind: str, *, minutes: int, url: str = "") -> Notification:
    (pk,) = notifications_create(
        recipients=[user],
        kind=kind,
        event=f"test:{n}",
        subject="",
        text=f"Thông báo số {n}",
        url=url,
        email=False,
    )
    Notification.objects.filter(pk=pk).update(created_at=NOW + datetime.timedelta(minutes=minutes))
    return Notification.objects.get(pk=pk)


@pytest.fixture
def mine(officer_a):
    return [
        notice(officer_a, 1, "before_3", minutes=0, url="/deadlines/1/submit/"),
        notice(officer_a, 2, "bulletin_rejected", minutes=5, url="/bulletins/2/"),
        notice(officer_a, 3, "posts_waiting", minutes=10, url="/bulletins/"),
    ]


def test_the_list_shows_every_kind_newest_first_and_marks_the_unread(client_as, officer_a, mine):
    Notification.objects.filter(pk=mine[0].pk).update(read_at=NOW)

    response = client_as(officer_a).get("/notifications/")

    html = response.content.decode()
    kinds = re.findall(r'data-read="(\d)" data-kind="(\w+)"', html)
    assert kinds == [("0", "posts_waiting"), ("0", "bulletin_rejected"), ("1", "before_3")]
    page = text(response)
    assert "2 chưa đọc" in page
    assert "10/08/2021 08:10 · Bài đăng đang chờ xác nhận · chưa đọc Thông báo số 3" in page
    assert "10/08/2021 08:00 · 3 ngày trước hạn Thông báo số 1" in page
    assert '<a class="text-break" href="/bulletins/2/">Thông báo số 2</a>' in html
    assert f'action="/notifications/{mine[1].pk}/read/"' in html
    assert f'action="/notifications/{mine[0].pk}/read/"' not in html  # read already
    assert 'id="notification-count">2<' in html
    assert 'id="read-all"' in html


def test_marking_one_then_all_read(client_as, officer_a, mine):
    client = client_as(officer_a)

    response = client.post(f"/notifications/{mine[2].pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert 'id="notification-count">2<' in client.get("/bulletins/").content.decode()
    unread = client.get("/notifications/?unread=1").content.decode()
    assert re.findall(r'data-kind="(\w+)"', unread) == ["bulletin_rejected", "before_3"]

    client.post("/notifications/read-all/")

    assert 'id="notification-count"' not in client.get("/bulletins/").content.decode()
    assert not Notification.objects.filter(user=officer_a, read_at=None).exists()
    assert 'id="read-all"' not in client.get("/notifications/").content.decode()
    assert client.get("/notifications/read-all/").status_code == 405


def test_read_goes_back_to_the_page_it_came_from_on_this_site_only(client_as, officer_a, mine):
    client = client_as(officer_a)
    back = client.post(f"/notifications/{mine[0].pk}/read/", {"next": "/deadlines/"})
    assert back["Location"] == "/deadlines/"
    away = client.post(f"/notifications/{mine[1].pk}/read/", {"next": "https://evil.example/"})
    assert away["Location"] == "/notifications/"


def test_another_persons_notice_is_404(client_as, officer_a, officer_b, mine):
    assert client_as(officer_b).post(f"/notifications/{mine[0].pk}/read/").status_code == 404
    client_as(officer_b).post("/notifications/read-all/")
    assert Notification.objects.filter(user=officer_a, read_at=None).count() == 3


def test_the_bell_polls_its_own_count(client_as, officer_a, mine, django_assert_num_queries):
    client = client_as(officer_a)
    page = client.get("/bulletins/").content.decode()
    assert 'data-poll="/notifications/bell/" data-poll-seconds="30"' in page
    # static/js/app.js asks for it; htmx is not loaded for the bell (17 KiB on every page)
    assert '<script src="/static/js/app.js"></script>' in page
    assert "htmx.min.js" not in page

    # the session, its user, the count (no profile, no menu: the bell alone)
    with django_assert_num_queries(3):
        response = client.get("/notifications/bell/")

    bell = response.content.decode()
    assert bell.startswith('<a class="nav-link')
    assert 'id="notification-count">3<' in bell
    assert 'data-poll-seconds="30"' in bell
    assert "3 thông báo chưa đọc" in bell
    assert response["Cache-Control"].startswith("max-age=0")

    notice(officer_a, 4, "bulletin_published", minutes=20)
    assert 'id="notification-count">4<' in client.get("/notifications/bell/").content.decode()


def test_a_visitor_whose_session_ended_stops_the_polling(client_as):
    response = client_as(None).get("/notifications/bell/")
    # the poll (static/js/app.js) stops on 286; nothing is swapped in (not the login page).
    assert (response.status_code, response.content) == (286, b"")


def test_the_poll_interval_is_a_setting(client_as, officer_a, settings):
    settings.NOTIFICATION_BELL_POLL_SECONDS = 2
    assert (
        'data-poll-seconds="2"' in client_as(officer_a).get("/notifications/bell/").content.decode()
    )


@pytest.mark.parametrize("size", [3, 120])
def test_the_list_costs_the_same_queries_at_any_size(
    client_as, officer_a, django_assert_num_queries, size
):
    for n in range(size):
        notice(officer_a, n, "overdue", minutes=n)
    client = client_as(officer_a)
    # session, user, profile, the count for the page, the page, the unread ones (the bell's
    # too), the menu (their commune)
    with django_assert_num_queries(7):
        response = client.get("/notifications/")
    assert response.content.decode().count('data-kind="overdue"') == min(size, 50)
