"""Bulletins of commune A for the fixed cast: the officer of A answers for health (y-te), its
villages and groups, and a helper that writes a bulletin through the services."""

import datetime
import socket
import zoneinfo

import pytest
import time_machine
from django.test import override_settings
from werkzeug import Response
from werkzeug.serving import WSGIRequestHandler

from bulletins import services
from communes.models import FieldAssignment
from groups.models import Platform
from tests.factories import GroupFactory, VillageFactory

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# A morning of the dispatch's month, local time.
NOW = datetime.datetime(2021, 8, 10, 8, 0, tzinfo=LOCAL)

HEALTH_BODY = (
    "Trạm Y tế xã Phú Nghĩa tổ chức tiêm vắc xin phòng Covid-19 mũi 2 cho người từ 18 tuổi "
    "trở lên vào ngày 12/8/2021. Thời gian từ 7 giờ 30 đến 16 giờ tại Hội trường UBND xã. "
    "Người dân mang theo căn cước công dân và giấy mời."
)
OTHER_HEALTH_BODY = (
    "Trạm Y tế xã tiêm mũi 1 vắc xin phòng Covid-19 cho người từ 65 tuổi trở lên và người có "
    "bệnh nền vào sáng thứ Bảy 14/8/2021. Điểm tiêm đặt tại Trường Tiểu học Phú Nghĩa. Con "
    "cháu đưa ông bà đến đúng giờ, mang theo sổ khám bệnh nếu có."
)


# Replies that are not a readable answer (docs/rules.md, Telegram): not HTTP at all, and a JSON
# body cut off before its announced length.
NOT_HTTP = b"\x16\x03\x01 this is not HTTP\r\n\r\n"
CUT_OFF = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
    b'{"ok": true, "res'
)


def raw_reply(data: bytes):
    """A handler for the local server that writes `data` on the connection as it is and hangs
    up, so the client reads exactly those bytes, whatever HTTP would have made of them."""

    def handler(request):
        connection = request.environ["werkzeug.socket"]
        connection.sendall(data)
        connection.shutdown(socket.SHUT_RDWR)
        return Response(b"")

    return handler


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def frozen():
    with at(NOW) as traveller:
        yield traveller


@pytest.fixture
def health_assignment(officer_a, commune_a):
    """The officer of A answers for y-te in A."""
    return FieldAssignment.objects.create(
        commune=commune_a, field_id="y-te", officer=officer_a.officer
    )


@pytest.fixture
def villages_a(commune_a):
    return [
        VillageFactory(commune=commune_a, name="Thôn Phú Tiến"),
        VillageFactory(commune=commune_a, name="Thôn Bình Tân"),
    ]


@pytest.fixture
def groups_a(villages_a):
    """Three active groups and a closed one; one Telegram group with a chat id."""
    first, second = villages_a
    return {
        "zalo": GroupFactory(village=first, name="Zalo Phú Tiến"),
        "telegram": GroupFactory(
            village=first,
            name="Telegram Phú Tiến",
            platform=Platform.TELEGRAM,
            invite_url="https://t.me/+phutien",
            channel_id="-1001234567890",
        ),
        "facebook": GroupFactory(village=second, name="Facebook Bình Tân", platform="facebook"),
        "closed": GroupFactory(village=second, name="Nhóm cũ", status="closed"),
    }


@pytest.fixture
def write():
    """`write(author, **fields)` → a draft through `bulletin_create` (health by default)."""

    def make(author, **fields):
        values = {
            "commune": author.profile.commune,
            "field": "y-te",
            "title": "Thông báo tiêm vắc xin Covid-19",
            "body": HEALTH_BODY,
            "source": "Trung tâm Y tế huyện Bù Gia Mập",
        }
        values.update(fields)
        return services.bulletin_create(author=author, **values)

    return make


@pytest.fixture
def approved(write, officer_a, leader_a, health_assignment):
    """An approved health bulletin of A, by its officer."""

    def make(**fields):
        bulletin = write(officer_a, **fields)
        services.bulletin_submit(bulletin=bulletin, actor=officer_a)
        return services.bulletin_approve(bulletin=bulletin, actor=leader_a)

    return make


@pytest.fixture
def zalo(httpserver, monkeypatch):
    """The local server, hearing Zalo's header names: werkzeug's development server drops
    headers spelled with an underscore (`access_token`, `secret_key`), Zalo's servers do not."""
    make_environ = WSGIRequestHandler.make_environ

    def keep_underscored_headers(handler):
        environ = make_environ(handler)
        for key, value in handler.headers.items():
            if "_" in key:
                environ[f"HTTP_{key.upper()}"] = value
        return environ

    monkeypatch.setattr(WSGIRequestHandler, "make_environ", keep_underscored_headers)
    base = httpserver.url_for("/").rstrip("/")
    with override_settings(ZALO_API_BASE=base, ZALO_OAUTH_BASE=base):
        yield httpserver
