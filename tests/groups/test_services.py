import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from groups.models import MessagingGroup
from groups.services import group_register, group_update
from tests.factories import GroupFactory, VillageFactory

pytestmark = pytest.mark.django_db


def register(village, **overrides):
    data = {"village": village, "platform": "zalo", "name": "Nhóm tin thôn 1"}
    data.update(overrides)
    return group_register(**data)


def test_active_group_needs_invite_link(commune_a):
    village = VillageFactory(commune=commune_a)
    with pytest.raises(ValidationError) as exc:
        register(village)
    assert "invite_url" in exc.value.message_dict
    assert not MessagingGroup.objects.exists()


def test_planned_group_may_wait_for_its_link(commune_a):
    group = register(VillageFactory(commune=commune_a), status="planned")
    assert group.status == "planned"
    assert group.invite_url == ""


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "zalo.me/g/abc", "ftp://example.com/g", "http://"]
)
def test_invite_link_must_be_a_web_link(commune_a, url):
    with pytest.raises(ValidationError) as exc:
        register(VillageFactory(commune=commune_a), invite_url=url)
    assert "invite_url" in exc.value.message_dict
    assert not MessagingGroup.objects.exists()


def test_unknown_platform_is_refused(commune_a):
    with pytest.raises(ValidationError) as exc:
        register(VillageFactory(commune=commune_a), platform="myspace", invite_url="https://x.vn/g")
    assert "platform" in exc.value.message_dict


@time_machine.travel(datetime.datetime(2021, 8, 6, 20, 0, tzinfo=datetime.UTC))
def test_active_group_cannot_be_established_in_the_future(commune_a):
    # 20:00 UTC on 6/8 is already 7/8 in Asia/Ho_Chi_Minh: the 7th is today, the 8th is not.
    village = VillageFactory(commune=commune_a)
    register(village, invite_url="https://zalo.me/g/a", established_on=datetime.date(2021, 8, 7))
    with pytest.raises(ValidationError) as exc:
        register(
            village, invite_url="https://zalo.me/g/b", established_on=datetime.date(2021, 8, 8)
        )
    assert "established_on" in exc.value.message_dict


def test_registered_on_defaults_to_local_today(commune_a):
    with time_machine.travel(datetime.datetime(2021, 8, 6, 18, 30, tzinfo=datetime.UTC)):
        group = register(VillageFactory(commune=commune_a), invite_url="https://zalo.me/g/a")
    assert group.registered_on == datetime.date(2021, 8, 7)


def test_group_update_validates_like_registration(commune_a):
    group = GroupFactory(village__commune=commune_a)
    with pytest.raises(ValidationError):
        group_update(group=group, invite_url="")
    group.refresh_from_db()
    assert group.invite_url.startswith("https://")


def test_an_update_changes_only_what_it_names(commune_a):
    group = GroupFactory(village__commune=commune_a, admin_name="Nguyễn Văn A")

    group_update(group=group, name="Nhóm tin mới")

    group.refresh_from_db()
    assert (group.name, group.admin_name) == ("Nhóm tin mới", "Nguyễn Văn A")
    assert group.invite_url.startswith("https://")
    assert [h.name for h in group.history.order_by("history_date")][-1] == "Nhóm tin mới"
