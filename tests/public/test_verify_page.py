"""`/v/<code>/` (docs/rules.md#public-channel): a published bulletin exactly as it was sent,
with the SHA-256 of the text the groups received; light, cacheable, Vietnamese, no login; and
nothing else is found by a code."""

import base64
import gzip
import hashlib
import json
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from bulletins import sending
from bulletins.channels import channel_connect
from bulletins.models import Bulletin, BulletinStatus
from bulletins.verification import new_verify_code
from groups.models import Platform
from public.throttle import public_cache
from tests.bulletins.conftest import HEALTH_BODY, NOW
from tests.factories import GroupFactory, VillageFactory
from tests.public.conftest import PEOPLE

TOKEN = "123456789:AAF-token-of-phu-nghia"


def text_of(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def path_of(bulletin) -> str:
    return f"/v/{bulletin.verify_code}/"


@pytest.mark.django_db
def test_the_page_shows_the_bulletin_as_sent_and_approved_by_the_commune(published, client):
    response = client.get(path_of(published))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "UBND xã Phú Nghĩa" in page
    assert 'id="commune">Xã Phú Nghĩa<' in page
    assert 'id="field">Y tế, phòng chống dịch bệnh<' in page
    # NOW is 08:00 on 10/08/2021, Asia/Ho_Chi_Minh.
    assert (
        '<time id="published" datetime="2021-08-10T08:00:00+07:00">10/08/2021 08:00</time>' in page
    )
    assert '<h1 id="title" class="wrap">Thông báo tiêm vắc xin Covid-19 mũi 2</h1>' in page
    assert HEALTH_BODY in page
    assert "Nguồn: Trung tâm Y tế huyện Bù Gia Mập" in page
    assert "Được Ủy ban nhân dân xã Phú Nghĩa phê duyệt." in page
    assert "Bản tin chính thức của Ủy ban nhân dân xã Phú Nghĩa" in page


@pytest.mark.django_db
def test_the_fingerprint_is_of_the_text_telegram_received(
    through_the_workflow, commune_a, httpserver, client
):
    village = VillageFactory(commune=commune_a, name="Thôn Phú Tiến")
    GroupFactory(
        village=village,
        platform=Platform.TELEGRAM,
        invite_url="https://t.me/+phutien",
        channel_id="-1001234567890",
    )
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json(
        {"ok": True, "result": {"message_id": 1}}
    )
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        bulletin = through_the_workflow()
        [delivery] = bulletin.deliveries.all()
        assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"

    [(request, _response)] = httpserver.log
    sent = json.loads(request.data)["text"]
    last_line = sent.splitlines()[-1]
    assert last_line == f"Xác thực: http://127.0.0.1:8000/v/{bulletin.verify_code}/"
    page = client.get(last_line.removeprefix("Xác thực: http://127.0.0.1:8000")).content.decode()
    fingerprint = hashlib.sha256(sent.encode("utf-8")).hexdigest()
    assert f'<p class="mono" id="sha256">{fingerprint}</p>' in page
    # The text itself is on the page, escaped, for whoever compares it line by line.
    assert unescape(re.search(r'<pre id="sent-text">(.*?)</pre>', page, re.S)[1]) == sent


@pytest.mark.django_db
def test_the_fingerprint_stays_when_the_commune_is_renamed(published, commune_a, client):
    before = re.search(r'id="sha256">(\w+)<', client.get(path_of(published)).content.decode())[1]
    commune_a.name = "Phú Nghĩa mới"
    commune_a.save()
    public_cache.reset()  # the kept page would otherwise be served for ten minutes more
    cache.clear()

    page = client.get(path_of(published)).content.decode()

    after = re.search(r'id="sha256">(\w+)<', page)[1]
    assert before == after == hashlib.sha256(published.delivered_text.encode()).hexdigest()
    # The text is the one sent, signed with the name the commune had then.
    assert published.delivered_text.endswith(
        f"UBND xã Phú Nghĩa\nXác thực: http://127.0.0.1:8000/v/{published.verify_code}/"
    )
    assert "UBND xã Phú Nghĩa mới" in page


@pytest.mark.django_db
def test_open_graph_tags_name_the_title_the_commune_and_the_page(published, client):
    page = client.get(path_of(published)).content.decode()
    url = f"http://127.0.0.1:8000/v/{published.verify_code}/"

    assert '<meta property="og:title" content="Thông báo tiêm vắc xin Covid-19 mũi 2">' in page
    description = re.search(r'<meta property="og:description" content="([^"]*)">', page)[1]
    assert description.startswith(
        "UBND xã Phú Nghĩa, Y tế, phòng chống dịch bệnh, 10/08/2021 08:00: "
    )
    assert f'<meta property="og:url" content="{url}">' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [
        BulletinStatus.DRAFT,
        BulletinStatus.SUBMITTED,
        BulletinStatus.APPROVED,
        BulletinStatus.REJECTED,
        BulletinStatus.SCHEDULED,
    ],
)
def test_anything_not_published_is_404_even_with_a_code(through_the_workflow, client, status):
    later = NOW.replace(hour=17)
    if status == BulletinStatus.SCHEDULED:
        bulletin = through_the_workflow(publish_at=later)
    else:
        bulletin = through_the_workflow(until=status)
    assert bulletin.status == status
    # Not published, so never given a code: even one put on it by hand finds nothing.
    assert bulletin.verify_code is None
    code = new_verify_code()
    Bulletin.objects.filter(pk=bulletin.pk).update(verify_code=code)

    response = client.get(f"/v/{code}/")

    assert response.status_code == 404
    assert bulletin.title not in response.content.decode()
    assert "Không có bản tin nào mang mã xác thực này" in response.content.decode()


@pytest.mark.django_db
def test_no_person_is_named_and_user_text_is_escaped(through_the_workflow, client):
    bulletin = through_the_workflow(
        title="<script>alert('tiêu đề')</script>",
        body="Họp thôn <script>alert(1)</script> lúc 8 giờ <b>sáng</b>.",
        source="<img src=x onerror=alert(2)>",
    )

    page = client.get(path_of(bulletin)).content.decode()

    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    for person in PEOPLE:
        assert person not in page


@pytest.mark.django_db
def test_light_page_cacheable_with_etag_and_304(published, client, django_assert_max_num_queries):
    path = path_of(published)

    # The bulletin with its commune and field, in one query (at most two allowed).
    with django_assert_max_num_queries(2):
        first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first["Cache-Control"] == "public, max-age=300"
    # Seen again: from the cache, with the same ETag, without the database.
    with django_assert_max_num_queries(0):
        again = client.get(path)
    assert (again.status_code, again["ETag"], again.content) == (200, etag, first.content)
    # A client holding it: 304, no body, the same caching headers.
    with django_assert_max_num_queries(0):
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert (not_modified["ETag"], not_modified["Cache-Control"]) == (etag, "public, max-age=300")
    # Another version held: the page again.
    assert client.get(path, HTTP_IF_NONE_MATCH='"0123"').status_code == 200


@pytest.mark.django_db
def test_the_page_is_light_no_bootstrap_no_script(through_the_workflow, client):
    # The longest bulletin the checks let through: 300 words, sentences of 25, a long title.
    words = ["Người", "dân", "thôn", "ấp", "đến", "trạm", "y", "tế", "xã", "tiêm", "vắc", "xin"]
    body = " ".join(
        " ".join(f"{words[(s + w) % 12]}{s * 25 + w}" for w in range(25)) + "." for s in range(12)
    )
    longest = through_the_workflow(title="Thông báo khẩn về tiêm vắc xin mũi 2 " * 5, body=body)
    response = client.get(path_of(longest))
    page = response.content.decode()

    assert len(longest.body.split()) == 300
    # Small even before compression; the server gzips it further (production's GZipMiddleware).
    assert len(response.content) < 20 * 1024, len(response.content)
    compressed = len(gzip.compress(response.content))
    assert compressed < 20 * 1024, compressed
    assert "<script" not in page
    assert "bootstrap" not in page.lower()
    assert "/static/" not in page  # nothing more to load: the style is inline
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # The inline style is allowed by its hash; no other inline style is.
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_vietnamese_whatever_the_cookie_and_no_login(published, client):
    client.cookies["django_language"] = "en"

    page = client.get(path_of(published), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Được Ủy ban nhân dân xã Phú Nghĩa phê duyệt." in page
    assert "Approved by" not in page


@pytest.mark.django_db
def test_a_code_typed_in_capitals_leads_to_the_page(published):
    response = Client().get(f"/v/{published.verify_code.upper()}/")

    assert response.status_code == 301
    assert response["Location"] == path_of(published)


@pytest.mark.django_db
def test_only_reading_is_allowed(published, client):
    assert client.post(path_of(published)).status_code == 405
    assert client.head(path_of(published)).status_code == 200
