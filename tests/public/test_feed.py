"""`/c/<commune code>/feed.xml` (docs/rules.md#public-channel): the commune's published bulletins
as a valid Atom feed, parsed here by feedparser; entries link to their verification pages."""

import datetime

import feedparser
import pytest
from django.test import Client

from tests.bulletins.conftest import NOW
from tests.public.conftest import PEOPLE, publish_many


@pytest.mark.django_db
def test_a_valid_atom_feed_whose_entries_link_to_their_pages(commune_a, author, client):
    bulletins = publish_many(commune_a, author, 25)

    response = client.get("/c/25267/feed.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Bản tin của UBND xã Phú Nghĩa"
    assert feed.feed.link == "http://127.0.0.1:8000/c/25267/"
    assert feed.feed.author == "UBND xã Phú Nghĩa"
    # The newest twenty, newest first, each its own page.
    newest = list(reversed(bulletins))[:20]
    assert [entry.title for entry in feed.entries] == [b.title for b in newest]
    assert [entry.link for entry in feed.entries] == [
        f"http://127.0.0.1:8000/v/{b.verify_code}/" for b in newest
    ]
    assert [entry.id for entry in feed.entries] == [entry.link for entry in feed.entries]
    first = feed.entries[0]
    assert datetime.datetime(*first.published_parsed[:6], tzinfo=datetime.UTC) == newest[
        0
    ].published_at.astimezone(datetime.UTC)
    assert first.tags[0].term in ("Y tế, phòng chống dịch bệnh", "Nông nghiệp")
    # Each link is the page itself.
    path = first.link.removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == 200


@pytest.mark.django_db
def test_the_feed_names_no_person_and_escapes_text(through_the_workflow, client):
    through_the_workflow(
        title="Họp <script>alert(1)</script>", body="Lúc 8 giờ <script>steal()</script>."
    )

    response = client.get("/c/25267/feed.xml")
    feed = feedparser.parse(response.content)

    assert feed.bozo == 0
    [entry] = feed.entries
    assert entry.title == "Họp <script>alert(1)</script>"  # Atom text, shown as text
    # The summary is HTML: the body's markup arrives as text, not as a tag.
    assert "&lt;script&gt;steal()&lt;/script&gt;" in entry.summary
    assert "Nguồn: Trung tâm Y tế huyện Bù Gia Mập" in entry.summary
    body = response.content.decode()
    for person in PEOPLE:
        assert person not in body


@pytest.mark.django_db
def test_an_empty_feed_is_valid_and_an_unknown_commune_404(commune_a, client):
    feed = feedparser.parse(client.get("/c/25267/feed.xml").content)

    assert (feed.bozo, feed.version, feed.entries) == (0, "atom10", [])
    assert client.get("/c/99999/feed.xml").status_code == 404


@pytest.mark.django_db
def test_cacheable_with_etag_and_304(commune_a, author, client):
    publish_many(commune_a, author, 2)
    first = client.get("/c/25267/feed.xml")

    assert first["Cache-Control"] == "public, max-age=300"
    assert client.get("/c/25267/feed.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_two_queries_whatever_the_number(commune_a, author, count, django_assert_num_queries):
    publish_many(commune_a, author, count, start=NOW)
    client = Client()

    # The commune; its newest published bulletins with their fields.
    with django_assert_num_queries(2):
        response = client.get("/c/25267/feed.xml")

    assert len(feedparser.parse(response.content).entries) == min(count, 20)
