"""The channels page: a leader connects a bot or an OA and sees its last error."""

import pytest
from django.test import Client
from django.urls import reverse

from bulletins.models import Channel


def client_as(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_leader_connects_a_bot_on_the_page(leader_a, commune_a):
    url = reverse("channel-list", args=[commune_a.code])
    client = client_as(leader_a)
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {"platform": "telegram", "telegram-bot_token": "123:abc", "telegram-active": "on"},
    )

    assert response.status_code == 302
    channel = Channel.objects.get()
    assert (channel.platform, channel.active, channel.credentials) == (
        "telegram",
        True,
        {"bot_token": "123:abc"},
    )


@pytest.mark.django_db
def test_a_missing_key_is_shown_and_nothing_saved(leader_a, commune_a):
    response = client_as(leader_a).post(
        reverse("channel-list", args=[commune_a.code]),
        {"platform": "zalo", "zalo-app_id": "1", "zalo-secret_key": "s"},
    )

    assert response.status_code == 400
    assert "Thông tin kết nối còn thiếu: access_token, refresh_token." in response.content.decode()
    assert not Channel.objects.exists()


@pytest.mark.django_db
def test_the_last_error_is_shown(leader_a, commune_a):
    from bulletins.channels import channel_connect

    channel = channel_connect(
        commune=commune_a, platform="telegram", credentials={"bot_token": "1:x"}
    )
    Channel.objects.filter(pk=channel.pk).update(last_error="Telegram từ chối mã bot (401)")

    html = client_as(leader_a).get(reverse("channel-list", args=[commune_a.code])).content
    assert "Telegram từ chối mã bot (401)" in html.decode()


@pytest.mark.django_db
def test_officers_and_the_district_leader_may_not(officer_a, district_leader, commune_a, officer_b):
    url = reverse("channel-list", args=[commune_a.code])
    assert client_as(officer_a).get(url).status_code == 403
    assert client_as(district_leader).get(url).status_code == 403
    assert client_as(officer_b).get(url).status_code == 404
