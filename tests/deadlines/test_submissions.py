"""Submitting a deadline's report: on time by the local day, one per commune with its history,
and every refusal a 400 (or 403 for a role that never submits) with nothing saved."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from deadlines import services
from deadlines.models import Submission
from tests.deadlines.conftest import LOCAL, at, local
from tests.factories import CommuneFactory, DeadlineFactory, DistrictFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def url(deadline) -> str:
    return f"/api/v1/deadlines/{deadline.pk}/submissions/"


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("moment", "on_time"),
    [
        # 16:59 UTC on 06/08: still the due day in Asia/Ho_Chi_Minh.
        (local(2021, 8, 6, 23, 59), True),
        # 17:01 UTC on 06/08, the same UTC day, but 07/08 locally: late.
        (local(2021, 8, 7, 0, 1), False),
        # the last instant of the due day, local time: on time
        (datetime.datetime(2021, 8, 6, 23, 59, 59, 999999, tzinfo=LOCAL), True),
        # the first instant of the next local day (17:00 UTC on 06/08): late
        (datetime.datetime(2021, 8, 7, 0, 0, 0, tzinfo=LOCAL), False),
    ],
)
def test_on_time_is_decided_by_the_local_day(
    api_as, officer_a, commune_a, deadline, moment, on_time
):
    with at(moment):
        response = api_as(officer_a).post(url(deadline), {"commune": commune_a.pk, "note": "Xong"})
    assert response.status_code == 201
    assert response.json()["on_time"] is on_time
    submission = Submission.objects.get()
    assert submission.submitted_at.astimezone(datetime.UTC).date() == datetime.date(2021, 8, 6)
    assert submission.on_time is on_time


def test_commune_defaults_to_the_users_own(api_as, officer_a, commune_a, deadline):
    with at(local(2021, 8, 5, 10)):
        response = api_as(officer_a).post(url(deadline), {"note": "Xong"}, format="json")
    assert response.status_code == 201
    assert response.json()["commune"] == commune_a.pk


def test_resubmission_keeps_the_first_time_and_the_history(
    api_as, officer_a, leader_a, commune_a, deadline
):
    with at(local(2021, 8, 6, 20, 0)):
        first = api_as(officer_a).post(url(deadline), {"commune": commune_a.pk, "note": "Lần 1"})
    with at(local(2021, 8, 9, 8, 0)):
        second = api_as(leader_a).post(url(deadline), {"commune": commune_a.pk, "note": "Lần 2"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["submitted_at"] == first.json()["submitted_at"]
    assert second.json()["on_time"] is True
    submission = Submission.objects.get()
    assert submission.note == "Lần 2"
    assert submission.submitted_by == officer_a
    history = list(submission.history.order_by("history_date").values_list("note", "history_user"))
    assert history == [("Lần 1", officer_a.pk), ("Lần 2", leader_a.pk)]


def test_attachment_pdf_is_stored_and_served_to_the_commune_only(
    api_as, client_as, officer_a, officer_b, district_leader, commune_a, deadline, media
):
    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    with at(local(2021, 8, 5, 10)):
        response = api_as(officer_a).post(
            url(deadline), {"commune": commune_a.pk, "note": "Kèm báo cáo", "attachment": upload}
        )
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert response.json()["attachment_url"].endswith(
        f"/api/v1/submissions/{submission.pk}/attachment/"
    )
    assert len(stored_files(media)) == 1
    download = f"/submissions/{submission.pk}/attachment/"
    assert b"".join(client_as(officer_a).get(download).streaming_content) == PDF
    assert client_as(district_leader).get(download).status_code == 200
    assert client_as(officer_b).get(download).status_code == 404


def test_attachment_url_answers_token_auth(api_client, officer_a, officer_b, deadline, media):
    from rest_framework.authtoken.models import Token

    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    token = Token.objects.create(user=officer_a).key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    created = api_client.post(url(deadline), {"note": "x", "attachment": upload}).json()
    download = created["attachment_url"]
    assert "/api/v1/submissions/" in download
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    other = Token.objects.create(user=officer_b).key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {other}")
    assert api_client.get(download).status_code == 404
    api_client.credentials()
    assert api_client.get(download).status_code == 401


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bao-cao.pdf",
            b"Just some text pretending to be a PDF.",
            "Tệp đính kèm phải là tệp PDF hoặc ảnh (JPEG, PNG, WebP).",
        ),
        ("anh.pdf", PNG, "Tên tệp có đuôi .pdf nhưng nội dung lại là PNG."),
        ("bao-cao.png", PDF, "Tên tệp có đuôi .png nhưng nội dung lại là PDF."),
        ("lon.pdf", PDF + b"0" * (10 * 1024 * 1024), "Tệp đính kèm lớn hơn 10 MB."),
    ],
)
def test_bad_attachment_is_400_and_nothing_saved(
    api_as, officer_a, commune_a, deadline, media, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = api_as(officer_a).post(
        url(deadline), {"commune": commune_a.pk, "note": "x", "attachment": upload}
    )
    assert response.status_code == 400
    assert response.json() == {"attachment": [message]}
    assert not Submission.objects.exists()
    assert stored_files(media) == []


def test_a_pdf_of_exactly_10_mb_is_accepted(api_as, officer_a, commune_a, deadline, media):
    content = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))
    upload = SimpleUploadedFile("du.pdf", content)
    response = api_as(officer_a).post(
        url(deadline), {"commune": commune_a.pk, "attachment": upload}
    )
    assert response.status_code == 201
    submission = Submission.objects.get()
    assert (submission.deadline, submission.commune) == (deadline, commune_a)
    (stored,) = stored_files(media)
    assert stored.stat().st_size == 10 * 1024 * 1024
    assert Path(submission.attachment.path) == stored


def test_deadline_not_covering_the_commune_is_404_and_nothing_saved(
    api_as, officer_b, district, commune_a, commune_b
):
    only_a = DeadlineFactory(district=district, communes=[commune_a])
    response = api_as(officer_b).post(url(only_a), {"commune": commune_b.pk, "note": "x"})
    # Not found, as when reading it: the answer does not tell that the deadline exists.
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    assert not Submission.objects.exists()


def test_the_service_still_refuses_a_commune_not_covered(officer_b, district, commune_a, commune_b):
    only_a = DeadlineFactory(district=district, communes=[commune_a])
    with pytest.raises(ValidationError) as caught:
        services.submission_submit(actor=officer_b, deadline=only_a, commune=commune_b, note="x")
    assert caught.value.message_dict == {
        "commune": ["Hạn báo cáo này không áp dụng cho xã Đa Kia."]
    }
    assert not Submission.objects.exists()


def test_submitting_for_another_commune_is_400_and_nothing_saved(
    api_as, officer_a, commune_b, deadline
):
    response = api_as(officer_a).post(url(deadline), {"commune": commune_b.pk, "note": "x"})
    assert response.status_code == 400
    assert response.json() == {"commune": ["Bạn chỉ được nộp báo cáo cho xã của mình."]}
    assert not Submission.objects.exists()


def test_another_districts_commune_is_answered_like_a_missing_one(api_as, officer_a, deadline):
    elsewhere = CommuneFactory(district=DistrictFactory(code="999", name="Huyện khác"))
    answers = [
        api_as(officer_a).post(url(deadline), {"commune": pk, "note": "x"}).json()
        for pk in (elsewhere.pk, elsewhere.pk + 1000)
    ]
    assert answers[0]["commune"][0].replace(str(elsewhere.pk), "ID") == answers[1]["commune"][
        0
    ].replace(str(elsewhere.pk + 1000), "ID")
    assert not Submission.objects.exists()


@pytest.mark.parametrize("role", ["district_staff", "district_leader"])
def test_district_users_do_not_submit_for_a_commune(request, api_as, commune_a, deadline, role):
    user = request.getfixturevalue(role)
    response = api_as(user).post(url(deadline), {"commune": commune_a.pk, "note": "x"})
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_another_communes_submission_is_not_listed_nor_found(
    api_as, client_as, officer_a, officer_b, commune_a, deadline
):
    with at(local(2021, 8, 5, 10)):
        api_as(officer_a).post(url(deadline), {"commune": commune_a.pk, "note": "A"})
    assert api_as(officer_b).get(url(deadline)).json()["results"] == []
    page = client_as(officer_b).get(f"/deadlines/{deadline.pk}/")
    assert page.status_code == 200
    assert "Phú Nghĩa" not in page.content.decode()


def test_deadline_that_does_not_cover_the_commune_is_404_to_read(
    api_as, officer_b, district, commune_a
):
    only_a = DeadlineFactory(district=district, communes=[commune_a])
    assert api_as(officer_b).get(url(only_a)).status_code == 404
    assert api_as(officer_b).get(f"/api/v1/deadlines/{only_a.pk}/").status_code == 404


def test_deeply_nested_json_is_a_400(api_as, officer_a, deadline):
    body = "[" * 5000 + "]" * 5000
    response = api_as(officer_a).post(url(deadline), body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Submission.objects.exists()
