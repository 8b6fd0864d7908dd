"""The workflow of a bulletin (docs/rules.md, Definitions and fine print), through its services:
draft → submitted → approved → (scheduled →) published, or rejected; each step audited."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bulletins import services
from bulletins.checks import bulletin_checks
from bulletins.models import Bulletin, BulletinStatus
from bulletins.publishing import bulletin_publish, bulletins_publish_due
from communes.models import Role
from tests.bulletins.conftest import NOW
from tests.factories import VillageFactory, make_user

pytestmark = pytest.mark.usefixtures("frozen")


def messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict


def test_a_draft_by_an_officer_is_audited_as_created(write, officer_a):
    bulletin = write(officer_a)

    assert bulletin.status == BulletinStatus.DRAFT
    assert bulletin.author == officer_a
    assert [(t.from_status, t.to_status, t.actor) for t in bulletin.transitions.all()] == [
        ("", "draft", officer_a)
    ]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "  "}, "title", "Hãy đặt tiêu đề cho bản tin."),
        ({"body": ""}, "body", "Hãy viết nội dung bản tin."),
        ({"field": "khong-co"}, "field", "Lĩnh vực “khong-co” không tồn tại."),
        ({"field": ""}, "field", "Hãy chọn lĩnh vực của bản tin."),
        (
            {"publish_at": NOW - datetime.timedelta(minutes=1)},
            "publish_at",
            "Thời điểm đăng phải ở tương lai.",
        ),
    ],
)
def test_bad_drafts_are_refused_and_nothing_is_saved(write, officer_a, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        write(officer_a, **fields)

    assert messages(refused.value)[field] == [message]
    assert not Bulletin.objects.exists()


def test_villages_of_another_commune_are_refused(write, officer_a, commune_b):
    with pytest.raises(ValidationError) as refused:
        write(officer_a, villages=[VillageFactory(commune=commune_b)])

    assert messages(refused.value) == {"villages": ["Chỉ chọn được các thôn của xã Phú Nghĩa."]}
    assert not Bulletin.objects.exists()


def test_district_staff_do_not_author_bulletins(write, district_staff, commune_a):
    with pytest.raises(PermissionDenied):
        write(district_staff, commune=commune_a)


def test_the_responsible_officer_submits(write, officer_a, health_assignment):
    bulletin = services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)

    assert bulletin.status == BulletinStatus.SUBMITTED
    assert bulletin.submitted_at == NOW


def test_another_officer_cannot_submit_and_is_told_who_can(write, officer_a, health_assignment):
    other = make_user(Role.COMMUNE_OFFICER, commune=officer_a.profile.commune, username="xa-a2")
    bulletin = write(other)

    with pytest.raises(PermissionDenied) as refused:
        services.bulletin_submit(bulletin=bulletin, actor=other)

    assert str(refused.value) == (
        "Chỉ cán bộ phụ trách lĩnh vực “Y tế, phòng chống dịch bệnh”, "
        f"{officer_a.first_name}, hoặc lãnh đạo xã mới được gửi duyệt bản tin này."
    )
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT


def test_a_leader_submits_whoever_answers_for_the_field(write, officer_a, leader_a):
    # No one answers for health here: only the leader may submit.
    bulletin = write(officer_a)
    with pytest.raises(PermissionDenied, match="chưa có cán bộ phụ trách"):
        services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    assert services.bulletin_submit(bulletin=bulletin, actor=leader_a).status == "submitted"


@pytest.mark.parametrize(
    ("fields", "field", "check"),
    [
        ({"source": ""}, "source", "source_required"),
        ({"body": " ".join(["Người dân cần đeo khẩu trang nơi đông."] * 38)}, "body", "max_words"),
        ({"body": " ".join(["chữ"] * 30) + "."}, "body", "sentence_length"),
    ],
)
def test_a_bulletin_failing_a_check_cannot_be_submitted(
    write, officer_a, health_assignment, fields, field, check
):
    bulletin = write(officer_a, **fields)

    with pytest.raises(ValidationError) as refused:
        services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    # A sentence for people; the check's name is the API's (checks.failed), never the message's.
    [message] = messages(refused.value)[field]
    assert check not in message and ":" not in message.split()[0]
    assert bulletin_checks(bulletin).failed == [check]
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT


def test_only_a_leader_approves_rejects_or_publishes(approved, write, officer_a, leader_a):
    bulletin = write(officer_a, field="nong-nghiep", source="")
    services.bulletin_submit(bulletin=bulletin, actor=leader_a)
    for action in (
        lambda: services.bulletin_approve(bulletin=bulletin, actor=officer_a),
        lambda: services.bulletin_reject(bulletin=bulletin, actor=officer_a, reason="Sai"),
        lambda: bulletin_publish(bulletin=approved(), actor=officer_a),
    ):
        with pytest.raises(PermissionDenied):
            action()


def test_the_whole_way_is_audited(approved, officer_a, leader_a, groups_a):
    bulletin = approved()
    bulletin = bulletin_publish(bulletin=bulletin, actor=leader_a)

    assert bulletin.status == BulletinStatus.PUBLISHED
    assert bulletin.published_at == NOW
    assert [(t.actor, t.at, t.from_status, t.to_status) for t in bulletin.transitions.all()] == [
        (officer_a, NOW, "", "draft"),
        (officer_a, NOW, "draft", "submitted"),
        (leader_a, NOW, "submitted", "approved"),
        (leader_a, NOW, "approved", "published"),
    ]


@pytest.mark.parametrize(
    ("step", "status"),
    [
        ("approve", "draft"),
        ("publish", "draft"),
        ("publish", "submitted"),
        ("reject", "draft"),
        ("submit", "submitted"),
        ("approve", "approved"),
        ("submit", "published"),
        ("reject", "published"),
    ],
)
def test_out_of_order_steps_are_refused_saying_why(
    write, officer_a, leader_a, health_assignment, groups_a, step, status
):
    bulletin = write(officer_a)
    path = {
        "submitted": ["submit"],
        "approved": ["submit", "approve"],
        "published": ["submit", "approve", "publish"],
    }.get(status, [])
    actions = {
        "submit": lambda: services.bulletin_submit(bulletin=bulletin, actor=leader_a),
        "approve": lambda: services.bulletin_approve(bulletin=bulletin, actor=leader_a),
        "reject": lambda: services.bulletin_reject(bulletin=bulletin, actor=leader_a, reason="x"),
        "publish": lambda: bulletin_publish(bulletin=bulletin, actor=leader_a),
    }
    for done in path:
        actions[done]()
    bulletin.refresh_from_db()
    audited = bulletin.transitions.count()

    with pytest.raises(ValidationError) as refused:
        actions[step]()

    [message] = messages(refused.value)["status"]
    assert message.startswith("Bản tin này đang ở trạng thái")
    bulletin.refresh_from_db()
    assert bulletin.status == status
    assert bulletin.transitions.count() == audited


def test_a_rejection_needs_a_reason(write, officer_a, leader_a, health_assignment):
    bulletin = services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)

    with pytest.raises(ValidationError) as refused:
        services.bulletin_reject(bulletin=bulletin, actor=leader_a, reason="  ")

    assert messages(refused.value) == {"reason": ["Hãy nêu lý do trả lại bản tin."]}


def test_a_rejected_bulletin_is_edited_and_submitted_again(
    write, officer_a, leader_a, health_assignment
):
    bulletin = services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)
    bulletin = services.bulletin_reject(
        bulletin=bulletin, actor=leader_a, reason="Ghi rõ địa điểm tiêm."
    )
    assert bulletin.transitions.last().note == "Ghi rõ địa điểm tiêm."

    bulletin = services.bulletin_update(
        bulletin=bulletin, actor=officer_a, body=bulletin.body + " Địa điểm: Trạm Y tế xã."
    )
    bulletin = services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    assert bulletin.status == BulletinStatus.SUBMITTED
    assert bulletin.body.endswith("Địa điểm: Trạm Y tế xã.")
    assert [t.to_status for t in bulletin.transitions.all()] == [
        "draft", "submitted", "rejected", "submitted",
    ]  # fmt: skip


def test_any_officer_of_the_commune_edits_a_draft_until_submitted(
    write, officer_a, leader_a, health_assignment
):
    other = make_user(Role.COMMUNE_OFFICER, commune=officer_a.profile.commune, username="xa-a2")
    bulletin = write(officer_a)

    services.bulletin_update(bulletin=bulletin, actor=other, title="Tiêu đề mới")
    services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    with pytest.raises(ValidationError):
        services.bulletin_update(bulletin=bulletin, actor=other, title="Sửa sau khi gửi")
    bulletin.refresh_from_db()
    assert bulletin.title == "Tiêu đề mới"


def test_publishing_later_schedules_and_beat_publishes_when_due(
    approved, leader_a, groups_a, frozen
):
    bulletin = approved()
    later = NOW + datetime.timedelta(hours=2)

    bulletin = bulletin_publish(bulletin=bulletin, actor=leader_a, publish_at=later)

    assert (bulletin.status, bulletin.publish_at) == ("scheduled", later)
    assert not bulletin.deliveries.exists()
    assert bulletins_publish_due() == []

    frozen.move_to(later)
    assert bulletins_publish_due() == [bulletin.pk]
    assert bulletins_publish_due() == []  # a second run finds nothing more
    bulletin.refresh_from_db()
    assert (bulletin.status, bulletin.published_at) == ("published", later)
    assert bulletin.transitions.last().actor is None
    assert bulletin.deliveries.count() == 3


def test_a_draft_asking_for_a_time_is_scheduled_for_it(approved, leader_a):
    later = NOW + datetime.timedelta(days=1)
    bulletin = approved(publish_at=later)

    bulletin = bulletin_publish(bulletin=bulletin, actor=leader_a)

    assert (bulletin.status, bulletin.publish_at) == ("scheduled", later)


def test_publishing_at_a_past_time_is_refused(approved, leader_a):
    bulletin = approved()

    with pytest.raises(ValidationError) as refused:
        bulletin_publish(
            bulletin=bulletin, actor=leader_a, publish_at=NOW - datetime.timedelta(hours=1)
        )

    assert messages(refused.value) == {"publish_at": ["Thời điểm đăng phải ở tương lai."]}
    bulletin.refresh_from_db()
    assert bulletin.status == "approved"
