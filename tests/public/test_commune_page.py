"""`/c/<commune code>/` (docs/rules.md#public-channel): the commune's published bulletins,
newest first, 20 a page, each linking to its verification page; no login, no person named,
three queries whatever their number."""

import datetime
import re
from html import unescape

import pytest
from django.test import Client

from bulletins.models import BulletinStatus
from tests.bulletins.conftest import NOW
from tests.public.conftest import PEOPLE, publish_many


def titles(page: str) -> list[str]:
    return [
        unescape(t) for t in re.findall(r'<a href="[^"]*/v/\w+/" class="wrap">([^<]*)</a>', page)
    ]


@pytest.mark.django_db
def test_newest_first_twenty_a_page_each_linking_to_its_page(commune_a, author, client):
    bulletins = publish_many(commune_a, author, 45)

    first = client.get("/c/25267/")
    second = client.get("/c/25267/?page=2")
    third = client.get("/c/25267/?page=3")

    assert first.status_code == second.status_code == third.status_code == 200
    # Published an hour apart, number 45 last: 45 … 26, 25 … 6, 5 … 1.
    assert titles(first.content.decode()) == [f"Bản tin số {n}" for n in range(45, 25, -1)]
    assert titles(second.content.decode()) == [f"Bản tin số {n}" for n in range(25, 5, -1)]
    assert titles(third.content.decode()) == [f"Bản tin số {n}" for n in range(5, 0, -1)]
    page = first.content.decode()
    newest = bulletins[-1]
    assert f'<a href="http://127.0.0.1:8000/v/{newest.verify_code}/" class="wrap">' in page
    assert "Trang 1/3" in page
    assert '<a href="?page=2" rel="next" id="older">' in page
    assert 'rel="prev"' not in page
    assert "Bản tin của UBND xã Phú Nghĩa" in page
    assert (
        '<link rel="alternate" type="application/atom+xml" href="http://127.0.0.1:8000/c/25267/feed.xml">'
        in page
    )


@pytest.mark.django_db
def test_only_published_bulletins_are_listed(through_the_workflow, client):
    published = through_the_workflow(title="Đã đăng")
    for status in (
        BulletinStatus.DRAFT,
        BulletinStatus.SUBMITTED,
        BulletinStatus.APPROVED,
        BulletinStatus.REJECTED,
    ):
        through_the_workflow(until=status, title=f"Tin {status}")
    through_the_workflow(publish_at=NOW + datetime.timedelta(hours=9), title="Tin hẹn giờ")

    page = client.get("/c/25267/").content.decode()

    assert titles(page) == ["Đã đăng"]
    assert published.verify_code in page


@pytest.mark.django_db
def test_no_person_is_named_and_text_is_escaped(through_the_workflow, client):
    through_the_workflow(title="<script>alert(1)</script>", body="Họp <script>x()</script> thôn.")

    page = client.get("/c/25267/").content.decode()

    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for person in PEOPLE:
        assert person not in page


@pytest.mark.django_db
def test_another_communes_bulletins_are_not_listed(commune_a, commune_b, author, client):
    publish_many(commune_b, author, 2)

    page = client.get("/c/25267/").content.decode()

    assert titles(page) == []
    assert "Xã chưa đăng bản tin nào." in page


@pytest.mark.django_db
def test_an_unknown_commune_is_404(client):
    response = client.get("/c/99999/")

    assert response.status_code == 404
    assert "Không có xã nào mang mã này." in response.content.decode()


@pytest.mark.django_db
def test_cacheable_with_etag_and_304(commune_a, author, client):
    publish_many(commune_a, author, 3)
    first = client.get("/c/25267/")

    assert first["Cache-Control"] == "public, max-age=300"
    assert client.get("/c/25267/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A new bulletin is a new version of the page.
    publish_many(commune_a, author, 1, start=NOW + datetime.timedelta(days=1))
    assert client.get("/c/25267/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_three_queries_whatever_the_number(commune_a, author, count, django_assert_num_queries):
    publish_many(commune_a, author, count)
    client = Client()

    # The commune; the count of its published bulletins; the page's rows with their fields.
    with django_assert_num_queries(3):
        response = client.get("/c/25267/")

    assert len(titles(response.content.decode())) == min(count, 20)


@pytest.mark.django_db
def test_a_merged_communes_page_says_into_which_it_merged(
    commune_a, commune_b, author, django_assert_num_queries
):
    publish_many(commune_a, author, 2)
    commune_a.merged_into, commune_a.merged_on = commune_b, datetime.date(2025, 7, 1)
    commune_a.save()
    client = Client()

    # The commune with the one it merged into (one query), the count, the page's rows.
    with django_assert_num_queries(3):
        page = client.get("/c/25267/").content.decode()

    assert "Đã sáp nhập vào" in page and "xã Đa Kia" in page and "01/07/2025" in page
    assert 'href="/c/25231/"' in page
    # Its bulletins stay readable, as its history.
    assert len(titles(page)) == 2
    assert "sáp nhập" not in client.get("/c/25231/").content.decode()
