"""Published bulletins of commune A for the public pages, written through the workflow (draft,
submit, approve, publish) by people with names and phone numbers that must never show; and
many published at once, for the paging and query-count tests."""

import datetime

import pytest
from django.core.cache import cache

from bulletins import services
from bulletins.models import Bulletin, BulletinStatus
from bulletins.publishing import bulletin_publish
from bulletins.sending import delivery_text
from bulletins.verification import new_verify_code
from communes.models import FieldAssignment, Role
from public.throttle import public_cache
from tests.bulletins.conftest import HEALTH_BODY, LOCAL, NOW, at
from tests.factories import make_user

# The people behind a bulletin: none of these may appear on a public page or in the feed.
AUTHOR_NAME = "Lê Thị Hoa"
LEADER_NAME = "Điểu Văn Lâm"
AUTHOR_PHONE = "0912345678"
LEADER_PHONE = "0987654321"
PEOPLE = [AUTHOR_NAME, LEADER_NAME, AUTHOR_PHONE, LEADER_PHONE, "xa-hoa", "ct-lam"]


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """Each test starts with no page kept and no guess counted."""
    cache.clear()
    public_cache.reset()
    yield
    cache.clear()
    public_cache.reset()


@pytest.fixture
def author(commune_a):
    user = make_user(
        Role.COMMUNE_OFFICER, commune=commune_a, username="xa-hoa", first_name=AUTHOR_NAME
    )
    user.officer.phone = AUTHOR_PHONE
    user.officer.save()
    FieldAssignment.objects.create(commune=commune_a, field_id="y-te", officer=user.officer)
    return user


@pytest.fixture
def leader(commune_a):
    user = make_user(
        Role.COMMUNE_LEADER, commune=commune_a, username="ct-lam", first_name=LEADER_NAME
    )
    user.officer.phone = LEADER_PHONE
    user.officer.save()
    return user


@pytest.fixture
def through_the_workflow(commune_a, author, leader):
    """`through_the_workflow(until=status, **fields)` → a health bulletin of A moved through the
    services up to `until` (published by default), at NOW."""

    def make(until=BulletinStatus.PUBLISHED, publish_at=None, **fields):
        values = {
            "commune": commune_a,
            "field": "y-te",
            "title": "Thông báo tiêm vắc xin Covid-19 mũi 2",
            "body": HEALTH_BODY,
            "source": "Trung tâm Y tế huyện Bù Gia Mập",
        }
        values.update(fields)
        with at(NOW):
            bulletin = services.bulletin_create(author=author, **values)
            if until == BulletinStatus.DRAFT:
                return bulletin
            bulletin = services.bulletin_submit(bulletin=bulletin, actor=author)
            if until == BulletinStatus.SUBMITTED:
                return bulletin
            if until == BulletinStatus.REJECTED:
                return services.bulletin_reject(bulletin=bulletin, actor=leader, reason="Sai ngày")
            bulletin = services.bulletin_approve(bulletin=bulletin, actor=leader)
            if until == BulletinStatus.APPROVED:
                return bulletin
            return bulletin_publish(bulletin=bulletin, actor=leader, publish_at=publish_at)

    return make


@pytest.fixture
def published(through_the_workflow):
    return through_the_workflow()


def publish_many(commune, author, count: int, *, start=NOW) -> list[Bulletin]:
    """`count` published bulletins of the commune, the first published at `start` and each
    next an hour later, with their codes and texts as publishing gives them."""
    bulletins = []
    for number in range(count):
        bulletin = Bulletin(
            commune=commune,
            field_id="y-te" if number % 2 else "nong-nghiep",
            title=f"Bản tin số {number + 1}",
            body=f"Nội dung của bản tin số {number + 1}.",
            author=author,
            status=BulletinStatus.PUBLISHED,
            published_at=start + datetime.timedelta(hours=number),
            verify_code=new_verify_code(),
        )
        bulletin.delivered_text = delivery_text(bulletin)
        bulletins.append(bulletin)
    return Bulletin.objects.bulk_create(bulletins)


__all__ = ["LOCAL", "NOW", "PEOPLE", "publish_many"]
