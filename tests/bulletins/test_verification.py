"""The verification code and the last line of every delivered text
(docs/rules.md#public-channel): given at publishing, random, unique; `verify_url` in the API
null until then; the text a Zalo group gets, and the one an officer copies, end with it; the
bulletin's page shows its QR code to print."""

import re

import pytest
import segno
from django.db import IntegrityError, transaction
from django.test import override_settings

from bulletins import sending
from bulletins.channels import channel_connect
from bulletins.models import Bulletin, BulletinStatus
from bulletins.publishing import bulletin_publish, bulletins_publish_due
from bulletins.verification import new_verify_code
from tests.bulletins.conftest import NOW, at

pytestmark = pytest.mark.usefixtures("frozen")

CODE = re.compile(r"[a-z2-7]{16}")


def test_publishing_gives_a_random_code_and_the_text_ends_with_its_page(
    approved, leader_a, groups_a
):
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)

    assert CODE.fullmatch(bulletin.verify_code)
    assert str(bulletin.pk) not in bulletin.verify_code
    url = f"http://127.0.0.1:8000/v/{bulletin.verify_code}/"
    assert bulletin.verify_url == url
    lines = bulletin.delivered_text.split("\n")
    assert lines[-2:] == ["UBND xã Phú Nghĩa", f"Xác thực: {url}"]
    assert lines[0] == bulletin.title
    # Every delivery carries that very text.
    assert sending.sent_text(Bulletin.objects.get(pk=bulletin.pk)) == bulletin.delivered_text


def test_codes_are_distinct_and_not_derived_from_anything(approved, leader_a, groups_a):
    codes = {
        bulletin_publish(bulletin=approved(title=f"Tin {n}"), actor=leader_a).verify_code
        for n in range(12)
    }
    assert len(codes) == 12
    # Drawn from the system's random source: 200 draws, all different, all 16 characters.
    drawn = {new_verify_code() for _ in range(200)}
    assert len(drawn) == 200 and all(CODE.fullmatch(code) for code in drawn)


def test_the_database_refuses_a_second_bulletin_with_the_same_code(approved, leader_a, groups_a):
    first = bulletin_publish(bulletin=approved(title="Một"), actor=leader_a)
    second = bulletin_publish(bulletin=approved(title="Hai"), actor=leader_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.filter(pk=second.pk).update(verify_code=first.verify_code)


def test_the_address_follows_public_base_url(approved, leader_a, groups_a):
    with override_settings(PUBLIC_BASE_URL="https://thongtin.bugiamap.gov.vn/"):
        bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)

    assert bulletin.delivered_text.endswith(
        f"\nXác thực: https://thongtin.bugiamap.gov.vn/v/{bulletin.verify_code}/"
    )


def test_a_scheduled_bulletin_gets_its_code_when_beat_publishes_it(
    approved, leader_a, groups_a, frozen
):
    later = NOW.replace(hour=17)
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a, publish_at=later)
    assert (bulletin.status, bulletin.verify_code, bulletin.verify_url) == (
        BulletinStatus.SCHEDULED, None, None,
    )  # fmt: skip

    with at(later):
        assert bulletins_publish_due() == [bulletin.pk]

    bulletin.refresh_from_db()
    assert CODE.fullmatch(bulletin.verify_code)
    assert bulletin.delivered_text.endswith(f"/v/{bulletin.verify_code}/")


def test_verify_url_in_the_api_is_null_until_published(
    approved, leader_a, officer_a, groups_a, api_as
):
    bulletin = approved()
    client = api_as(officer_a)
    assert client.get(f"/api/v1/bulletins/{bulletin.pk}/").json()["verify_url"] is None

    api_as(leader_a).post(f"/api/v1/bulletins/{bulletin.pk}/publish/", {}, format="json")

    bulletin.refresh_from_db()
    row = api_as(officer_a).get("/api/v1/bulletins/").json()["results"][0]
    assert row["verify_url"] == f"http://127.0.0.1:8000/v/{bulletin.verify_code}/"


def test_zalo_groups_get_the_same_text(approved, leader_a, villages_a, commune_a, zalo):
    from tests.factories import GroupFactory

    GroupFactory(village=villages_a[0], platform="zalo", channel_id="g-1")
    channel_connect(
        commune=commune_a,
        platform="zalo",
        credentials={"app_id": "1", "secret_key": "s", "access_token": "a", "refresh_token": "r"},
    )
    zalo.expect_oneshot_request("/v3.0/oa/group/message").respond_with_json({"error": 0})
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)

    [delivery] = bulletin.deliveries.filter(channel="zalo")
    assert sending.delivery_send(delivery_id=delivery.pk).status == "sent"

    [(request, _response)] = zalo.log
    text = request.get_json()["message"]["text"]
    assert text == bulletin.delivered_text
    assert text.endswith(f"\nXác thực: http://127.0.0.1:8000/v/{bulletin.verify_code}/")


def test_the_text_to_copy_by_hand_ends_with_the_page(
    approved, leader_a, officer_a, groups_a, client
):
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    client.force_login(officer_a)

    page = client.get(f"/bulletins/{bulletin.pk}/").content.decode()

    copied = re.search(r'<textarea[^>]*id="delivery-text"[^>]*>(.*?)</textarea>', page, re.S)[1]
    assert copied.endswith(f"Xác thực: http://127.0.0.1:8000/v/{bulletin.verify_code}/")


def test_the_bulletin_page_shows_the_qr_code_and_offers_it_to_download(
    approved, leader_a, officer_a, officer_b, groups_a, client
):
    draft_like = approved(title="Chưa đăng")
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    client.force_login(officer_a)

    page = client.get(f"/bulletins/{bulletin.pk}/").content.decode()

    panel = re.search(r'<div class="verify-qr mb-2" id="verify-qr">(.*?)</div>', page, re.S)[1]
    url = f"http://127.0.0.1:8000/v/{bulletin.verify_code}/"
    assert panel.startswith('<svg width="185" height="185" class="segno">')
    # The QR code of the page's address, nothing else (segno draws the same symbol again).
    assert panel == segno.make(url, error="m").svg_inline(
        scale=5, border=4, title="Mã QR của trang xác thực"
    )
    assert f'href="{url}"' in page
    download = client.get(f"/bulletins/{bulletin.pk}/qr.svg")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/svg+xml"
    assert download["Content-Disposition"] == (
        f'attachment; filename="ban-tin-{bulletin.pk}-qr.svg"'
    )
    assert download.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<svg')
    # No code, no QR: not published yet; another commune's or a visitor's: not found.
    assert 'id="verify-qr"' not in client.get(f"/bulletins/{draft_like.pk}/").content.decode()
    assert client.get(f"/bulletins/{draft_like.pk}/qr.svg").status_code == 404
    client.force_login(officer_b)
    assert client.get(f"/bulletins/{bulletin.pk}/qr.svg").status_code == 404
    client.logout()
    assert client.get(f"/bulletins/{bulletin.pk}/qr.svg").status_code == 302
