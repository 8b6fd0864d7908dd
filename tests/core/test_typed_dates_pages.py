"""Every page form with a date reads and shows it dd/mm/yyyy whatever the browser's or the
page's language (docs/rules.md#typed-input): `07/12/2026` is 7 December on a Vietnamese page,
on an English one and for a browser that asks for en-US; a date that is not dd/mm/yyyy
(`12/31/2026`, `31/02/2026`) is a 400 with nothing saved. English Django read 07/12/2026 as
12 July."""

import datetime
import zoneinfo
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from communes.models import BluzoneCount
from deadlines.models import Deadline, Inspection
from groups.models import MemberCount, MessagingGroup
from reports.models import ComplianceReport
from tests.factories import DeadlineFactory
from tests.pages import field_error

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=LOCAL)
DAY = datetime.date(2026, 12, 7)
BAD_DAY = {"vi": "Nhập ngày theo dạng dd/mm/yyyy.", "en": "Enter a date as dd/mm/yyyy."}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass(frozen=True)
class DateForm:
    """A page that writes a date: who posts, where, a valid body, and the date it saved."""

    role: str
    url: object
    body: object
    saved: object


def group_body(p, day):
    return {
        "village": p.village.pk,
        "platform": "zalo",
        "name": "Zalo thôn mới",
        "invite_url": "https://zalo.me/g/moi",
        "status": "active",
        "established_on": day,
    }


FORMS = {
    "member count": DateForm(
        role="officer_a",
        url=lambda p: reverse("member-count-create", args=[p.group.pk]),
        body=lambda p, day: {"date": day, "members": "120"},
        saved=lambda p: MemberCount.objects.get().date,
    ),
    "bluzone count": DateForm(
        role="officer_a",
        url=lambda p: reverse("bluzone-count-create", args=[p.village.pk]),
        body=lambda p, day: {"date": day, "installs": "60"},
        saved=lambda p: BluzoneCount.objects.get().date,
    ),
    "group established on": DateForm(
        role="officer_a",
        url=lambda p: reverse("group-create"),
        body=group_body,
        saved=lambda p: MessagingGroup.objects.get(name="Zalo thôn mới").established_on,
    ),
    "deadline due date": DateForm(
        role="district_staff",
        url=lambda p: reverse("deadline-create"),
        body=lambda p, day: {"title": "Báo cáo tháng 12", "due_date": day},
        saved=lambda p: Deadline.objects.get(title="Báo cáo tháng 12").due_date,
    ),
    "inspection date": DateForm(
        role="district_staff",
        url=lambda p: reverse("inspection-create"),
        body=lambda p, day: {
            "commune": p.commune.pk,
            "date": day,
            "inspector": "Trần Thị Thu Hà",
            "findings": "Nhóm tin hoạt động đều.",
        },
        saved=lambda p: Inspection.objects.get().date,
    ),
    "inspection follow-up": DateForm(
        role="district_staff",
        url=lambda p: reverse("inspection-create"),
        body=lambda p, day: {
            "commune": p.commune.pk,
            "date": "01/12/2026",
            "inspector": "Trần Thị Thu Hà",
            "findings": "Thiếu nhóm ở hai thôn.",
            "follow_up_due": day,
        },
        saved=lambda p: Inspection.objects.get().follow_up_due,
    ),
    "report as of": DateForm(
        role="district_staff",
        url=lambda p: reverse("report-list"),
        body=lambda p, day: {"as_of": day},
        saved=lambda p: ComplianceReport.objects.get().as_of,
    ),
}


@pytest.fixture
def places(commune_a, village_a, group_a):
    return SimpleNamespace(commune=commune_a, village=village_a, group=group_a)


def client_for(request, client_as, form: DateForm, language: str):
    client = client_as(request.getfixturevalue(form.role))
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def rows() -> dict:
    models = [MemberCount, BluzoneCount, MessagingGroup, Deadline, Inspection, ComplianceReport]
    return {model.__name__: model.objects.count() for model in models}


# Vietnamese, Vietnamese for a browser that asks for en-US, and English picked by the user.
LANGUAGES = [("vi", {}), ("vi", {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}), ("en", {})]


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize(("language", "headers"), LANGUAGES)
def test_07_12_2026_is_the_seventh_of_december(request, client_as, places, name, language, headers):
    form = FORMS[name]
    client = client_for(request, client_as, form, language)

    response = client.post(form.url(places), form.body(places, "07/12/2026"), **headers)

    assert response.status_code == 302
    assert form.saved(places) == DAY


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("text", ["12/31/2026", "31/02/2026", "7 tháng 12"])
def test_a_date_not_written_dd_mm_yyyy_is_a_400_and_nothing_is_saved(
    request, client_as, places, name, language, text
):
    form = FORMS[name]
    client = client_for(request, client_as, form, language)
    before = rows()
    body = form.body(places, text)
    field = next(key for key, value in body.items() if value == text)

    response = client.post(form.url(places), body)

    assert response.status_code == 400
    assert field_error(response, field) == BAD_DAY[language]
    assert rows() == before


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_is_shown_dd_mm_yyyy_on_the_form(client_as, officer_a, group_a, language):
    group_a.established_on = DAY
    group_a.save()
    client = client_as(officer_a)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("group-edit", args=[group_a.pk])).content.decode()

    assert 'name="established_on" value="07/12/2026"' in page
    assert 'placeholder="dd/mm/yyyy"' in page
    assert 'type="date"' not in page


def test_closing_a_deadline_reads_dd_mm_yyyy_in_english(client_as, district_staff, district):
    deadline = DeadlineFactory(district=district, due_date=datetime.date(2026, 11, 30))
    client = client_as(district_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("deadline-close", args=[deadline.pk])

    page = client.get(reverse("deadline-detail", args=[deadline.pk])).content.decode()
    assert 'name="closed_on" value="10/12/2026"' in page  # today, as the form offers it

    refused = client.post(url, {"closed_on": "12/31/2026"}, follow=True)
    assert "Enter a date as dd/mm/yyyy." in refused.content.decode()
    deadline.refresh_from_db()
    assert deadline.closed_on is None

    client.post(url, {"closed_on": "07/12/2026"})
    deadline.refresh_from_db()
    assert deadline.closed_on == DAY


@pytest.mark.parametrize(
    ("language", "headers"), [("vi", {"HTTP_ACCEPT_LANGUAGE": "en-US"}), ("en", {})]
)
def test_the_dashboard_date_is_dd_mm_yyyy(client_as, district_staff, language, headers):
    client = client_as(district_staff)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("dashboard"), {"date": "07/12/2026"}, **headers).content.decode()

    assert 'name="date" class="form-control date-input" value="07/12/2026"' in page
    assert 'data-datepicker="date"' in page
