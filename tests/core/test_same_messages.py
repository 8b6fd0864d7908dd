"""The same bad input gets the same message on a page and from the API: one layer decides each
rule (the service for links, dates, counts below 0, duplicates and names; the form and the
serializer parse numbers with the same words), so the two paths cannot drift apart."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from communes.models import BluzoneCount, Village
from groups.models import MemberCount, MessagingGroup
from tests.factories import BluzoneCountFactory, MemberCountFactory
from tests.pages import field_error

# 10:00 on 6 August 2021 in Hà Nội: today is the 6th, tomorrow the 7th.
NOW = datetime.datetime(2021, 8, 6, 3, 0, tzinfo=datetime.UTC)
STORED = datetime.date(2021, 8, 4)  # the group and the village already have a count that day

WEB_LINK = "Nhập đường liên kết hợp lệ, bắt đầu bằng http:// hoặc https://."
NEGATIVE = "Nhập số 0 hoặc lớn hơn."
NOT_A_NUMBER = "Nhập một số nguyên, ví dụ 250."
FUTURE = "Ngày không được ở tương lai."


@dataclass(frozen=True)
class Writes:
    """Where one kind of row is written on a page and through the API, with a valid body for
    both; a value given as a function is looked up in the places (the ids of this test)."""

    web: Callable[[SimpleNamespace], str]
    api: Callable[[SimpleNamespace], str]
    body: dict
    model: type

    def data(self, places, changes: dict) -> dict:
        merged = {**self.body, **changes}
        return {key: value(places) if callable(value) else value for key, value in merged.items()}


GROUP = Writes(
    web=lambda p: reverse("group-create"),
    api=lambda p: "/api/v1/groups/",
    body={
        "village": lambda p: p.village.pk,
        "platform": "zalo",
        "name": "Nhóm tin thôn 1",
        "invite_url": "https://zalo.me/g/thon1",
        "status": "active",
    },
    model=MessagingGroup,
)
MEMBER_COUNT = Writes(
    web=lambda p: reverse("member-count-create", args=[p.group.pk]),
    api=lambda p: f"/api/v1/groups/{p.group.pk}/member-counts/",
    body={"date": "2021-08-05", "members": "120"},
    model=MemberCount,
)
BLUZONE_COUNT = Writes(
    web=lambda p: reverse("bluzone-count-create", args=[p.village.pk]),
    api=lambda p: f"/api/v1/villages/{p.village.pk}/bluzone-counts/",
    body={"date": "2021-08-05", "installs": "60"},
    model=BluzoneCount,
)
VILLAGE = Writes(
    web=lambda p: reverse("village-create", args=[p.village.commune.code]),
    api=lambda p: "/api/v1/villages/",
    body={
        "commune": lambda p: p.village.commune_id,
        "name": "Thôn Phú Lợi",
        "kind": "thon",
        "households": "312",
        "residents": "1240",
        "smartphone_users": "650",
    },
    model=Village,
)

# (case, where, what changes in the valid body, field, message)
CASES = [
    ("ftp link", GROUP, {"invite_url": "ftp://x"}, "invite_url", WEB_LINK),
    ("not a link", GROUP, {"invite_url": "not a link"}, "invite_url", WEB_LINK),
    ("javascript link", GROUP, {"invite_url": "javascript:alert(1)"}, "invite_url", WEB_LINK),
    (
        "active group without a link",
        GROUP,
        {"invite_url": ""},
        "invite_url",
        "Nhóm đang hoạt động phải có đường liên kết mời.",
    ),
    (
        "established in the future",
        GROUP,
        {"established_on": "2021-08-07"},
        "established_on",
        "Nhóm đang hoạt động không thể có ngày thành lập ở tương lai.",
    ),
    ("negative members", MEMBER_COUNT, {"members": "-3"}, "members", NEGATIVE),
    ("members not a number", MEMBER_COUNT, {"members": "một trăm"}, "members", NOT_A_NUMBER),
    ("member count in the future", MEMBER_COUNT, {"date": "2021-08-07"}, "date", FUTURE),
    (
        "second member count for a date",
        MEMBER_COUNT,
        {"date": STORED.isoformat()},
        "date",
        "Nhóm này đã có số liệu của ngày này; hãy sửa số liệu đó thay vì nhập mới.",
    ),
    ("negative installs", BLUZONE_COUNT, {"installs": "-1"}, "installs", NEGATIVE),
    ("installs not a number", BLUZONE_COUNT, {"installs": "10%"}, "installs", NOT_A_NUMBER),
    ("bluzone count in the future", BLUZONE_COUNT, {"date": "2021-08-07"}, "date", FUTURE),
    (
        "second bluzone count for a date",
        BLUZONE_COUNT,
        {"date": STORED.isoformat()},
        "date",
        "Thôn này đã có số liệu của ngày này.",
    ),
    ("negative households", VILLAGE, {"households": "-5"}, "households", NEGATIVE),
    ("residents not a number", VILLAGE, {"residents": "nhiều"}, "residents", NOT_A_NUMBER),
    (
        "village name the commune has",
        VILLAGE,
        {"name": "Thôn 1"},
        "name",
        "Xã đã có thôn mang tên này.",
    ),
]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("where", "changes", "field", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_a_page_and_the_api_give_the_same_message(
    client_as, api_as, officer_a, village_a, group_a, where, changes, field, message
):
    MemberCountFactory(group=group_a, date=STORED)
    BluzoneCountFactory(village=village_a, date=STORED)
    places = SimpleNamespace(village=village_a, group=group_a)
    data = where.data(places, changes)
    before = where.model.objects.count()

    page = client_as(officer_a).post(where.web(places), data)
    api = api_as(officer_a).post(where.api(places), data, format="json")

    assert (page.status_code, api.status_code) == (400, 400)
    assert field_error(page, field) == message
    assert api.json()[field] == [message]
    assert where.model.objects.count() == before
