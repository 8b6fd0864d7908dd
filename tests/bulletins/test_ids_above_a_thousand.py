"""With every id above a thousand, the bulletin pages keep them whole (#1234, not #1.234) in
their labels, links and data attributes, while counts are grouped as Vietnamese writes them."""

import pytest
from django.test import Client
from django.urls import reverse

from bulletins import services
from bulletins.checks import MAX_WORDS
from bulletins.publishing import bulletin_publish
from tests.bulletins.conftest import HEALTH_BODY
from tests.ids import FIRST_ID, grouped_identifiers

pytestmark = pytest.mark.usefixtures("frozen")


def html_of(user, url, data=None, method="get"):
    client = Client()
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def published(high_ids, write, officer_a, leader_a, health_assignment, groups_a):
    """A bulletin of the leader under review, and the officer's copy of it approved anyway and
    published: three deliveries, every id 1234 or more."""
    earlier = services.bulletin_submit(bulletin=write(leader_a), actor=leader_a)
    copy = services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)
    services.bulletin_approve(bulletin=copy, actor=leader_a, override_duplicate=True)
    copy = bulletin_publish(bulletin=copy, actor=leader_a)
    return earlier, copy


def test_the_ids_are_above_a_thousand(published):
    earlier, copy = published
    assert earlier.pk >= FIRST_ID and copy.pk > earlier.pk
    assert min(copy.deliveries.values_list("pk", flat=True)) >= FIRST_ID


def test_the_detail_keeps_its_ids_whole(published, officer_a):
    earlier, copy = published
    html = html_of(officer_a, reverse("bulletin-detail", args=[copy.pk]))
    assert f'aria-current="page">#{copy.pk}</li>' in html
    assert f'href="/bulletins/{earlier.pk}/">#{earlier.pk} ' in html
    deliveries = copy.deliveries.order_by("pk")
    assert len(deliveries) == 3
    for delivery in deliveries:
        assert f'data-delivery="{delivery.pk}"' in html
        assert f'for="posted-url-{delivery.pk}"' in html
        assert f'id="posted-url-{delivery.pk}"' in html
        assert f'action="/deliveries/{delivery.pk}/confirm/#delivery-{delivery.pk}"' in html
        assert f'hx-post="/deliveries/{delivery.pk}/confirm/"' in html
    assert grouped_identifiers(html) == []


def test_the_list_and_the_queue_keep_their_ids_whole(published, officer_a, leader_a):
    earlier, copy = published
    listing = html_of(officer_a, reverse("bulletin-list"))
    assert f'data-bulletin="{copy.pk}"' in listing and f'data-bulletin="{earlier.pk}"' in listing
    assert grouped_identifiers(listing) == []
    queue = html_of(leader_a, reverse("bulletin-review"))
    assert f'data-bulletin="{earlier.pk}"' in queue
    assert f'href="/bulletins/{earlier.pk}/"' in queue
    assert grouped_identifiers(queue) == []


def test_the_live_checks_group_the_words_and_keep_the_ids(published, officer_a):
    earlier, _copy = published
    body = " ".join([HEALTH_BODY] * 25)  # 50 words, 25 times: 1,250
    html = html_of(
        officer_a,
        reverse("bulletin-checks"),
        {"field": "y-te", "body": body, "source": "Trung tâm Y tế huyện"},
        method="post",
    )
    assert f"Số từ: 1.250 / {MAX_WORDS}" in html
    assert f"#{earlier.pk} " in html  # the text repeats the earlier bulletin
    assert grouped_identifiers(html) == []
