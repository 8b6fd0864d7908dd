"""A post made by hand is confirmed with its link on the group's platform, a picture of it, or
both (docs/rules.md#confirming-a-post): each bad input is a 400 in Vietnamese that saves nothing,
no file included; a kept picture carries no EXIF; `evidence_url` answers the commune's users and
the top unit's roles, and no one else."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bulletins.models import Delivery, DeliveryStatus
from bulletins.publishing import bulletin_publish, delivery_confirm
from tests.bulletins.pictures import phone_photo, picture, png_claiming, upload

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def published(approved, leader_a, groups_a):
    return bulletin_publish(bulletin=approved(), actor=leader_a)


@pytest.fixture
def zalo_delivery(published, groups_a) -> Delivery:
    return published.deliveries.get(group=groups_a["zalo"])


def files_in(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def confirm_url(delivery: Delivery) -> str:
    return f"/api/v1/deliveries/{delivery.pk}/confirm/"


def test_a_picture_alone_confirms_and_its_exif_is_gone(api_as, officer_a, zalo_delivery, media):
    answer = api_as(officer_a).post(
        confirm_url(zalo_delivery), {"evidence": upload(phone_photo())}, format="multipart"
    )

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "confirmed"
    assert body["posted_url"] == ""
    assert (
        body["evidence_url"] == f"http://testserver/api/v1/deliveries/{zalo_delivery.pk}/evidence/"
    )
    [stored] = files_in(media)
    raw = stored.read_bytes()
    assert b"Exif" not in raw and b"PhoneMaker" not in raw
    kept = Image.open(io.BytesIO(raw))
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {}
    assert kept.getexif().get_ifd(0x8825) == {}  # no GPS position
    # Turned upright first: the 64×48 photo with orientation 6 stands 48×64.
    assert kept.size == (48, 64)


def test_a_link_and_a_picture_together(api_as, officer_a, zalo_delivery, media):
    answer = api_as(officer_a).post(
        confirm_url(zalo_delivery),
        {"posted_url": "https://chat.zalo.me/g/abc/1", "evidence": upload(picture("WEBP"))},
        format="multipart",
    )

    assert answer.status_code == 200, answer.content
    zalo_delivery.refresh_from_db()
    assert zalo_delivery.posted_url == "https://chat.zalo.me/g/abc/1"
    assert zalo_delivery.evidence.name.startswith("evidence/")
    assert len(files_in(media)) == 1


def test_a_link_alone_still_confirms_as_json(api_as, officer_a, zalo_delivery, media):
    answer = api_as(officer_a).post(
        confirm_url(zalo_delivery), {"posted_url": "https://zalo.me/g/abc/2"}, format="json"
    )

    assert answer.status_code == 200
    assert answer.json()["evidence_url"] is None
    assert files_in(media) == []


BAD_PICTURES = {
    "not an image": (b"hello, not a picture", "evidence", "không phải là ảnh"),
    "a GIF": (picture("GIF"), "evidence", "không phải là ảnh"),
    "a broken JPEG": (phone_photo()[:200], "evidence", "không phải là ảnh"),
    "over 5 MB": (b"\xff\xd8" + b"0" * (5 * 1024 * 1024), "evidence", "lớn hơn 5 MB"),
    "over 40 megapixels": (png_claiming(8000, 6000), "evidence", "40 megapixel"),
    "Pillow's bomb warning": (png_claiming(10000, 10000), "evidence", "40 megapixel"),
    "a decompression bomb": (png_claiming(100_000, 100_000), "evidence", "40 megapixel"),
}


@pytest.mark.parametrize("case", BAD_PICTURES, ids=list(BAD_PICTURES))
def test_a_bad_picture_is_a_400_that_saves_nothing(api_as, officer_a, zalo_delivery, media, case):
    content, field, words = BAD_PICTURES[case]

    answer = api_as(officer_a).post(
        confirm_url(zalo_delivery), {"evidence": upload(content)}, format="multipart"
    )

    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == [field]
    assert words in answer.json()[field][0]
    zalo_delivery.refresh_from_db()
    assert zalo_delivery.status == DeliveryStatus.AWAITING_CONFIRMATION
    assert not zalo_delivery.evidence
    assert files_in(media) == []


@pytest.mark.parametrize(
    ("group", "link", "platform"),
    [
        ("zalo", "https://www.facebook.com/groups/1/posts/2", "Zalo"),
        ("facebook", "https://zalo.me/g/abc/1", "Facebook"),
        ("facebook", "https://facebook.com.evil.vn/p/1", "Facebook"),
        ("telegram", "https://telegram.org/c/1/2", "Telegram"),
    ],
)
def test_a_link_off_the_groups_platform_is_a_400_naming_it(
    api_as, officer_a, published, groups_a, media, group, link, platform
):
    delivery = published.deliveries.get(group=groups_a[group])

    answer = api_as(officer_a).post(
        confirm_url(delivery),
        {"posted_url": link, "evidence": upload(picture())},
        format="multipart",
    )

    assert answer.status_code == 400
    [message] = answer.json()["posted_url"]
    assert message.startswith(f"Nhóm này ở trên {platform}: hãy nhập liên kết tới bài đăng")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.posted_url, bool(delivery.evidence)) == (
        DeliveryStatus.AWAITING_CONFIRMATION,
        "",
        False,
    )
    assert files_in(media) == []


def test_neither_a_link_nor_a_picture_is_a_400(api_as, officer_a, zalo_delivery, media):
    answer = api_as(officer_a).post(confirm_url(zalo_delivery), {}, format="multipart")

    assert answer.status_code == 400
    assert answer.json() == {
        "posted_url": ["Hãy nhập liên kết tới bài đăng trong nhóm, hoặc gửi ảnh chụp bài đăng."]
    }
    zalo_delivery.refresh_from_db()
    assert zalo_delivery.status == DeliveryStatus.AWAITING_CONFIRMATION


def test_a_picture_for_a_delivery_already_confirmed_leaves_no_file(officer_a, zalo_delivery, media):
    delivery_confirm(delivery=zalo_delivery, actor=officer_a, posted_url="https://zalo.me/g/1")

    with pytest.raises(ValidationError, match="không có gì để xác nhận"):
        delivery_confirm(delivery=zalo_delivery, actor=officer_a, evidence=upload(picture("JPEG")))

    assert files_in(media) == []


@pytest.fixture
def with_evidence(officer_a, zalo_delivery) -> Delivery:
    return delivery_confirm(delivery=zalo_delivery, actor=officer_a, evidence=upload(phone_photo()))


@pytest.mark.scoped
@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("officer_a", 200),
        ("leader_a", 200),
        ("district_staff", 200),
        ("district_leader", 200),
        ("officer_b", 404),
    ],
)
def test_evidence_url_by_session(request, with_evidence, reader, expected):
    client = Client()
    client.force_login(request.getfixturevalue(reader))

    answer = client.get(f"/api/v1/deliveries/{with_evidence.pk}/evidence/")

    assert answer.status_code == expected
    if expected == 200:
        assert answer["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(b"".join(answer.streaming_content))).format == "JPEG"


@pytest.mark.scoped
@pytest.mark.parametrize(
    ("reader", "expected"), [("district_staff", 200), ("officer_a", 200), ("officer_b", 404)]
)
def test_evidence_url_by_token(request, with_evidence, reader, expected):
    token = Token.objects.create(user=request.getfixturevalue(reader))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    answer = client.get(f"/api/v1/deliveries/{with_evidence.pk}/evidence/")

    assert answer.status_code == expected


@pytest.mark.scoped
def test_evidence_url_anonymous_is_401_and_media_does_not_serve_it(with_evidence):
    assert Client().get(f"/api/v1/deliveries/{with_evidence.pk}/evidence/").status_code == 401
    client = Client()
    assert client.get(f"/media/{with_evidence.evidence.name}").status_code == 404


@pytest.mark.scoped
def test_a_delivery_without_a_picture_has_no_evidence(officer_a, zalo_delivery):
    client = Client()
    client.force_login(officer_a)

    assert client.get(f"/api/v1/deliveries/{zalo_delivery.pk}/").json()["evidence_url"] is None
    assert client.get(f"/api/v1/deliveries/{zalo_delivery.pk}/evidence/").status_code == 404
