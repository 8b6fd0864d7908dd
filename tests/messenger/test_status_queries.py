"""Where a person stands on each platform is read in four queries, with any number of people,
links and codes in the unit (messenger.selectors.messenger_status)."""

import datetime

import pytest

from communes.models import Role
from messenger.bots import bot_state
from messenger.models import BotState, LinkCode, MessengerLink
from messenger.selectors import messenger_status
from tests.factories import make_user
from tests.messenger.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")


def _people(district, n: int) -> None:
    for i in range(n):
        user = make_user(Role.DISTRICT_STAFF, district=district, username=f"vhtt-{i}")
        MessengerLink.objects.create(user=user, platform="telegram", chat_id=str(9000 + i))
        LinkCode.objects.create(
            user=user,
            platform="zalo_bot",
            code=f"code-{i:018d}",
            expires_at=NOW + datetime.timedelta(minutes=30),
        )


@pytest.mark.parametrize("others", [3, 30])
def test_four_queries_whatever_the_number_of_people(
    officer_a, district, telegram, zalo_bot, django_assert_num_queries, others
):
    _people(district, others)
    for channel in (telegram.channel, zalo_bot.channel):
        BotState.objects.filter(pk=bot_state(channel).pk).update(
            handle="bgm_tb_bot", handle_checked_at=NOW
        )
    MessengerLink.objects.create(user=officer_a, platform="zalo_bot", chat_id="abc")
    LinkCode.objects.create(
        user=officer_a,
        platform="telegram",
        code="A" * 22,
        expires_at=NOW + datetime.timedelta(minutes=5),
    )

    # The unit's bots, their states, the user's links, the user's valid codes.
    with django_assert_num_queries(4):
        rows = messenger_status(user=officer_a)

    assert [(r.platform, r.available, r.linked, r.link_url) for r in rows] == [
        ("telegram", True, False, "https://t.me/bgm_tb_bot?start=" + "A" * 22),
        ("zalo_bot", True, True, None),
    ]
