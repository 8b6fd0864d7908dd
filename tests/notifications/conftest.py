"""The bulletins' fixtures (commune A's officer answering for health, its villages and groups, a
bulletin written through the services, a frozen morning) and the deadlines' (606/UBND-VX over
communes A and B) for the notices they raise, and a few more people of commune A."""

import pytest

from communes.models import Role
from tests.bulletins.conftest import (  # noqa: F401  (fixtures)
    NOW,
    approved,
    frozen,
    groups_a,
    health_assignment,
    villages_a,
    write,
)
from tests.deadlines.conftest import deadline, with_emails  # noqa: F401  (fixtures)
from tests.factories import make_user


@pytest.fixture
def second_leader(commune_a):
    return make_user(
        Role.COMMUNE_LEADER, commune=commune_a, username="pct-a", first_name="Điểu Văn Lâm"
    )


@pytest.fixture
def writer_a(commune_a):
    """Another officer of A, who writes health news without answering for the field."""
    return make_user(
        Role.COMMUNE_OFFICER, commune=commune_a, username="xa-a2", first_name="Lê Thị Hoa"
    )


def told(event: str) -> list[str]:
    """Who was told of `event`, by username."""
    from notifications.models import Notification

    return sorted(Notification.objects.filter(event=event).values_list("user__username", flat=True))
