"""The top unit's notification bot on /api/v1/channels/ (docs/rules.md#notification-bot): a
channel with `commune` empty, Telegram or Zalo Bot, connected by the district staff only;
its token as write-only as any channel's."""

import pytest
from django.test import Client
from django.urls import reverse

from bulletins.models import Channel

pytestmark = pytest.mark.django_db

TOKEN = "7000000001:AAH-notification-bot-secret-token"


def connect(client, platform="telegram", commune=None, token=TOKEN):
    return client.post(
        "/api/v1/channels/",
        {"commune": commune, "platform": platform, "credentials": {"bot_token": token}},
        format="json",
    )


@pytest.mark.parametrize("platform", ["telegram", "zalo_bot"])
def test_district_staff_connect_the_units_bot_without_a_commune(
    api_as, district_staff, district, platform
):
    client = api_as(district_staff)

    response = connect(client, platform)

    assert response.status_code == 201
    channel = Channel.objects.get()
    assert response.json() == {
        "id": channel.pk,
        "commune": None,
        "platform": platform,
        "active": True,
        "last_error": "",
    }
    assert (channel.commune, channel.district) == (None, district)
    assert channel.is_notification_bot
    listed = client.get("/api/v1/channels/")
    assert [row["id"] for row in listed.json()["results"]] == [channel.pk]
    assert TOKEN not in listed.content.decode() + response.content.decode()


def test_leaving_the_commune_out_is_the_same_as_empty(api_as, district_staff):
    response = api_as(district_staff).post(
        "/api/v1/channels/",
        {"platform": "telegram", "credentials": {"bot_token": TOKEN}},
        format="json",
    )

    assert response.status_code == 201
    assert Channel.objects.get().commune is None


def test_a_commune_leader_cannot_connect_one_without_a_commune(api_as, leader_a):
    response = connect(api_as(leader_a))

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Chỉ cán bộ Phòng Văn hóa – Thông tin mới kết nối được bot thông báo; hãy "
        "chọn một xã."
    }
    assert not Channel.objects.exists()


@pytest.mark.parametrize("user", ["officer_a", "district_leader"])
def test_other_roles_cannot_connect_one(client_for, user):
    assert connect(client_for(user)).status_code == 403
    assert not Channel.objects.exists()


def test_zalo_bot_is_not_a_communes_channel(api_as, leader_a, commune_a):
    response = connect(api_as(leader_a), "zalo_bot", commune=commune_a.pk)

    assert response.status_code == 400
    assert response.json() == {
        "platform": ["Zalo Bot chỉ dùng làm bot thông báo của cả đơn vị: hãy để trống xã."]
    }
    assert not Channel.objects.exists()


def test_zalo_oa_is_not_a_notification_bot(api_as, district_staff):
    response = api_as(district_staff).post(
        "/api/v1/channels/",
        {
            "commune": None,
            "platform": "zalo",
            "credentials": {
                "app_id": "1",
                "secret_key": "s",
                "access_token": "a",
                "refresh_token": "r",
            },
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "platform": ["Bot thông báo chỉ có thể là bot Telegram hoặc Zalo Bot."]
    }
    assert not Channel.objects.exists()


def test_one_bot_per_platform_per_unit(api_as, district_staff):
    client = api_as(district_staff)
    connect(client)

    response = connect(client, token="7000000002:AAH-another-token")

    assert response.status_code == 400
    assert response.json() == {"platform": ["Đã có bot thông báo trên nền tảng này."]}
    assert Channel.objects.count() == 1


def test_a_malformed_zalo_bot_token_is_a_400_without_its_text(api_as, district_staff):
    response = connect(api_as(district_staff), "zalo_bot", token="not a token at all")

    assert response.status_code == 400
    assert response.json() == {
        "credentials": ["Đây không phải mã Zalo Bot (chữ số, dấu hai chấm, rồi chữ cái)."]
    }


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("leader_a", 404),
        ("officer_b", 403),
        ("district_leader", 403),
        ("other_district_staff", 404),
        ("district_staff", 200),
    ],
)
def test_only_the_units_staff_see_and_change_the_bot(
    client_for, district_staff, api_as, user, expected
):
    pk = connect(api_as(district_staff)).json()["id"]

    client = client_for(user)
    read = client.get(f"/api/v1/channels/{pk}/")
    write = client.patch(f"/api/v1/channels/{pk}/", {"active": False}, format="json")

    assert (read.status_code, write.status_code) == (expected, expected)
    assert Channel.objects.get().active is (expected != 200)


def test_another_communes_leader_finds_no_channel_of_a(api_as, leader_a, district_staff, commune_b):
    pk = connect(api_as(district_staff), commune=commune_b.pk).json()["id"]

    assert api_as(leader_a).get(f"/api/v1/channels/{pk}/").status_code == 404
    assert api_as(leader_a).get("/api/v1/channels/").json()["results"] == []


def test_the_units_bot_is_no_communes_and_counts_no_group(
    api_as, district_staff, leader_a, commune_a
):
    connect(api_as(district_staff))

    # The commune's page of channels shows its own two platforms only, none connected.
    page = Client()
    page.force_login(leader_a)
    html = page.get(reverse("channel-list", args=[commune_a.code])).content.decode()
    assert 'id="channel-telegram"' in html and 'id="channel-zalo"' in html
    assert "channel-zalo_bot" not in html
    assert html.count("Chưa kết nối.") == 2
