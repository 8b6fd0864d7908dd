"""District staff close a deadline (`closed_on`): no reminder from that day on, those before it
untouched; by API PATCH and by the deadline's page, for district staff only, in Vietnamese."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import Role
from deadlines import services
from deadlines.models import Deadline, Reminder
from tests.deadlines.conftest import at, day, local
from tests.factories import DistrictFactory, make_user


def kinds_on(offset: int) -> set[tuple[str, str]]:
    return set(Reminder.objects.filter(day=day(offset)).values_list("commune__code", "kind"))


def run_days(*offsets: int) -> None:
    for offset in offsets:
        services.reminders_send_due(day=day(offset))


def close(deadline: Deadline, closed_on: datetime.date | None) -> None:
    with at(local(2021, 12, 1, 9)):
        services.deadline_close(deadline=deadline, closed_on=closed_on)


def test_nothing_from_the_closing_day_on_and_the_days_before_untouched(
    deadline, officer_a, commune_a, commune_b
):
    run_days(-7, -3, 7)
    close(deadline, day(14))
    run_days(14, 21, 28)
    assert kinds_on(7) == {(commune_a.code, "overdue"), (commune_a.code, "escalation")} | {
        (commune_b.code, "overdue"),
        (commune_b.code, "escalation"),
    }
    assert {kind for _code, kind in kinds_on(-7)} == {"before_7"}
    assert {kind for _code, kind in kinds_on(-3)} == {"before_3"}
    # D+14 is a reminder day, but the deadline is closed from it.
    assert not Reminder.objects.filter(day__gte=day(14)).exists()
    assert Reminder.objects.count() == 8


def test_closed_before_the_due_date_stops_the_reminders_ahead_too(deadline, commune_a):
    close(deadline, day(-3))
    run_days(-7, -3, -1, 0, 1, 3)
    assert set(Reminder.objects.values_list("day", "kind")) == {(day(-7), "before_7")}


def test_a_reopened_deadline_is_reminded_again_on_its_days(deadline):
    close(deadline, day(10))
    run_days(14)
    assert not Reminder.objects.exists()
    close(deadline, None)
    run_days(14)
    assert {kind for _code, kind in kinds_on(14)} == {"overdue", "escalation"}


def test_a_closing_day_after_the_run_day_does_not_stop_it(deadline):
    # Running the job for a past day (manage.py run_reminders --date) judges the closing as of
    # that day.
    close(deadline, day(20))
    run_days(14)
    assert len(kinds_on(14)) == 4


def test_closed_deadlines_are_left_out_by_the_database(deadline):
    close(deadline, day(14))
    with CaptureQueriesContext(connection) as queries:
        services.reminders_send_due(day=day(14))
    (picked,) = [q["sql"] for q in queries if "reports_deadline_communes" in q["sql"]]
    assert re.search(r'"reports_deadline"\."closed_on" IS NULL', picked)
    assert re.search(r'"reports_deadline"\."closed_on" > ', picked)
    assert not Reminder.objects.exists()


# ---- API: PATCH deadlines/<id>/ {closed_on} ----


def test_district_staff_close_and_reopen_by_patch(api_as, district_staff, deadline):
    client = api_as(district_staff)
    with at(local(2021, 8, 20, 9)):
        response = client.patch(
            f"/api/v1/deadlines/{deadline.pk}/", {"closed_on": "2021-08-20"}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["closed_on"] == "2021-08-20"
        deadline.refresh_from_db()
        assert deadline.closed_on == datetime.date(2021, 8, 20)
        listed = client.get("/api/v1/deadlines/").json()["results"]
        assert [row["closed_on"] for row in listed] == ["2021-08-20"]

        reopened = client.patch(
            f"/api/v1/deadlines/{deadline.pk}/", {"closed_on": None}, format="json"
        )
    assert (reopened.status_code, reopened.json()["closed_on"]) == (200, None)
    deadline.refresh_from_db()
    assert deadline.closed_on is None


def test_a_new_deadline_is_open(api_as, district_staff, deadline):
    body = api_as(district_staff).get(f"/api/v1/deadlines/{deadline.pk}/").json()
    assert body["closed_on"] is None


@pytest.mark.parametrize("role", ["officer_a", "leader_a", "district_leader"])
def test_only_district_staff_close_a_deadline(request, api_as, deadline, role):
    user = request.getfixturevalue(role)
    response = api_as(user).patch(
        f"/api/v1/deadlines/{deadline.pk}/", {"closed_on": "2021-08-10"}, format="json"
    )
    assert response.status_code == 403
    deadline.refresh_from_db()
    assert deadline.closed_on is None


def test_another_districts_deadline_is_not_found(api_as, deadline):
    other_staff = make_user(Role.DISTRICT_STAFF, district=DistrictFactory(code="999", name="Khác"))
    response = api_as(other_staff).patch(
        f"/api/v1/deadlines/{deadline.pk}/", {"closed_on": "2021-08-10"}, format="json"
    )
    assert response.status_code == 404
    deadline.refresh_from_db()
    assert deadline.closed_on is None


@pytest.mark.parametrize(
    ("closed_on", "message"),
    [
        ("2021-08-21", "Không thể đóng hạn báo cáo vào một ngày trong tương lai."),
        ("không phải ngày", "Ngày"),
        ("2021-02-31", "Ngày"),
    ],
)
def test_a_bad_closing_day_is_400_in_vietnamese_and_nothing_saved(
    api_as, district_staff, deadline, closed_on, message
):
    with at(local(2021, 8, 20, 9)):
        response = api_as(district_staff).patch(
            f"/api/v1/deadlines/{deadline.pk}/",
            {"title": "Tên khác", "closed_on": closed_on},
            format="json",
        )
    assert response.status_code == 400
    (error,) = response.json()["closed_on"]
    assert list(response.json()) == ["closed_on"]
    assert error.startswith(message)
    deadline.refresh_from_db()
    assert (deadline.title, deadline.closed_on) == ("Báo cáo kết quả thành lập nhóm tin", None)


def test_a_deadline_cannot_be_created_closed(api_as, district_staff, commune_a):
    response = api_as(district_staff).post(
        "/api/v1/deadlines/",
        {"title": "Báo cáo", "due_date": "2021-08-31", "closed_on": "2021-08-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "closed_on": ["Hạn báo cáo mới tạo luôn ở trạng thái mở; hãy đóng hạn sau khi tạo."]
    }
    assert not Deadline.objects.exists()


# ---- The deadline's page ----


def test_district_staff_close_and_reopen_on_the_page(client_as, district_staff, deadline):
    client = client_as(district_staff)
    with at(local(2021, 8, 20, 9)):
        page = client.get(f"/deadlines/{deadline.pk}/").content.decode()
        assert 'id="deadline-close-form"' in page and 'value="20/08/2021"' in page
        closed = client.post(
            f"/deadlines/{deadline.pk}/close/", {"closed_on": "2021-08-20"}, follow=True
        )
    html = closed.content.decode()
    assert "Đã đóng hạn báo cáo từ ngày 20/08/2021" in html
    assert 'id="deadline-closed"' in html and 'id="reopen-deadline"' in html
    deadline.refresh_from_db()
    assert deadline.closed_on == datetime.date(2021, 8, 20)
    assert "đã đóng từ 20/08/2021" in client.get("/deadlines/").content.decode()

    reopened = client.post(f"/deadlines/{deadline.pk}/close/", {"closed_on": ""}, follow=True)
    assert "Đã mở lại hạn báo cáo." in reopened.content.decode()
    deadline.refresh_from_db()
    assert deadline.closed_on is None


def test_a_future_closing_day_on_the_page_is_refused(client_as, district_staff, deadline):
    with at(local(2021, 8, 20, 9)):
        response = client_as(district_staff).post(
            f"/deadlines/{deadline.pk}/close/", {"closed_on": "2021-08-21"}, follow=True
        )
    assert "Không thể đóng hạn báo cáo vào một ngày trong tương lai." in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.closed_on is None


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer_a", 403), ("leader_a", 403), ("officer_b", 403), ("district_leader", 403)],
)
def test_only_district_staff_close_on_the_page(request, client_as, deadline, role, status):
    user = request.getfixturevalue(role)
    client = client_as(user)
    assert (
        'id="deadline-close-form"' not in client.get(f"/deadlines/{deadline.pk}/").content.decode()
    )
    response = client.post(f"/deadlines/{deadline.pk}/close/", {"closed_on": "2021-08-10"})
    assert response.status_code == status
    deadline.refresh_from_db()
    assert deadline.closed_on is None


def test_another_districts_staff_get_404_on_the_page(client_as, deadline):
    other_staff = make_user(Role.DISTRICT_STAFF, district=DistrictFactory(code="999", name="Khác"))
    response = client_as(other_staff).post(
        f"/deadlines/{deadline.pk}/close/", {"closed_on": "2021-08-10"}
    )
    assert response.status_code == 404


def test_closing_is_a_post(client_as, district_staff, deadline):
    assert client_as(district_staff).get(f"/deadlines/{deadline.pk}/close/").status_code == 405
    anonymous = client_as(None).post(f"/deadlines/{deadline.pk}/close/", {"closed_on": ""})
    assert (anonymous.status_code, anonymous["Location"][:16]) == (302, "/accounts/login/")
