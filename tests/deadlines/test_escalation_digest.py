"""District staff get the day's escalations as one email (docs/rules.md, Fine print: a digest, not
one per commune), while the in-app list still shows each escalated reminder; the digest is an
outbox row like a reminder email, sent once however often the job runs."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from kombu.exceptions import OperationalError

from bmp_comms.celery import app as celery_app
from communes.models import Role
from deadlines.models import (
    EscalationDigest,
    ReminderDelivery,
    ReminderDeliveryChannel,
    ReminderDeliveryStatus,
)
from deadlines.outbox import escalation_digest_send
from deadlines.tasks import EMAIL_RETRIES, send_due_reminders
from notifications.models import Notification
from tests.deadlines.conftest import at, local
from tests.factories import CommuneFactory, DeadlineFactory, make_user

D_PLUS_3 = datetime.date(2021, 8, 9)
COMMUNES = {"Phú Nghĩa", "Đa Kia", "Bình Thắng"}


@pytest.fixture
def eager_retries():
    """Let Celery run a failing task's retries inline, as a worker would run them later."""
    conf = celery_app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = previous


@pytest.fixture
def second_staff(district):
    return make_user(
        Role.DISTRICT_STAFF,
        district=district,
        username="vhtt-2",
        first_name="Lê Thị Hoa",
        email="vhtt-2@example.org",
    )


@pytest.fixture
def three_communes(district, commune_a, commune_b, with_emails, second_staff):
    """A deadline of three communes, none of which reports; two staff members with email."""
    commune_c = CommuneFactory(district=district, name="Bình Thắng", code="25234")
    return DeadlineFactory(district=district, communes=[commune_a, commune_b, commune_c])


def run(django_capture_on_commit_callbacks, on=D_PLUS_3, hour=7):
    with (
        at(local(on.year, on.month, on.day, hour)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return send_due_reminders.delay().get()


def emails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_each_staff_member_gets_one_email_listing_every_commune_escalated(
    three_communes, district_staff, second_staff, officer_a, django_capture_on_commit_callbacks
):
    result = run(django_capture_on_commit_callbacks)

    assert result["digests"] == 2
    for staff in (district_staff, second_staff):
        (message,) = emails_to(staff)
        assert message.subject == "Tổng hợp ngày 09/08/2021: 3 xã chưa báo cáo dù đã quá hạn"
        for commune in COMMUNES:
            assert f"- {commune}: 606/UBND-VX: Báo cáo kết quả thành lập nhóm tin" in message.body
        assert message.body.count("hạn 06/08/2021 (quá hạn 3 ngày)") == 3
        assert f"/deadlines/{three_communes.pk}/" in message.body
        html, mime = message.alternatives[0]
        assert mime == "text/html"
        assert all(f"<strong>{commune}</strong>" in html for commune in COMMUNES)
        # The in-app list still has one notification per escalated reminder.
        in_app = ReminderDelivery.objects.filter(recipient=staff)
        assert sorted(d.reminder.commune.name for d in in_app) == sorted(COMMUNES)
        assert {(d.channel, d.reminder.kind) for d in in_app} == {("in_app", "escalation")}
        # ... each a notice in the bell, in the app only (the digest is their email).
        notices = Notification.objects.filter(user=staff)
        assert sorted(n.event for n in notices) == sorted(
            f"reminder:{d.reminder_id}" for d in in_app
        )
        assert {(n.kind, n.email_status) for n in notices} == {("escalation", "none")}
        (digest,) = EscalationDigest.objects.filter(recipient=staff)
        assert (digest.day, digest.status, digest.attempts) == (D_PLUS_3, "sent", 1)
        assert {d.digest_id for d in in_app} == {digest.pk}
    assert second_staff.first_name in emails_to(second_staff)[0].body
    # A commune's users still get one email per reminder.
    assert [m.subject for m in emails_to(officer_a)] == [
        '[606/UBND-VX] Quá hạn 3 ngày: báo cáo "Báo cáo kết quả thành lập nhóm tin"'
    ]


def test_running_again_sends_no_second_digest_and_the_next_day_sends_its_own(
    three_communes, district_staff, second_staff, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    again = run(django_capture_on_commit_callbacks, hour=9)
    assert (again["reminders"], again["digests"], again["emails_queued"]) == (0, 0, 0)
    assert again["emails_requeued"] == 0
    assert len(emails_to(district_staff)) == 1
    # The digest itself cannot be sent twice either: its claim is taken.
    digest = EscalationDigest.objects.get(recipient=district_staff)
    assert escalation_digest_send(digest_id=digest.pk) is False
    assert len(emails_to(district_staff)) == 1

    run(django_capture_on_commit_callbacks, on=D_PLUS_3 + datetime.timedelta(days=1))
    subjects = [message.subject for message in emails_to(district_staff)]
    assert subjects == [
        "Tổng hợp ngày 09/08/2021: 3 xã chưa báo cáo dù đã quá hạn",
        "Tổng hợp ngày 10/08/2021: 3 xã chưa báo cáo dù đã quá hạn",
    ]
    assert EscalationDigest.objects.count() == 4


def test_a_second_run_joins_the_digest_still_waiting(
    three_communes, district, district_staff, commune_a, django_capture_on_commit_callbacks
):
    # The broker is down for the morning run: the digest waits in the outbox.
    with mock.patch(
        "deadlines.tasks.deliver_escalation_digest.delay", side_effect=OperationalError("down")
    ):
        run(django_capture_on_commit_callbacks)
    assert EscalationDigest.objects.get(recipient=district_staff).status == "pending"
    assert emails_to(district_staff) == []
    # A deadline entered late that morning is escalated by a second run of the same day: it joins
    # the waiting digest, which then leaves once with everything.
    late = DeadlineFactory(
        district=district, communes=[commune_a], title="Báo cáo Bluezone", directive=""
    )
    late.due_date = datetime.date(2021, 8, 5)
    late.save()
    second = run(django_capture_on_commit_callbacks, hour=10)
    assert (second["reminders"], second["digests"], second["emails_requeued"]) == (2, 0, 2)
    (message,) = emails_to(district_staff)
    assert message.subject == "Tổng hợp ngày 09/08/2021: 3 xã chưa báo cáo dù đã quá hạn"
    assert "- Phú Nghĩa: Báo cáo Bluezone" in message.body
    assert "hạn 05/08/2021 (quá hạn 4 ngày)" in message.body
    assert message.body.count("\n- ") == 4
    assert EscalationDigest.objects.filter(recipient=district_staff).count() == 1


def test_an_escalation_after_the_digest_went_stays_in_the_app(
    three_communes, district, district_staff, commune_a, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    late = DeadlineFactory(
        district=district, communes=[commune_a], due_date=datetime.date(2021, 8, 5)
    )
    second = run(django_capture_on_commit_callbacks, hour=10)
    assert second["reminders"] == 2
    # One message a day: the digest already went, the new escalation is in the app only.
    assert len(emails_to(district_staff)) == 1
    newest = ReminderDelivery.objects.get(
        recipient=district_staff, reminder__deadline=late, reminder__kind="escalation"
    )
    assert (newest.channel, newest.digest_id) == (ReminderDeliveryChannel.IN_APP, None)


def test_the_digest_escapes_what_people_typed(
    district, commune_a, district_staff, with_emails, django_capture_on_commit_callbacks
):
    DeadlineFactory(
        district=district, communes=[commune_a], title='<b>Báo cáo</b> & "kế hoạch"', directive=""
    )
    run(django_capture_on_commit_callbacks)
    (message,) = emails_to(district_staff)
    assert '- Phú Nghĩa: <b>Báo cáo</b> & "kế hoạch"' in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;Báo cáo&lt;/b&gt; &amp; &quot;kế hoạch&quot;" in html
    assert "<b>Báo cáo</b>" not in html
    assert message.subject == "Tổng hợp ngày 09/08/2021: 1 xã chưa báo cáo dù đã quá hạn"


def test_staff_without_an_address_get_the_app_only(
    deadline, district_staff, officer_a, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    assert not EscalationDigest.objects.exists()
    assert ReminderDelivery.objects.filter(recipient=district_staff).count() == 2
    assert mail.outbox == []


def test_the_reminder_log_shows_each_escalation_with_the_digest_that_emailed_it(
    three_communes, district_staff, commune_a, api_as, client_as, django_capture_on_commit_callbacks
):
    run(django_capture_on_commit_callbacks)
    digest = EscalationDigest.objects.get(recipient=district_staff)
    rows = api_as(district_staff).get(f"/api/v1/reminders/?commune={commune_a.pk}&kind=escalation")
    (row,) = rows.json()["results"]
    mine = [c for c in row["channels"] if c["recipient"] == district_staff.pk]
    assert [(c["channel"], c["status"], c["digest"]) for c in mine] == [
        ("in_app", "sent", None),
        ("email", "sent", digest.pk),
    ]
    assert mine[1]["attempts"] == 1 and mine[1]["sent_at"] is not None
    page = client_as(district_staff).get("/reminders/?kind=escalation").content.decode()
    assert page.count(f'data-digest="{digest.pk}"') == 3
    assert "thư điện tử (bản tổng hợp hằng ngày)" in page


def test_a_failing_server_leaves_the_digest_failed_then_the_next_run_sends_it(
    three_communes, district_staff, settings, eager_retries, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.deadlines.backends.FailingBackend"
    run(django_capture_on_commit_callbacks)
    digest = EscalationDigest.objects.get(recipient=district_staff)
    assert (digest.status, digest.attempts) == ("failed", 1 + EMAIL_RETRIES)
    # In words, with the server's own; the exception's name is the log's.
    assert digest.error == (
        "Không gửi được thư điện tử qua máy chủ thư (Connection unexpectedly closed); thư sẽ "
        "được gửi lại."
    )
    # the in-app escalations were never at stake
    assert ReminderDelivery.objects.filter(recipient=district_staff, status="sent").count() == 3

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = run(django_capture_on_commit_callbacks, hour=8)
    assert again["reminders"] == 0
    digest.refresh_from_db()
    assert (digest.status, digest.error) == (ReminderDeliveryStatus.SENT, "")
    (message,) = emails_to(district_staff)
    assert message.body.count("\n- ") == 3
