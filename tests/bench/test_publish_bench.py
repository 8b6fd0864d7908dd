"""The publishing part of `make bench`, proven small on the tiny dataset: the commune it adds
has its groups, half of them on a channel; each timed run publishes a new bulletin to every
group; and everything is removed afterwards. The 500-group measure runs only through
`make bench`."""

import pytest
from django.contrib.auth import get_user_model

from bench import publish
from bench.dataset import SCALES, build
from bulletins.models import Bulletin, Channel, Delivery
from communes.models import Commune, Village
from groups.models import MessagingGroup

pytestmark = pytest.mark.django_db


def test_each_run_publishes_to_every_group_and_nothing_is_left():
    built = build(SCALES["tiny"])
    commune, leader = publish.add(built.district, groups=12)
    assert MessagingGroup.objects.filter(village__commune=commune).count() == 12
    assert Village.objects.filter(commune=commune).count() == 3

    timed = publish.time_publish(commune, leader, runs=2)

    # 12 groups, the even ones on Telegram with a chat id and the commune's bot on
    assert (timed.groups, timed.automatic, timed.by_hand) == (12, 6, 6)
    # three published bulletins: the counted one and the two timed
    assert Bulletin.objects.filter(commune=commune, status="published").count() == 3
    assert Delivery.objects.filter(bulletin__commune=commune).count() == 3 * 12
    assert timed.queries > 0 and timed.median_seconds > 0
    publish.remove(built.district)
    assert not Commune.objects.filter(code=publish.CODE).exists()
    assert not Channel.objects.filter(commune_id=commune.pk).exists()
    assert not get_user_model().objects.filter(username=publish.LEADER).exists()


def test_the_line_says_whether_it_is_under_the_bound(capsys):
    built = build(SCALES["tiny"])
    assert publish.run_scale("tiny", built.district, groups=10, runs=1)
    line = capsys.readouterr().out
    assert line.startswith("publish of one bulletin to 10 active groups: ")
    assert line.rstrip().endswith("under 1 s: yes")
    assert not Commune.objects.filter(code=publish.CODE).exists()
