"""The reports API: deadlines with their rates, the reminder log with its channels, inspections,
notifications; a permission table for every endpoint and role; bad input → 400, nothing saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communes.models import Role
from deadlines import services
from deadlines.models import Deadline, Inspection, Reminder
from notifications.models import Notification
from notifications.services import notifications_create
from tests.deadlines.conftest import local
from tests.factories import (
    CommuneFactory,
    DeadlineFactory,
    DistrictFactory,
    InspectionFactory,
    SubmissionFactory,
    make_user,
)

NEW_DEADLINE = {"title": "Báo cáo tháng 8", "directive": "712/UBND-VX", "due_date": "2021-08-31"}


@pytest.fixture
def reminded(deadline, officer_a, leader_a, officer_b, district_staff, with_emails):
    """The job's run at D+3: A and B overdue, both escalated to the district staff."""
    services.reminders_send_due(day=datetime.date(2021, 8, 9))
    return deadline


ROLES = ["officer_a", "leader_a", "officer_b", "district_staff", "district_leader"]
COMMUNE_USERS = {"officer_a", "leader_a", "officer_b"}
EVERYONE = {role: 200 for role in ROLES}
INSPECTION = {
    "date": "2021-08-10",
    "inspector": "Trần Thị Thu Hà",
    "findings": "Thiếu nhóm tin ở 2 thôn.",
}


@pytest.fixture
def other_staff(db):
    """District staff of another district: everything of district 691 is out of their scope."""
    return make_user(Role.DISTRICT_STAFF, district=DistrictFactory(code="999", name="Khác"))


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def objects(reminded, commune_a, commune_b, district_staff, district_leader):
    """Per commune, an overdue reminder and an inspection; every cast member has a notification
    (the district leader gets none from the job, so one is made for them)."""
    overdue = {
        reminder.commune_id: reminder
        for reminder in Reminder.objects.filter(deadline=reminded, kind="overdue")
    }
    notifications_create(
        recipients=[district_leader],
        kind="overdue",
        event=f"reminder:{overdue[commune_a.pk].pk}",
        subject="Nhắc nộp báo cáo",
        text="Nhắc nộp báo cáo: 606/UBND-VX",
        email=False,
    )
    return {
        "reminder": overdue,
        "inspection": {
            commune.pk: InspectionFactory(commune=commune) for commune in (commune_a, commune_b)
        },
    }


def ids_for(user, objects, commune_a, district_staff) -> dict:
    """The reminder and inspection of the user's own commune (commune A for district users), and
    the user's own notification; someone out of scope is given district 691's."""
    commune = getattr(getattr(user, "profile", None), "commune", None)
    commune_pk = commune.pk if commune is not None else commune_a.pk
    own = Notification.objects.filter(user=user).first() if user else None
    notification = own or Notification.objects.filter(user=district_staff).first()
    return {
        "reminder": objects["reminder"][commune_pk].pk,
        "inspection": objects["inspection"][commune_pk].pk,
        "notification": notification.pk,
    }


# Every role of the cast, district staff of another district, and an anonymous client, with the
# exact status each must get; a role that is not listed gets 403 (401 when anonymous).
@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/api/v1/deadlines/", {**EVERYONE, "other_staff": 200}),
        # another district's staff may create deadlines, for their own district only, which has
        # no commune here: bad input
        ("post", "/api/v1/deadlines/", {"district_staff": 201, "other_staff": 400}),
        ("get", "/api/v1/deadlines/{deadline}/", {**EVERYONE, "other_staff": 404}),
        ("get", "/api/v1/deadlines/{deadline}/submissions/", {**EVERYONE, "other_staff": 404}),
        (
            "post",
            "/api/v1/deadlines/{deadline}/submissions/",
            {"officer_a": 201, "leader_a": 201, "officer_b": 201},
        ),
        ("get", "/api/v1/reminders/", {**EVERYONE, "other_staff": 200}),
        ("get", "/api/v1/reminders/{reminder}/", {**EVERYONE, "other_staff": 404}),
        ("get", "/api/v1/inspections/", {**EVERYONE, "other_staff": 200}),
        # commune A is not among the other district's communes: bad input
        ("post", "/api/v1/inspections/", {"district_staff": 201, "other_staff": 400}),
        ("get", "/api/v1/inspections/{inspection}/", {**EVERYONE, "other_staff": 404}),
        ("get", "/api/v1/notifications/", {**EVERYONE, "other_staff": 200}),
        ("get", "/api/v1/notifications/unread-count/", {**EVERYONE, "other_staff": 200}),
        ("post", "/api/v1/notifications/read-all/", {**EVERYONE, "other_staff": 200}),
        # one's own notification; another's (district staff's of 691) is not found
        ("post", "/api/v1/notifications/{notification}/read/", {**EVERYONE, "other_staff": 404}),
    ],
)
@pytest.mark.parametrize("role", [*ROLES, "other_staff", "anonymous"])
def test_permission_table(
    request, api_client, deadline, objects, commune_a, district_staff, method, path, expected, role
):
    user = request.getfixturevalue(role)
    body = {
        "/api/v1/deadlines/": NEW_DEADLINE,
        "/api/v1/inspections/": {"commune": commune_a.pk, **INSPECTION},
    }.get(path, {"note": "Xong"})
    if user is not None:
        api_client.force_authenticate(user)
    target = path.format(deadline=deadline.pk, **ids_for(user, objects, commune_a, district_staff))
    response = getattr(api_client, method)(
        target, body if method == "post" else None, format="json"
    )
    if role == "anonymous":
        assert response.status_code == 401, response.content
        assert response["WWW-Authenticate"].startswith("Token")
    else:
        assert response.status_code == expected.get(role, 403), response.content


def test_anonymous_is_refused(api_client, deadline):
    for path in ("/api/v1/deadlines/", "/api/v1/reminders/"):
        response = api_client.get(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")


def test_another_districts_staff_see_nothing_of_this_one(
    api_as, client_as, other_staff, objects, deadline, commune_a, district_staff
):
    submission = SubmissionFactory(
        deadline=deadline,
        commune=commune_a,
        attachment=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    reminder = objects["reminder"][commune_a.pk]
    inspection = objects["inspection"][commune_a.pk]
    # what district 691's own staff read, to show the objects are there
    ours = api_as(district_staff)
    assert ours.get(f"/api/v1/deadlines/{deadline.pk}/").status_code == 200
    assert ours.get(f"/api/v1/reminders/{reminder.pk}/").status_code == 200
    assert ours.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 200
    attachment = f"/submissions/{submission.pk}/attachment/"
    assert client_as(district_staff).get(attachment).status_code == 200

    theirs = api_as(other_staff)
    for path in (
        f"/api/v1/deadlines/{deadline.pk}/",
        f"/api/v1/deadlines/{deadline.pk}/submissions/",
        f"/api/v1/reminders/{reminder.pk}/",
        f"/api/v1/inspections/{inspection.pk}/",
    ):
        assert theirs.get(path).status_code == 404, path
    for path in (
        "/api/v1/deadlines/",
        "/api/v1/reminders/",
        "/api/v1/inspections/",
        "/api/v1/notifications/",
    ):
        body = theirs.get(path).json()
        assert (body["count"], body["results"]) == (0, []), path
    assert theirs.get("/api/v1/notifications/unread-count/").json() == {"count": 0}
    assert client_as(other_staff).get(attachment).status_code == 404
    assert client_as(other_staff).get(f"/deadlines/{deadline.pk}/").status_code == 404


def test_create_deadline_covers_every_commune_by_default(api_as, district_staff, district):
    communes = {CommuneFactory(district=district).pk for _ in range(3)}
    CommuneFactory(district=DistrictFactory(code="692", name="Bù Đốp"))
    response = api_as(district_staff).post("/api/v1/deadlines/", NEW_DEADLINE, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in NEW_DEADLINE} == NEW_DEADLINE
    assert set(body["communes"]) == communes
    assert (body["expected"], body["submitted"], body["reporting_rate"]) == (3, 0, 0.0)


def test_create_deadline_for_chosen_communes(api_as, district_staff, commune_a, commune_b):
    response = api_as(district_staff).post(
        "/api/v1/deadlines/", {**NEW_DEADLINE, "communes": [commune_b.pk]}, format="json"
    )
    assert response.status_code == 201
    assert Deadline.objects.get().communes.get() == commune_b


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "không phải ngày"}, "due_date"),
        ({"due_date": "2021-02-31"}, "due_date"),
        ({"title": ""}, "title"),
        ({"communes": [999999]}, "communes"),
    ],
)
def test_bad_deadline_is_400_and_nothing_saved(api_as, district_staff, commune_a, change, field):
    response = api_as(district_staff).post(
        "/api/v1/deadlines/", {**NEW_DEADLINE, **change}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Deadline.objects.exists()


def test_bad_date_message_is_vietnamese(api_as, district_staff, commune_a):
    response = api_as(district_staff).post(
        "/api/v1/deadlines/", {**NEW_DEADLINE, "due_date": "abc"}, format="json"
    )
    (message,) = response.json()["due_date"]
    assert message.startswith("Ngày")


def test_another_districts_commune_is_unknown(api_as, district_staff, commune_a):
    other = CommuneFactory(district=DistrictFactory(code="692", name="Bù Đốp"))
    response = api_as(district_staff).post(
        "/api/v1/deadlines/", {**NEW_DEADLINE, "communes": [other.pk]}, format="json"
    )
    assert response.status_code == 400
    assert not Deadline.objects.exists()


def test_deadline_rates_in_the_api_as_of(api_as, district_leader, deadline, commune_a, commune_b):
    SubmissionFactory(deadline=deadline, commune=commune_a, submitted_at=local(2021, 8, 6, 23, 59))
    SubmissionFactory(deadline=deadline, commune=commune_b, submitted_at=local(2021, 8, 7, 0, 1))
    client = api_as(district_leader)
    on_due = client.get(f"/api/v1/deadlines/{deadline.pk}/?date=2021-08-06").json()
    after = client.get("/api/v1/deadlines/?date=2021-08-07").json()["results"][0]
    assert (on_due["submitted"], on_due["reporting_rate"], on_due["timeliness"]) == (1, 50.0, 50.0)
    assert on_due["missing_communes"] == [commune_b.pk]
    assert (after["submitted"], after["on_time"], after["reporting_rate"], after["timeliness"]) == (
        2,
        1,
        100.0,
        50.0,
    )
    assert after["missing_communes"] == []


def test_a_commune_user_sees_its_own_figures(api_as, officer_b, deadline, commune_a):
    SubmissionFactory(deadline=deadline, commune=commune_a)
    row = api_as(officer_b).get("/api/v1/deadlines/?date=2021-08-06").json()["results"][0]
    assert (row["expected"], row["submitted"], row["reporting_rate"]) == (1, 0, 0.0)


def test_reminder_log_one_row_per_reminder_with_channels(
    api_as, district_staff, officer_a, leader_a, reminded, commune_a
):
    rows = api_as(district_staff).get(f"/api/v1/reminders/?commune={commune_a.pk}").json()
    rows = rows["results"]
    assert sorted(row["kind"] for row in rows) == ["escalation", "overdue"]
    overdue = next(row for row in rows if row["kind"] == "overdue")
    assert {key: overdue[key] for key in ("deadline", "commune", "day")} == {
        "deadline": reminded.pk,
        "commune": commune_a.pk,
        "day": "2021-08-09",
    }
    channels = sorted((c["channel"], c["recipient"], c["status"]) for c in overdue["channels"])
    assert channels == sorted(
        [
            ("in_app", officer_a.pk, "sent"),
            ("in_app", leader_a.pk, "sent"),
            # Not sent yet: the email leaves after commit, and the test never commits.
            ("email", officer_a.pk, "pending"),
            ("email", leader_a.pk, "pending"),
        ]
    )
    assert set(overdue["channels"][0]) == {
        "channel",
        "recipient",
        "recipient_username",
        "status",
        "attempts",
        "error",
        "sent_at",
        "read_at",
        "digest",
    }
    assert {channel["digest"] for channel in overdue["channels"]} == {None}


def test_reminder_log_is_scoped(api_as, officer_b, commune_b, reminded):
    rows = api_as(officer_b).get("/api/v1/reminders/").json()["results"]
    assert {row["commune"] for row in rows} == {commune_b.pk}
    other = Reminder.objects.exclude(commune=commune_b).first()
    assert api_as(officer_b).get(f"/api/v1/reminders/{other.pk}/").status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_reminder_log_in_constant_queries(
    api_as, district, district_staff, django_assert_num_queries, size
):
    communes = CommuneFactory.create_batch(size, district=district)
    DeadlineFactory(district=district, communes=communes)
    services.reminders_send_due(day=datetime.date(2021, 8, 9))
    client = api_as(district_staff)
    # The count, the page of reminders with their deadline and commune, and their deliveries
    # with their recipients (the forced login's user and profile are already loaded).
    with django_assert_num_queries(3):
        response = client.get("/api/v1/reminders/")
    assert response.json()["count"] == 2 * size


def test_inspection_creates_a_follow_up_deadline(api_as, district_staff, commune_a):
    response = api_as(district_staff).post(
        "/api/v1/inspections/",
        {
            "commune": commune_a.pk,
            "date": "2021-08-10",
            "inspector": "Trần Thị Thu Hà",
            "findings": "Thiếu nhóm tin ở 2 thôn.",
            "follow_up_due": "2021-08-20",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    follow_up = Deadline.objects.get(pk=body["follow_up_deadline"])
    assert list(follow_up.communes.all()) == [commune_a]
    assert (follow_up.due_date, follow_up.title) == (
        datetime.date(2021, 8, 20),
        "Khắc phục sau kiểm tra ngày 10/08/2021",
    )
    assert follow_up.inspection_id == body["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"follow_up_due": "2021-08-01"}, "follow_up_due"),
        ({"date": "2099-01-01"}, "date"),
        ({"date": "10/13/2021"}, "date"),
        ({"findings": ""}, "findings"),
    ],
)
def test_bad_inspection_is_400_and_nothing_saved(api_as, district_staff, commune_a, change, field):
    body = {
        "commune": commune_a.pk,
        "date": "2021-08-10",
        "inspector": "Trần Thị Thu Hà",
        "findings": "Thiếu nhóm tin.",
        "follow_up_due": "2021-08-20",
        **change,
    }
    response = api_as(district_staff).post("/api/v1/inspections/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Inspection.objects.exists()
    assert not Deadline.objects.exists()


def test_inspection_of_another_districts_commune_is_400(api_as, district_staff):
    other = CommuneFactory(district=DistrictFactory(code="692", name="Bù Đốp"))
    response = api_as(district_staff).post(
        "/api/v1/inspections/",
        {"commune": other.pk, "date": "2021-08-10", "inspector": "A", "findings": "B"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["commune"]


def test_district_staff_correct_a_deadline(api_as, district_staff, deadline):
    response = api_as(district_staff).patch(
        f"/api/v1/deadlines/{deadline.pk}/", {"due_date": "2021-08-09"}, format="json"
    )
    assert response.status_code == 200
    deadline.refresh_from_db()
    assert deadline.due_date == datetime.date(2021, 8, 9)


@pytest.mark.parametrize("role", ["district_leader", "officer_a", "leader_a"])
def test_only_district_staff_correct_a_deadline(request, api_as, deadline, role):
    user = request.getfixturevalue(role)
    response = api_as(user).patch(
        f"/api/v1/deadlines/{deadline.pk}/", {"title": "Khác"}, format="json"
    )
    assert response.status_code == 403
    deadline.refresh_from_db()
    assert deadline.title == "Báo cáo kết quả thành lập nhóm tin"


def test_a_commune_that_submitted_stays_covered(
    api_as, district_staff, deadline, commune_a, commune_b
):
    SubmissionFactory(deadline=deadline, commune=commune_a)
    response = api_as(district_staff).patch(
        f"/api/v1/deadlines/{deadline.pk}/",
        {"title": "Khác", "communes": [commune_b.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"communes": ["Các xã này đã nộp báo cáo: Phú Nghĩa."]}
    deadline.refresh_from_db()
    assert deadline.title == "Báo cáo kết quả thành lập nhóm tin"
    assert set(deadline.communes.all()) == {commune_a, commune_b}


def test_a_deadline_is_not_deleted(api_as, district_staff, deadline):
    response = api_as(district_staff).delete(f"/api/v1/deadlines/{deadline.pk}/")
    assert response.status_code == 405
    assert Deadline.objects.filter(pk=deadline.pk).exists()


@pytest.mark.parametrize("size", [3, 30])
def test_deadline_list_api_in_constant_queries(
    api_as, district, district_leader, django_assert_num_queries, size
):
    communes = CommuneFactory.create_batch(size, district=district)
    for due in (datetime.date(2021, 8, 6), datetime.date(2021, 8, 20)):
        deadline = DeadlineFactory(district=district, due_date=due, communes=communes)
        SubmissionFactory(deadline=deadline, commune=communes[0])
    client = api_as(district_leader)
    # The count, the page of deadlines, their communes, their figures, their missing communes.
    with django_assert_num_queries(5):
        response = client.get("/api/v1/deadlines/?date=2021-08-10")
    rows = response.json()["results"]
    assert [row["submitted"] for row in rows] == [1, 1]
    assert [len(row["missing_communes"]) for row in rows] == [size - 1, size - 1]


def test_inspections_of_another_commune_are_neither_listed_nor_found(
    api_as, client_as, officer_b, officer_a, commune_a, commune_b
):
    of_a = InspectionFactory(commune=commune_a, findings="Thôn 3 chưa có nhóm tin.")
    of_b = InspectionFactory(commune=commune_b, findings="Đủ nhóm tin ở mọi thôn.")
    api = api_as(officer_b)
    assert [row["id"] for row in api.get("/api/v1/inspections/").json()["results"]] == [of_b.pk]
    assert api.get(f"/api/v1/inspections/{of_a.pk}/").status_code == 404
    assert api.get(f"/api/v1/inspections/{of_b.pk}/").json()["id"] == of_b.pk
    # asking for commune A by filter finds nothing either
    listed = api.get(f"/api/v1/inspections/?commune={commune_a.pk}")
    assert (listed.status_code, listed.json()["count"], listed.json()["results"]) == (200, 0, [])
    page = client_as(officer_b).get("/inspections/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đủ nhóm tin ở mọi thôn." in html
    assert "Thôn 3 chưa có nhóm tin." not in html
    assert "Phú Nghĩa" not in html
    assert [inspection.pk for inspection in page.context["page"]] == [of_b.pk]
    # commune A's own officer does see it: the scope, not the data, hides it from B
    assert api_as(officer_a).get(f"/api/v1/inspections/{of_a.pk}/").status_code == 200
