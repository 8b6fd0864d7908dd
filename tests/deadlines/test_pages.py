"""The deadlines area's pages: who may open what, what they show, and forms that go through
the services (bad input back on the form, nothing saved)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deadlines import services
from deadlines.models import Deadline, Inspection, Submission
from tests.deadlines.conftest import at, local
from tests.factories import CommuneFactory, DeadlineFactory, SubmissionFactory

PAGES = [
    "/deadlines/",
    "/deadlines/{deadline}/",
    "/reminders/",
    "/notifications/",
    "/inspections/",
]
ROLES = ["officer_a", "leader_a", "officer_b", "district_staff", "district_leader"]


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_every_role_reads_the_pages(request, client_as, deadline, role, path):
    user = request.getfixturevalue(role)
    assert client_as(user).get(path.format(deadline=deadline.pk)).status_code == 200


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/deadlines/new/", {"district_staff"}),
        ("/inspections/new/", {"district_staff"}),
        ("/deadlines/{deadline}/submit/", {"officer_a", "leader_a", "officer_b"}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_forms_only_for_their_role(request, client_as, deadline, role, path, allowed):
    user = request.getfixturevalue(role)
    response = client_as(user).get(path.format(deadline=deadline.pk))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize(
    "path",
    [*PAGES, "/deadlines/new/", "/inspections/new/", "/deadlines/{deadline}/submit/"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_pages_send_anonymous_to_login(client_as, deadline, method, path):
    response = getattr(client_as(None), method)(path.format(deadline=deadline.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ("/deadlines/new/", ["officer_a", "leader_a", "officer_b", "district_leader"]),
        ("/inspections/new/", ["officer_a", "leader_a", "officer_b", "district_leader"]),
        ("/deadlines/{deadline}/submit/", ["district_staff", "district_leader"]),
    ],
)
def test_posting_a_form_of_another_role_is_403_and_nothing_saved(
    request, client_as, deadline, commune_a, path, refused
):
    # a complete, valid form for each page: only the role stands in the way
    data = {
        "/deadlines/new/": {
            "title": "Báo cáo tháng 8",
            "directive": "712/UBND-VX",
            "due_date": "2021-08-31",
            "communes": [commune_a.pk],
        },
        "/inspections/new/": {
            "commune": commune_a.pk,
            "date": "2021-08-05",
            "inspector": "Trần Thị Thu Hà",
            "findings": "Thiếu nhóm tin.",
            "follow_up_due": "2021-08-20",
        },
    }.get(path, {"commune": commune_a.pk, "note": "Xong"})
    for role in refused:
        user = request.getfixturevalue(role)
        response = client_as(user).post(path.format(deadline=deadline.pk), data)
        assert response.status_code == 403, role
    assert list(Deadline.objects.all()) == [deadline]
    assert not Inspection.objects.exists()
    assert not Submission.objects.exists()


def test_anonymous_goes_to_login(client_as, deadline):
    response = client_as(None).get("/deadlines/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deadline_list_shows_rates_and_missing_communes(
    client_as, district_leader, deadline, commune_a
):
    SubmissionFactory(deadline=deadline, commune=commune_a, submitted_at=local(2021, 8, 5, 9))
    page = text(client_as(district_leader).get("/deadlines/?date=2021-08-06"))
    assert "Số liệu tính đến ngày 06/08/2021" in page
    assert "50,0 % 1/2" in page
    assert "Đa Kia" in page
    assert "Tạo hạn báo cáo" not in page


def test_deadline_pages_take_dates_as_dd_mm_yyyy(client_as, district_leader, deadline):
    client = client_as(district_leader)
    assert "Số liệu tính đến ngày 06/08/2021" in text(client.get("/deadlines/?date=06/08/2021"))
    page = text(client.get("/deadlines/?date=31/02/2021"))
    assert "Nhập ngày hợp lệ" in page
    assert 'value="06/08/2021"' in client.get("/deadlines/?date=2021-08-06").content.decode()


def test_deadline_list_for_a_commune_shows_its_own_state(client_as, officer_b, deadline):
    page = text(client_as(officer_b).get("/deadlines/?date=2021-08-08"))
    assert "Xã của bạn" in page
    assert "quá hạn 2 ngày" in page


@pytest.mark.parametrize("size", [3, 30])
def test_deadline_list_in_constant_queries(
    client_as, district, district_leader, django_assert_num_queries, size
):
    communes = CommuneFactory.create_batch(size, district=district)
    for due in (datetime.date(2021, 8, 6), datetime.date(2021, 8, 20)):
        DeadlineFactory(district=district, due_date=due, communes=communes)
    client = client_as(district_leader)
    # session, user, profile (role check), deadlines, their figures, their missing communes,
    # the bell's unread count.
    with django_assert_num_queries(7):
        response = client.get("/deadlines/?date=2021-08-10")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 2
    # nobody has reported: every commune is expected and missing on both deadlines
    assert [summary.figures.expected for summary, _own in rows] == [size, size]
    assert [len(summary.missing) for summary, _own in rows] == [size, size]
    assert response.content.decode().count("<tr data-deadline=") == 2
    # each deadline names at most 20 missing communes and links to its page for the rest
    html = response.content.decode()
    assert html.count('class="badge text-bg-danger me-1"') == 2 * min(size, 20)
    more = re.findall(r'data-field="missing_more" href="([^"]+)">([^<]+)</a>', html)
    if size > 20:
        shown = f"và {size - 20} xã khác (xem trang hạn báo cáo)"
        assert [text for _href, text in more] == [shown] * 2
        assert {href for href, _text in more} == {
            f"/deadlines/{pk}/?date=2021-08-10&amp;state=missing"
            for pk in Deadline.objects.values_list("pk", flat=True)
        }
    else:
        assert more == []


def test_deadline_page_of_an_uncovered_commune_is_404(client_as, officer_b, district, commune_a):
    only_a = DeadlineFactory(district=district, communes=[commune_a])
    assert client_as(officer_b).get(f"/deadlines/{only_a.pk}/").status_code == 404
    assert client_as(officer_b).get(f"/deadlines/{only_a.pk}/submit/").status_code == 404


def test_create_deadline_by_form(client_as, district_staff, commune_a, commune_b):
    client = client_as(district_staff)
    form = text(client.get("/deadlines/new/"))
    assert "Các xã phải báo cáo" in form
    response = client.post(
        "/deadlines/new/",
        {
            "title": "Báo cáo tháng 8",
            "directive": "712/UBND-VX",
            "due_date": "2021-08-31",
            "communes": [commune_a.pk],
        },
    )
    deadline = Deadline.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/deadlines/{deadline.pk}/"
    assert list(deadline.communes.all()) == [commune_a]


def test_create_deadline_with_a_bad_date_shows_the_error(client_as, district_staff, commune_a):
    response = client_as(district_staff).post(
        "/deadlines/new/", {"title": "Báo cáo", "due_date": "31/02/2021"}
    )
    assert response.status_code == 400
    assert "Hạn nộp * Nhập ngày theo dạng dd/mm/yyyy." in text(response)
    assert not Deadline.objects.exists()


def test_submit_by_form_then_resubmit(client_as, officer_a, deadline, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_as(officer_a)
    with at(local(2021, 8, 6, 23, 59)):
        first = client.post(f"/deadlines/{deadline.pk}/submit/", {"note": "Đã xong"}, follow=True)
    assert "Đã nộp báo cáo đúng hạn." in text(first)
    with at(local(2021, 8, 8, 8, 0)):
        form = text(client.get(f"/deadlines/{deadline.pk}/submit/"))
        assert "Xã của bạn đã nộp lúc 06/08/2021 23:59" in form
        second = client.post(f"/deadlines/{deadline.pk}/submit/", {"note": "Bổ sung"}, follow=True)
    assert "thời điểm nộp lần đầu được giữ nguyên" in text(second)
    submission = Submission.objects.get()
    assert (submission.note, submission.on_time) == ("Bổ sung", True)


def test_submit_with_a_fake_pdf_is_refused_on_the_form(client_as, officer_a, deadline):
    upload = SimpleUploadedFile("bao-cao.pdf", b"plain text, not a PDF")
    response = client_as(officer_a).post(
        f"/deadlines/{deadline.pk}/submit/", {"note": "x", "attachment": upload}
    )
    assert response.status_code == 400
    assert "Tệp đính kèm phải là tệp PDF hoặc ảnh" in text(response)
    assert not Submission.objects.exists()


def test_reminder_log_is_scoped(client_as, officer_b, deadline, officer_a, district_staff):
    services.reminders_send_due(day=datetime.date(2021, 8, 9))
    page_b = text(client_as(officer_b).get("/reminders/"))
    assert "Đa Kia" in page_b and "Phú Nghĩa" not in page_b
    page_staff = text(client_as(district_staff).get("/reminders/?kind=escalation"))
    assert "báo lên huyện" in page_staff
    assert "Phú Nghĩa" in page_staff and "Đa Kia" in page_staff


def test_nav_links_by_role(client_as, officer_a, district_staff):
    commune_page = client_as(officer_a).get("/notifications/").content.decode()
    district_page = client_as(district_staff).get("/notifications/").content.decode()
    assert 'id="nav-deadlines"' in commune_page and 'id="nav-reminders"' in commune_page
    assert 'id="nav-inspections"' not in commune_page
    assert 'id="nav-inspections"' in district_page


def test_record_inspection_by_form(client_as, district_staff, commune_b):
    response = client_as(district_staff).post(
        "/inspections/new/",
        {
            "commune": commune_b.pk,
            "date": "2021-08-10",
            "inspector": "Trần Thị Thu Hà",
            "findings": "Quản trị viên chưa được tập huấn.",
            "follow_up_due": "2021-08-20",
        },
        follow=True,
    )
    assert "việc khắc phục đã thành một hạn báo cáo" in text(response)
    inspection = Inspection.objects.get()
    assert inspection.follow_up_deadline.communes.get() == commune_b
    assert "20/08/2021" in text(response)


def test_inspection_follow_up_before_the_visit_is_refused(client_as, district_staff, commune_b):
    response = client_as(district_staff).post(
        "/inspections/new/",
        {
            "commune": commune_b.pk,
            "date": "2021-08-10",
            "inspector": "Trần Thị Thu Hà",
            "findings": "x",
            "follow_up_due": "2021-08-09",
        },
    )
    assert response.status_code == 400
    assert "Hạn khắc phục không được trước ngày kiểm tra." in text(response)
    assert not Inspection.objects.exists()


def test_commune_users_cannot_record_inspections(client_as, officer_a, leader_a, commune_a):
    for user in (officer_a, leader_a):
        response = client_as(user).post(
            "/inspections/new/",
            {"commune": commune_a.pk, "date": "2021-08-10", "inspector": "x", "findings": "y"},
        )
        assert response.status_code == 403
    assert not Inspection.objects.exists()


def test_district_leader_cannot_create_deadlines(client_as, district_leader, commune_a):
    response = client_as(district_leader).post(
        "/deadlines/new/", {"title": "x", "due_date": "2021-08-31"}
    )
    assert response.status_code == 403
    assert not Deadline.objects.exists()


@pytest.mark.parametrize("size", [3, 30])
def test_deadline_page_in_constant_queries(
    client_as, district, district_leader, django_assert_num_queries, size
):
    communes = CommuneFactory.create_batch(size, district=district)
    deadline = DeadlineFactory(district=district, communes=communes)
    for commune in communes[::2]:
        SubmissionFactory(deadline=deadline, commune=commune)
    client = client_as(district_leader)
    # session, user, profile (role check), the deadline, the summary (deadline, figures,
    # missing communes), the names of the covered communes, the page's submissions with their
    # deadline and submitter, the bell's unread count.
    with django_assert_num_queries(10):
        response = client.get(f"/deadlines/{deadline.pk}/?date=2021-08-10")
    assert response.content.decode().count("đúng hạn</span>") == (size + 1) // 2


def test_pages_are_english_once_the_user_picks_it(client_as, district_leader, deadline):
    client = client_as(district_leader)
    client.cookies["django_language"] = "en"
    page = text(client.get("/deadlines/?date=2021-08-06", HTTP_ACCEPT_LANGUAGE="vi"))
    assert "Reporting rate" in page and "Communes missing" in page
    vietnamese = text(client_as(district_leader).get("/deadlines/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Tỷ lệ báo cáo" in vietnamese
