"""/api/v1/channels/: credentials are write-only, complete, and encrypted at rest."""

import pytest

from bulletins.models import Channel

TOKEN = "123456789:AAF-secret-bot-token-of-phu-nghia"
ZALO = {
    "app_id": "4242",
    "secret_key": "zalo-secret-key-phu-nghia",
    "access_token": "zalo-access-token-phu-nghia",
    "refresh_token": "zalo-refresh-token-phu-nghia",
}


def connect(client, commune, platform="telegram", credentials=None):
    return client.post(
        "/api/v1/channels/",
        {
            "commune": commune.pk,
            "platform": platform,
            "credentials": {"bot_token": TOKEN} if credentials is None else credentials,
        },
        format="json",
    )


@pytest.mark.django_db
def test_a_leader_connects_a_bot_and_never_sees_the_token_again(api_as, leader_a, commune_a):
    client = api_as(leader_a)

    response = connect(client, commune_a)

    assert response.status_code == 201
    channel = Channel.objects.get()
    assert response.json() == {
        "id": channel.pk,
        "commune": commune_a.pk,
        "platform": "telegram",
        "active": True,
        "last_error": "",
    }
    assert channel.credentials == {"bot_token": TOKEN}
    assert TOKEN not in channel.credentials_encrypted
    for url in ("/api/v1/channels/", f"/api/v1/channels/{channel.pk}/"):
        assert TOKEN not in client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("platform", "credentials", "missing"),
    [
        ("telegram", {}, "bot_token"),
        ("telegram", {"bot_token": "  "}, "bot_token"),
        ("zalo", {**ZALO, "refresh_token": ""}, "refresh_token"),
        ("zalo", {"app_id": "1", "access_token": "a"}, "secret_key, refresh_token"),
    ],
)
def test_credentials_missing_a_key_are_400_naming_it(
    api_as, district_staff, commune_a, platform, credentials, missing
):
    response = connect(api_as(district_staff), commune_a, platform, credentials)

    assert response.status_code == 400
    assert response.json() == {"credentials": [f"Thông tin kết nối còn thiếu: {missing}."]}
    assert not Channel.objects.exists()


@pytest.mark.django_db
def test_no_credentials_at_all_is_400(api_as, leader_a, commune_a):
    response = api_as(leader_a).post(
        "/api/v1/channels/", {"commune": commune_a.pk, "platform": "zalo"}, format="json"
    )
    assert response.json() == {"credentials": ["Hãy nhập thông tin kết nối."]}


@pytest.mark.django_db
def test_a_malformed_bot_token_is_refused_without_echoing_it(api_as, leader_a, commune_a):
    response = connect(api_as(leader_a), commune_a, credentials={"bot_token": "not a token"})

    assert response.status_code == 400
    assert "not a token" not in response.content.decode()


@pytest.mark.django_db
def test_one_channel_per_platform(api_as, leader_a, commune_a):
    client = api_as(leader_a)
    connect(client, commune_a)

    response = connect(client, commune_a)

    assert response.status_code == 400
    assert response.json() == {"platform": ["Xã đã có kênh gửi tin trên mạng xã hội này."]}


@pytest.mark.django_db
def test_new_credentials_replace_the_old_and_clear_the_error(api_as, leader_a, commune_a):
    client = api_as(leader_a)
    pk = connect(client, commune_a, "zalo", ZALO).json()["id"]
    Channel.objects.filter(pk=pk).update(last_error="Zalo từ chối")

    response = client.patch(
        f"/api/v1/channels/{pk}/",
        {"credentials": {**ZALO, "access_token": "new-access"}, "active": False},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["last_error"] == ""
    channel = Channel.objects.get()
    assert (channel.active, channel.credentials["access_token"]) == (False, "new-access")
    assert "new-access" not in response.content.decode()
