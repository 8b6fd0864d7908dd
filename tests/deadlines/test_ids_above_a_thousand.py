"""With every id above a thousand, the deadline, reminder and notification pages keep them
whole in their links and attributes, and page numbers stay numbers a link can carry."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

from deadlines import services
from deadlines.models import ReminderDelivery
from notifications.models import Notification
from tests.deadlines.conftest import at, local
from tests.ids import FIRST_ID, grouped_identifiers


@pytest.fixture
def reminded(high_ids, deadline, officer_a, officer_b, district_staff):
    """606/UBND-VX (A and B), reminded on 06/08 and escalated on 09/08: every id 1234 or more."""
    with at(local(2021, 8, 9)):
        services.reminders_send_due(day=datetime.date(2021, 8, 6))
        services.reminders_send_due(day=datetime.date(2021, 8, 9))
    return deadline


def html_of(client_as, user, url):
    response = client_as(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_ids_are_above_a_thousand(reminded):
    assert reminded.pk >= FIRST_ID
    assert min(ReminderDelivery.objects.values_list("pk", flat=True)) >= FIRST_ID
    assert min(Notification.objects.values_list("pk", flat=True)) >= FIRST_ID


def test_the_deadline_pages_keep_their_ids_whole(reminded, client_as, district_staff):
    pk = reminded.pk
    listing = html_of(client_as, district_staff, "/deadlines/?date=2021-08-09")
    assert f'data-deadline="{pk}"' in listing
    assert f'href="/deadlines/{pk}/?date=2021-08-09"' in listing
    assert grouped_identifiers(listing) == []
    detail = html_of(client_as, district_staff, f"/deadlines/{pk}/?date=2021-08-09")
    assert f'href="/reminders/?deadline={pk}"' in detail
    assert f'action="/deadlines/{pk}/close/"' in detail
    assert grouped_identifiers(detail) == []


def test_the_reminder_log_keeps_the_deadline_whole(reminded, client_as, district_staff):
    html = html_of(client_as, district_staff, f"/reminders/?deadline={reminded.pk}")
    assert f'<input type="hidden" name="deadline" value="{reminded.pk}">' in html
    assert f'href="/deadlines/{reminded.pk}/"' in html
    assert grouped_identifiers(html) == []


def test_the_notifications_keep_their_ids_whole(reminded, client_as, officer_a):
    html = html_of(client_as, officer_a, "/notifications/")
    notices = Notification.objects.filter(user=officer_a, read_at=None)
    assert notices.exists()
    for notice in notices:
        assert f'action="/notifications/{notice.pk}/read/"' in html
    assert grouped_identifiers(html) == []


@pytest.mark.parametrize(("language", "label"), [("vi", "Trang 1.500/3.000"), ("en", "1,500")])
def test_page_links_carry_the_page_number_whole(language, label):
    page = Paginator(range(3000), 1).page(1500)
    with translation.override(language):
        html = render_to_string("portal/_pagination.html", {"page": page, "query": "kind=due&"})
    assert 'href="?kind=due&amp;page=1499"' in html
    assert 'href="?kind=due&amp;page=1501"' in html
    assert label in html
    assert grouped_identifiers(html) == []
