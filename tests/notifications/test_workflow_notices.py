"""Who is told of a bulletin's steps (docs/rules.md#notifications): the commune's leaders of a
submission but not its submitter; the author and the field's responsible officer of an approval,
a rejection (with its reason) and a publication; the author and the leaders of a failed
delivery, once however often the failure is recorded; each once per round."""

import pytest
from django.core import mail
from django.test import override_settings

from bulletins import claims, notices, sending, services
from bulletins.channels import channel_connect
from bulletins.models import Delivery
from bulletins.publishing import bulletin_publish
from communes.models import Role
from notifications.models import EmailStatus, Notification
from tests.factories import make_user
from tests.notifications.conftest import NOW, told

pytestmark = pytest.mark.usefixtures("frozen")

TOKEN = "123456789:AAF-secret-bot-token-of-phu-nghia"


def name(user) -> str:
    return user.get_full_name() or user.username


@pytest.fixture
def bystanders(commune_a, commune_b, district):
    """People never told of commune A's bulletins: a leader of B, a former (inactive) leader
    of A, and the district's staff."""
    make_user(Role.COMMUNE_LEADER, commune=commune_b, username="ct-b")
    make_user(Role.COMMUNE_LEADER, commune=commune_a, username="ct-a-cu", is_active=False)
    make_user(Role.DISTRICT_STAFF, district=district, username="vhtt-a")


def test_a_submission_tells_the_communes_leaders_but_not_the_submitter(
    write, officer_a, leader_a, second_leader, health_assignment, bystanders
):
    bulletin = write(officer_a, title="Tiêm vắc xin mũi 2")

    services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    event = f"bulletin:{bulletin.pk}:submitted:1"
    assert told(event) == ["ct-a", "pct-a"]
    notice = Notification.objects.get(event=event, user=leader_a)
    assert notice.kind == "bulletin_submitted"
    assert notice.url == f"/bulletins/{bulletin.pk}/"
    assert notice.text == (
        f"{name(officer_a)} đã trình duyệt bản tin “Tiêm vắc xin mũi 2” "
        "(lĩnh vực Y tế, phòng chống dịch bệnh)."
    )
    assert notice.subject == "Bản tin chờ duyệt: “Tiêm vắc xin mũi 2”"


def test_a_leader_submitting_is_not_told_the_other_leaders_are(
    write, officer_a, leader_a, second_leader, health_assignment
):
    bulletin = write(leader_a)

    services.bulletin_submit(bulletin=bulletin, actor=leader_a)

    assert told(f"bulletin:{bulletin.pk}:submitted:1") == ["pct-a"]


def test_approval_and_publication_tell_the_author_and_the_responsible_officer(
    write, writer_a, officer_a, leader_a, second_leader, health_assignment, groups_a
):
    # Written by one officer, answered for by another (officer A holds y-te).
    bulletin = write(writer_a, title="Lịch tiêm chủng")
    services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    services.bulletin_approve(bulletin=bulletin, actor=leader_a)
    bulletin_publish(bulletin=bulletin, actor=second_leader)

    assert told(f"bulletin:{bulletin.pk}:approved:1") == ["xa-a", "xa-a2"]
    approved = Notification.objects.get(event=f"bulletin:{bulletin.pk}:approved:1", user=writer_a)
    assert approved.text == f"Bản tin “Lịch tiêm chủng” đã được {name(leader_a)} duyệt."
    assert told(f"bulletin:{bulletin.pk}:published") == ["xa-a", "xa-a2"]
    published = Notification.objects.get(event=f"bulletin:{bulletin.pk}:published", user=officer_a)
    # Three active groups, none with a channel: each post is made by hand.
    assert published.text == (
        "Bản tin “Lịch tiêm chủng” đã được phát hành lúc 08:00 10/08/2021 tới 3 nhóm tin. "
        "Có 3 bài cần đăng thủ công và xác nhận."
    )
    assert published.url == f"/bulletins/{bulletin.pk}/"
    # The leaders acted; they are told of nothing but submissions.
    assert not Notification.objects.filter(user__in=[leader_a, second_leader]).exclude(
        kind="bulletin_submitted"
    )


def test_a_rejection_says_why_and_a_second_round_is_told_again(
    write, officer_a, leader_a, health_assignment
):
    bulletin = write(officer_a, title="Họp dân")
    services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    services.bulletin_reject(bulletin=bulletin, actor=leader_a, reason="Thiếu giờ họp.")

    rejected = Notification.objects.get(event=f"bulletin:{bulletin.pk}:rejected:1")
    # The author is the responsible officer too: told once.
    assert rejected.user == officer_a
    assert rejected.text == (
        f"Bản tin “Họp dân” đã bị {name(leader_a)} trả lại. Lý do: Thiếu giờ họp."
    )

    # Edited and submitted again: a new round, told again; its approval too.
    services.bulletin_submit(bulletin=bulletin, actor=officer_a)
    services.bulletin_approve(bulletin=bulletin, actor=leader_a)
    assert told(f"bulletin:{bulletin.pk}:submitted:1") == ["ct-a"]
    assert told(f"bulletin:{bulletin.pk}:submitted:2") == ["ct-a"]
    assert told(f"bulletin:{bulletin.pk}:approved:2") == ["xa-a"]
    # The same step raised again in the same round (a retried call) tells nobody twice.
    bulletin.refresh_from_db()
    assert notices.bulletin_submitted_notify(bulletin=bulletin, actor=officer_a) == []
    assert notices.bulletin_approved_notify(bulletin=bulletin, actor=leader_a) == []
    assert Notification.objects.filter(user=leader_a).count() == 2


def test_the_email_of_a_rejection_carries_the_reason_and_the_link(
    write, officer_a, leader_a, health_assignment, django_capture_on_commit_callbacks
):
    officer_a.email = "xa-a@example.org"
    officer_a.save()
    bulletin = write(officer_a, title="Họp dân")
    services.bulletin_submit(bulletin=bulletin, actor=officer_a)

    with (
        override_settings(SITE_URL="https://bmp.example.org"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.bulletin_reject(bulletin=bulletin, actor=leader_a, reason="Thiếu giờ họp.")

    (message,) = mail.outbox
    assert message.to == ["xa-a@example.org"]
    assert message.subject == "Bản tin bị trả lại: “Họp dân”"
    assert "Lý do: Thiếu giờ họp." in message.body
    assert f"https://bmp.example.org/bulletins/{bulletin.pk}/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert "<strong>Lý do: Thiếu giờ họp.</strong>" in html
    assert f'href="https://bmp.example.org/bulletins/{bulletin.pk}/"' in html
    notice = Notification.objects.get(user=officer_a)
    assert (notice.email_status, notice.email_attempts) == (EmailStatus.SENT, 1)


@pytest.fixture
def telegram(httpserver):
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        yield httpserver


@pytest.fixture
def telegram_delivery(approved, leader_a, groups_a, commune_a, telegram):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
    bulletin = bulletin_publish(bulletin=approved(title="Cắt điện"), actor=leader_a)
    return bulletin.deliveries.get(channel="telegram")


def test_a_failed_delivery_tells_the_author_and_the_leaders_once(
    telegram_delivery, telegram, officer_a, leader_a, second_leader, writer_a
):
    telegram.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_json(
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was kicked"}, status=403
    )

    assert sending.delivery_send(delivery_id=telegram_delivery.pk).status == "failed"
    # The failure recorded a second time (a retried task, a second sweep): nobody told twice.
    assert notices.delivery_failed_notify(delivery_id=telegram_delivery.pk) == []

    event = f"delivery:{telegram_delivery.pk}:failed"
    # The author (officer A) and both leaders; not the other officer.
    assert told(event) == ["ct-a", "pct-a", "xa-a"]
    notice = Notification.objects.get(event=event, user=officer_a)
    assert notice.text == (
        "Không đăng được bản tin “Cắt điện” lên nhóm Telegram Phú Tiến (Thôn Phú Tiến): "
        "hãy đăng thủ công rồi xác nhận."
    )
    assert notice.url == f"/bulletins/{telegram_delivery.bulletin_id}/"
    # The other deliveries (posted by hand) did not fail: nobody was told of them.
    assert Notification.objects.filter(kind="delivery_failed").count() == 3


def test_a_failure_recorded_by_the_sweep_and_by_a_late_worker_is_told_once(
    telegram_delivery, frozen, leader_a
):
    # A worker claimed the last attempt and hung; the sweep fails the delivery after the claim
    # timeout, then the worker wakes and records its own failure.
    Delivery.objects.filter(pk=telegram_delivery.pk).update(
        claimed_at=NOW, attempts=claims.MAX_ATTEMPTS
    )
    late_worker = Delivery.objects.get(pk=telegram_delivery.pk)
    frozen.shift(claims.CLAIM_TIMEOUT.total_seconds() + 1)

    assert sending.deliveries_give_up() == 1
    sending._fail(late_worker, None, "Timeout")

    assert Delivery.objects.get(pk=telegram_delivery.pk).status == "failed"
    assert told(f"delivery:{telegram_delivery.pk}:failed") == ["ct-a", "xa-a"]
