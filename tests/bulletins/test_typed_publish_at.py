"""A bulletin's publishing time is typed and shown dd/mm/yyyy hh:mm, in Asia/Ho_Chi_Minh,
whatever the browser's or the page's language (docs/rules.md#typed-input): the browser's own
date-time input showed it as its language does."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bulletins.models import Bulletin
from tests.bulletins.conftest import LOCAL
from tests.pages import field_error

pytestmark = pytest.mark.usefixtures("frozen")  # 10/08/2021 08:00

LATER = datetime.datetime(2021, 8, 12, 7, 30, tzinfo=LOCAL)


def client_of(user, language: str) -> Client:
    client = Client()
    client.force_login(user)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    ("language", "headers"),
    [("vi", {}), ("vi", {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}), ("en", {})],
)
def test_a_leader_schedules_a_bulletin_for_12_august(approved, leader_a, language, headers):
    bulletin = approved()
    client = client_of(leader_a, language)
    url = reverse("bulletin-action", args=[bulletin.pk, "publish"])

    response = client.post(url, {"publish_at": "12/08/2021 07:30"}, **headers)

    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.publish_at) == ("scheduled", LATER)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Nhập thời điểm theo dạng dd/mm/yyyy hh:mm."),
        ("en", "Enter a time as dd/mm/yyyy hh:mm."),
    ],
)
@pytest.mark.parametrize("text", ["08/13/2021 07:30", "12/08/2021", "12/08/2021 25:00"])
def test_a_time_not_written_dd_mm_yyyy_hh_mm_is_a_400(approved, leader_a, language, message, text):
    bulletin = approved()
    url = reverse("bulletin-action", args=[bulletin.pk, "publish"])

    response = client_of(leader_a, language).post(url, {"publish_at": text})

    assert response.status_code == 400
    assert field_error(response, "publish_at") == message
    assert Bulletin.objects.get().status == "approved"


def test_the_publish_form_offers_dd_mm_yyyy_hh_mm_from_today(approved, leader_a):
    bulletin = approved()

    page = client_of(leader_a, "en").get(reverse("bulletin-detail", args=[bulletin.pk]))

    html = page.content.decode()
    assert 'name="publish_at"' in html and 'placeholder="dd/mm/yyyy hh:mm"' in html
    assert 'data-datepicker="datetime"' in html and 'data-min="2021-08-10"' in html
    assert "datetime-local" not in html


def test_a_drafts_publishing_time_is_shown_as_typed(write, officer_a, health_assignment):
    bulletin = write(officer_a, publish_at=LATER)

    page = client_of(officer_a, "en").get(reverse("bulletin-edit", args=[bulletin.pk]))

    assert 'name="publish_at" value="12/08/2021 07:30"' in page.content.decode()
