"""Every page form with a number reads it as the page's language writes it
(docs/rules.md#typed-input): on a Vietnamese page `1.000` is a thousand and `21.814` is 21,814;
on an English one `1,000`; a misplaced separator (`1.00`, `1.0000`, `12.34.5`) is a 400 that
shows how to write the number, with nothing saved. Django's own field took `1.000` for 1."""

import datetime
import zoneinfo
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from communes.models import BluzoneCount, Village
from groups.models import MemberCount
from tests.pages import field_error

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=LOCAL)
HOWTO_VI = "Viết số như 1.000 hoặc 21.814 (mỗi nhóm ba chữ số) hoặc 21814, không có phần thập phân."
HOWTO_EN = (
    "Write the number like 1,000 or 21,814 (digits in groups of three) or 21814, without decimals."
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass(frozen=True)
class NumberForm:
    """A page that writes a number: its url from the places, a valid body, and the rows."""

    url: object
    body: dict
    model: type

    def saved(self, field: str):
        return getattr(self.model.objects.get(), field)


VILLAGE = NumberForm(
    url=lambda p: reverse("village-create", args=[p.commune.code]),
    body={
        "name": "Thôn Phú Lợi",
        "kind": "thon",
        "households": "312",
        "residents": "1240",
        "smartphone_users": "650",
    },
    model=Village,
)
MEMBER_COUNT = NumberForm(
    url=lambda p: reverse("member-count-create", args=[p.group.pk]),
    body={"date": "05/12/2026", "members": "120"},
    model=MemberCount,
)
BLUZONE_COUNT = NumberForm(
    url=lambda p: reverse("bluzone-count-create", args=[p.village.pk]),
    body={"date": "05/12/2026", "installs": "60"},
    model=BluzoneCount,
)
FIELDS = [
    pytest.param(VILLAGE, "households", id="village households"),
    pytest.param(VILLAGE, "residents", id="village residents"),
    pytest.param(VILLAGE, "smartphone_users", id="village smartphone users"),
    pytest.param(MEMBER_COUNT, "members", id="member count"),
    pytest.param(BLUZONE_COUNT, "installs", id="bluzone count"),
]


@pytest.fixture
def places(commune_a, village_a, group_a):
    return SimpleNamespace(commune=commune_a, village=village_a, group=group_a)


@pytest.fixture
def before(places):
    """Rows of each model before the test posts (the fixtures' own village)."""
    return {model: model.objects.count() for model in (Village, MemberCount, BluzoneCount)}


def post(client, form: NumberForm, places, field: str, text: str, **extra):
    return client.post(form.url(places), {**form.body, field: text}, **extra)


def new_row(form: NumberForm, places):
    rows = form.model.objects.all()
    if form.model is Village:
        rows = rows.exclude(pk=places.village.pk)
    return rows.get()


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(("form", "field"), FIELDS)
@pytest.mark.parametrize(("text", "value"), [("1.000", 1000), ("21.814", 21814), ("1000", 1000)])
def test_a_vietnamese_page_reads_thousands_with_a_dot(
    client_as, officer_a, places, form, field, text, value
):
    response = post(client_as(officer_a), form, places, field, text)

    assert response.status_code == 302
    assert getattr(new_row(form, places), field) == value


@pytest.mark.parametrize(("form", "field"), FIELDS)
@pytest.mark.parametrize("text", ["1.00", "1.0000", "12.34.5", "1,5", "1 000"])
def test_a_misplaced_separator_is_a_400_that_shows_how_to_write_it(
    client_as, officer_a, places, before, form, field, text
):
    response = post(client_as(officer_a), form, places, field, text)

    assert response.status_code == 400
    assert field_error(response, field) == HOWTO_VI
    assert f'value="{text}"' in response.content.decode()  # what was typed stays to be mended
    assert {m: m.objects.count() for m in before} == before


@pytest.mark.parametrize(("form", "field"), FIELDS)
def test_an_english_page_reads_thousands_with_a_comma(
    client_as, officer_a, places, before, form, field
):
    client = english(client_as(officer_a))

    refused = post(client, form, places, field, "1.000")
    assert refused.status_code == 400
    assert field_error(refused, field) == HOWTO_EN
    assert {m: m.objects.count() for m in before} == before

    saved = post(client, form, places, field, "1,000")
    assert saved.status_code == 302
    assert getattr(new_row(form, places), field) == 1000


def test_the_browsers_language_does_not_change_how_a_number_is_read(client_as, officer_a, places):
    # Pages are Vietnamese until the user picks English (the cookie), whatever the browser asks.
    response = post(
        client_as(officer_a), MEMBER_COUNT, places, "members", "1.000", HTTP_ACCEPT_LANGUAGE="en-US"
    )

    assert response.status_code == 302
    assert MemberCount.objects.get().members == 1000


@pytest.mark.parametrize(("language", "shown"), [("vi", "21.814"), ("en", "21,814")])
def test_a_village_is_edited_with_its_numbers_written_as_its_language_does(
    client_as, officer_a, village_a, language, shown
):
    Village.objects.filter(pk=village_a.pk).update(households=21814, residents=1000)
    client = client_as(officer_a)
    if language == "en":
        english(client)
    url = reverse("village-edit", args=[village_a.pk])

    page = client.get(url).content.decode()
    assert f'name="households" value="{shown}"' in page
    assert 'type="number"' not in page

    # Sent back as shown, the numbers are the same.
    data = {
        "name": village_a.name,
        "kind": "thon",
        "households": shown,
        "residents": "1.000" if language == "vi" else "1,000",
        "smartphone_users": "400",
    }
    assert client.post(url, data).status_code == 302
    village_a.refresh_from_db()
    assert (village_a.households, village_a.residents) == (21814, 1000)


def test_a_refused_edit_changes_nothing(client_as, officer_a, village_a):
    url = reverse("village-edit", args=[village_a.pk])
    data = {"name": village_a.name, "kind": "thon", "households": "1.00"}

    response = client_as(officer_a).post(url, {**data, "residents": "800", "smartphone_users": "0"})

    assert response.status_code == 400
    village_a.refresh_from_db()
    assert village_a.households == 300
