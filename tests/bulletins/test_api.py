"""/api/v1/bulletins/ and its actions, deliveries and their confirmation (docs/rules.md,
contract)."""

import datetime

import pytest

from bulletins import services
from bulletins.models import Bulletin
from bulletins.publishing import bulletin_publish
from tests.bulletins.conftest import HEALTH_BODY, NOW

pytestmark = pytest.mark.usefixtures("frozen")

DRAFT = {
    "field": "y-te",
    "title": "Thông báo tiêm vắc xin Covid-19",
    "body": HEALTH_BODY,
    "source": "Trung tâm Y tế huyện Bù Gia Mập",
}


def test_an_officer_drafts_and_gets_the_checks(api_as, officer_a, villages_a):
    response = api_as(officer_a).post(
        "/api/v1/bulletins/", {**DRAFT, "villages": [villages_a[0].pk]}, format="json"
    )

    assert response.status_code == 201, response.content
    bulletin = Bulletin.objects.get()
    assert response.json() == {
        "id": bulletin.pk,
        "commune": officer_a.profile.commune_id,
        "field": "y-te",
        "title": DRAFT["title"],
        "body": HEALTH_BODY,
        "source": DRAFT["source"],
        "villages": [villages_a[0].pk],
        "status": "draft",
        "checks": {
            "words": 50,
            "sentences": 3,
            "avg_sentence_words": 16.7,
            "longest_sentence_words": 25,
            "failed": [],
            "duplicate_of": [],
        },
        "author": officer_a.pk,
        "publish_at": None,
        "urgent": False,
        "urgent_reason": "",
        # A draft has no public page (docs/rules.md#public-channel).
        "verify_url": None,
    }


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": ""}, "title", "Hãy đặt tiêu đề cho bản tin."),
        ({"body": "   "}, "body", "Hãy viết nội dung bản tin."),
        ({"field": "khong-co"}, "field", "Lĩnh vực “khong-co” không tồn tại."),
        (
            {"publish_at": "2021-08-10T07:00:00+07:00"},
            "publish_at",
            "Thời điểm đăng phải ở tương lai.",
        ),
    ],
)
def test_bad_drafts_are_400_in_vietnamese(api_as, officer_a, body, field, message):
    response = api_as(officer_a).post("/api/v1/bulletins/", {**DRAFT, **body}, format="json")

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Bulletin.objects.exists()


def test_villages_of_another_commune_are_400(api_as, officer_a, commune_b):
    from tests.factories import VillageFactory

    other = VillageFactory(commune=commune_b)
    response = api_as(officer_a).post(
        "/api/v1/bulletins/", {**DRAFT, "villages": [other.pk]}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["villages"]
    assert not Bulletin.objects.exists()


def test_submit_failing_a_check_is_400_under_its_field(api_as, officer_a, health_assignment):
    client = api_as(officer_a)
    pk = client.post("/api/v1/bulletins/", {**DRAFT, "source": ""}, format="json").json()["id"]

    response = client.post(f"/api/v1/bulletins/{pk}/submit/")

    assert response.status_code == 400
    assert response.json() == {"source": ["Bản tin y tế phải ghi rõ nguồn."]}
    detail = client.get(f"/api/v1/bulletins/{pk}/").json()
    assert (detail["status"], detail["checks"]["failed"]) == ("draft", ["source_required"])


def test_submit_by_the_wrong_officer_is_403_naming_the_responsible_one(
    api_as, leader_a, officer_a, health_assignment
):
    from communes.models import Role
    from tests.factories import make_user

    other = make_user(Role.COMMUNE_OFFICER, commune=officer_a.profile.commune, username="xa-a2")
    client = api_as(other)
    pk = client.post("/api/v1/bulletins/", DRAFT, format="json").json()["id"]

    response = client.post(f"/api/v1/bulletins/{pk}/submit/")

    assert response.status_code == 403
    assert officer_a.first_name in response.json()["detail"]


def test_the_whole_workflow_through_the_api(
    api_as, officer_a, leader_a, health_assignment, groups_a
):
    officer = api_as(officer_a)
    pk = officer.post("/api/v1/bulletins/", DRAFT, format="json").json()["id"]
    assert officer.post(f"/api/v1/bulletins/{pk}/submit/").json()["status"] == "submitted"

    leader = api_as(leader_a)
    assert (
        leader.post(f"/api/v1/bulletins/{pk}/approve/", {}, format="json").json()["status"]
        == "approved"
    )
    published = leader.post(f"/api/v1/bulletins/{pk}/publish/", {}, format="json")
    assert published.status_code == 200
    assert published.json()["status"] == "published"

    deliveries = leader.get(f"/api/v1/bulletins/{pk}/deliveries/").json()["results"]
    assert len(deliveries) == 3
    first = deliveries[0]
    assert set(first) == {
        "id", "bulletin", "group", "channel", "status", "attempts", "error", "posted_url",
        "evidence_url", "sent_at",
    }  # fmt: skip
    assert (first["channel"], first["status"]) == ("manual", "awaiting_confirmation")

    confirmed = api_as(officer_a).post(
        f"/api/v1/deliveries/{first['id']}/confirm/",
        {"posted_url": "https://zalo.me/g/phutien/1"},
        format="json",
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["posted_url"] == "https://zalo.me/g/phutien/1"


def test_out_of_order_is_400_saying_why(api_as, officer_a, leader_a):
    pk = api_as(officer_a).post("/api/v1/bulletins/", DRAFT, format="json").json()["id"]

    response = api_as(leader_a).post(f"/api/v1/bulletins/{pk}/publish/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "status": ["Bản tin này đang ở trạng thái “bản nháp”: không thể đăng lúc này."]
    }


def test_reject_needs_a_reason_and_records_it(api_as, officer_a, leader_a, health_assignment):
    pk = api_as(officer_a).post("/api/v1/bulletins/", DRAFT, format="json").json()["id"]
    api_as(officer_a).post(f"/api/v1/bulletins/{pk}/submit/")
    leader = api_as(leader_a)

    assert leader.post(f"/api/v1/bulletins/{pk}/reject/", {}, format="json").json() == {
        "reason": ["Hãy nêu lý do trả lại bản tin."]
    }
    response = leader.post(
        f"/api/v1/bulletins/{pk}/reject/", {"reason": "Thiếu địa điểm."}, format="json"
    )
    assert response.json()["status"] == "rejected"
    assert Bulletin.objects.get().transitions.last().note == "Thiếu địa điểm."


def test_approving_a_duplicate_needs_override(api_as, officer_a, leader_a, health_assignment):
    services.bulletin_submit(
        bulletin=services.bulletin_create(
            commune=officer_a.profile.commune, author=leader_a, **DRAFT
        ),
        actor=leader_a,
    )
    officer = api_as(officer_a)
    pk = officer.post("/api/v1/bulletins/", DRAFT, format="json").json()["id"]
    submitted = officer.post(f"/api/v1/bulletins/{pk}/submit/").json()
    assert submitted["status"] == "submitted"
    assert len(submitted["checks"]["duplicate_of"]) == 1

    leader = api_as(leader_a)
    refused = leader.post(f"/api/v1/bulletins/{pk}/approve/", {}, format="json")
    assert refused.status_code == 400
    assert "xác nhận vẫn duyệt dù trùng" in refused.json()["override_duplicate"][0]
    approved = leader.post(
        f"/api/v1/bulletins/{pk}/approve/", {"override_duplicate": True}, format="json"
    )
    assert approved.json()["status"] == "approved"
    assert Bulletin.objects.get(pk=pk).duplicate_override is True


def test_publish_later_schedules(api_as, approved, leader_a):
    bulletin = approved()
    later = NOW + datetime.timedelta(hours=3)

    response = api_as(leader_a).post(
        f"/api/v1/bulletins/{bulletin.pk}/publish/",
        {"publish_at": later.isoformat()},
        format="json",
    )

    assert response.json()["status"] == "scheduled"
    assert response.json()["publish_at"] == "2021-08-10T11:00:00+07:00"


def test_a_draft_is_edited_with_patch_until_submitted(api_as, officer_a, health_assignment):
    client = api_as(officer_a)
    pk = client.post("/api/v1/bulletins/", DRAFT, format="json").json()["id"]

    edited = client.patch(f"/api/v1/bulletins/{pk}/", {"title": "Tiêu đề mới"}, format="json")
    assert edited.json()["title"] == "Tiêu đề mới"
    client.post(f"/api/v1/bulletins/{pk}/submit/")
    refused = client.patch(f"/api/v1/bulletins/{pk}/", {"title": "Sau khi gửi"}, format="json")

    assert refused.status_code == 400
    assert "status" in refused.json()
    assert Bulletin.objects.get().title == "Tiêu đề mới"


def test_a_confirm_link_that_is_not_web_is_400(api_as, approved, leader_a, officer_a, groups_a):
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    delivery = bulletin.deliveries.first()

    response = api_as(officer_a).post(
        f"/api/v1/deliveries/{delivery.pk}/confirm/",
        {"posted_url": "javascript:alert(1)"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "posted_url": ["Nhập đường liên kết hợp lệ, bắt đầu bằng http:// hoặc https://."]
    }
