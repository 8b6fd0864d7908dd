"""The bulletin's page confirms a post in its row (docs/rules.md#confirming-a-post): with htmx
the row answers alone (confirmed, or the refusal in the row with the typed link kept); without
JavaScript a plain POST redirects back to the row, or shows the page again with the reason in
the row. Nothing is saved on a refusal, no file either."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from bulletins.models import Delivery, DeliveryStatus
from bulletins.publishing import bulletin_publish
from tests.bulletins.pictures import phone_photo, png_claiming, upload

pytestmark = [pytest.mark.usefixtures("frozen"), pytest.mark.scoped]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def delivery(approved, leader_a, groups_a) -> Delivery:
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    return bulletin.deliveries.get(group=groups_a["facebook"])


@pytest.fixture
def officer(officer_a) -> Client:
    client = Client()
    client.force_login(officer_a)
    return client


def url(delivery: Delivery) -> str:
    return reverse("delivery-confirm", args=[delivery.pk])


def test_the_page_offers_copy_open_group_and_a_picture(officer, delivery):
    page = officer.get(reverse("bulletin-detail", args=[delivery.bulletin_id])).content.decode()

    assert 'id="copy-text"' in page and 'data-copy="#delivery-text"' in page
    assert "/static/js/confirm.js" in page
    assert "<script>" not in page  # the content security policy: no inline script
    assert f'id="delivery-{delivery.pk}"' in page
    assert f'href="{delivery.group.invite_url}" target="_blank" rel="noopener"' in page
    assert "Mở nhóm" in page
    assert f'hx-target="#delivery-{delivery.pk}"' in page
    assert 'hx-swap="outerHTML"' in page and 'hx-encoding="multipart/form-data"' in page
    assert 'type="file" name="evidence"' in page and 'accept="image/*"' in page


def test_htmx_confirmation_answers_the_row_with_its_thumbnail(officer, delivery, media):
    answer = officer.post(url(delivery), {"evidence": upload(phone_photo())}, **HTMX)

    assert answer.status_code == 200
    row = answer.content.decode().strip()
    assert row.startswith(f'<li class="list-group-item delivery-row" id="delivery-{delivery.pk}"')
    assert "<html" not in row
    assert "Đã xác nhận" in row
    assert f'src="/api/v1/deliveries/{delivery.pk}/evidence/"' in row
    assert "confirm-form" not in row
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CONFIRMED
    assert officer.get(f"/api/v1/deliveries/{delivery.pk}/evidence/").status_code == 200


def test_htmx_refusal_stays_in_the_row_with_the_link_kept(officer, delivery, media):
    answer = officer.post(
        url(delivery),
        {"posted_url": "https://zalo.me/g/wrong", "evidence": upload(png_claiming(9000, 9000))},
        **HTMX,
    )

    assert answer.status_code == 400
    row = answer.content.decode()
    assert f'id="delivery-{delivery.pk}"' in row and "<html" not in row
    assert "Nhóm này ở trên Facebook" in row
    assert "40 megapixel" in row
    assert 'value="https://zalo.me/g/wrong"' in row
    delivery.refresh_from_db()
    assert (delivery.status, bool(delivery.evidence)) == (
        DeliveryStatus.AWAITING_CONFIRMATION,
        False,
    )
    assert [path for path in media.rglob("*") if path.is_file()] == []


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"posted_url": "https://t.me/c/1/2"},
        {"evidence": ("not a picture", b"%PDF-1.4")},
    ],
    ids=["neither", "another platform", "not a picture"],
)
def test_without_javascript_a_refusal_shows_the_page_with_the_row(officer, delivery, media, data):
    if "evidence" in data:
        _, content = data["evidence"]
        data = {"evidence": upload(content, name="post.pdf", content_type="application/pdf")}

    answer = officer.post(url(delivery), data)

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "<html" in page and "confirm-error" in page
    if "posted_url" in data:
        assert f'value="{data["posted_url"]}"' in page
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.AWAITING_CONFIRMATION
    assert [path for path in media.rglob("*") if path.is_file()] == []


def test_without_javascript_a_confirmation_goes_back_to_the_row(officer, delivery):
    answer = officer.post(url(delivery), {"posted_url": "https://m.facebook.com/groups/1/2"})

    assert answer.status_code == 302
    assert answer["Location"] == (
        f"{reverse('bulletin-detail', args=[delivery.bulletin_id])}#delivery-{delivery.pk}"
    )


def test_another_communes_officer_gets_404(officer_b, delivery):
    client = Client()
    client.force_login(officer_b)

    answer = client.post(url(delivery), {"posted_url": "https://facebook.com/p/1"}, **HTMX)

    assert answer.status_code == 404


def test_anonymous_is_sent_to_log_in(delivery):
    answer = Client().post(url(delivery), {"posted_url": "https://facebook.com/p/1"})

    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
