"""The reminder job along the whole timeline D-8 … D+5 (D = 06/08/2021), run by beat's task at
07:00 Asia/Ho_Chi_Minh each day, and run a second time each day to prove it sends nothing more.

Communes: A (officer_a and leader_a, both with email) never submits; B (officer_b) submits at
D+2 09:00, after that day's run; C (no login) submits at D-2. District staff get escalations,
the district leader nothing.
"""

import datetime

import pytest
from django.core import mail

from communes.models import Role
from reports import services
from reports.models import Channel, DeliveryStatus, Reminder, ReminderDelivery
from reports.tasks import send_due_reminders
from tests.factories import CommuneFactory, DeadlineFactory, DistrictFactory, make_user
from tests.reports.conftest import LOCAL, at, day, local

# (offset from D) → the reminders that day, as (commune, kind).
EXPECTED = {
    -8: set(),
    -7: {("A", "before_7"), ("B", "before_7"), ("C", "before_7")},
    -6: set(),
    -5: set(),
    -4: set(),
    -3: {("A", "before_3"), ("B", "before_3"), ("C", "before_3")},
    -2: set(),
    -1: {("A", "before_1"), ("B", "before_1")},
    0: {("A", "due"), ("B", "due")},
    1: {("A", "overdue"), ("B", "overdue")},
    2: {("A", "overdue"), ("B", "overdue")},
    3: {("A", "overdue"), ("A", "escalation")},
    4: {("A", "overdue"), ("A", "escalation")},
    5: {("A", "overdue"), ("A", "escalation")},
}
# Deliveries per reminder: A's go to officer_a and leader_a, B's to officer_b, C has no login,
# an escalation goes to the one district staff user; each in the app and by email.
RECIPIENTS = {"A": 2, "B": 1, "C": 0, "escalation": 1}
RESULT_COUNTS = ("reminders", "deliveries", "emails_queued", "emails_requeued")


@pytest.fixture
def timeline(district, commune_a, commune_b, officer_a, leader_a, officer_b, with_emails):
    commune_c = CommuneFactory(district=district, name="Bình Thắng", code="25234")
    deadline = DeadlineFactory(district=district, communes=[commune_a, commune_b, commune_c])
    names = {commune_a.pk: "A", commune_b.pk: "B", commune_c.pk: "C"}
    return deadline, commune_c, names


def run_day(offset, django_capture_on_commit_callbacks):
    """Beat's run of that day: the task at 07:00 local, emails sent after commit."""
    seven = datetime.datetime.combine(day(offset), datetime.time(7, 0), tzinfo=LOCAL)
    with at(seven), django_capture_on_commit_callbacks(execute=True):
        return send_due_reminders.delay().get()


def test_exact_reminders_each_day_and_nothing_more_on_a_second_run(
    timeline,
    commune_b,
    officer_b,
    district_staff,
    district_leader,
    django_capture_on_commit_callbacks,
):
    deadline, commune_c, names = timeline
    # Neither gets an escalation: staff of another district, and a staff login of this district
    # that was switched off. Both have an address, so only the rule keeps the emails away.
    other_district = DistrictFactory(code="999", name="Khác")
    elsewhere = make_user(
        Role.DISTRICT_STAFF, district=other_district, username="vhtt-khac", email="khac@example.org"
    )
    inactive = make_user(
        Role.DISTRICT_STAFF,
        district=district_staff.profile.district,
        username="vhtt-cu",
        email="cu@example.org",
        is_active=False,
    )
    for offset in range(-8, 6):
        if offset == -2:
            # C's reporter gets a login only now, so C had nobody to deliver to before.
            reporter_c = make_user(Role.COMMUNE_OFFICER, commune=commune_c, username="xa-c")
            with at(local(2021, 8, 4, 10, 0)):
                services.submission_submit(actor=reporter_c, deadline=deadline, commune=commune_c)
        before = (Reminder.objects.count(), ReminderDelivery.objects.count(), len(mail.outbox))

        result = run_day(offset, django_capture_on_commit_callbacks)

        made = {
            (names[commune_id], kind)
            for commune_id, kind in Reminder.objects.filter(day=day(offset)).values_list(
                "commune_id", "kind"
            )
        }
        assert made == EXPECTED[offset], offset
        people = sum(
            RECIPIENTS["escalation" if kind == "escalation" else commune]
            for commune, kind in EXPECTED[offset]
        )
        assert result["reminders"] == len(EXPECTED[offset])
        assert result["deliveries"] == 2 * people
        assert result["emails_queued"] == people
        assert ReminderDelivery.objects.count() - before[1] == 2 * people
        assert len(mail.outbox) - before[2] == people

        # The same day again: the unique key holds, nothing is delivered twice.
        again = run_day(offset, django_capture_on_commit_callbacks)
        assert [again[key] for key in RESULT_COUNTS] == [0, 0, 0, 0]
        assert Reminder.objects.filter(day=day(offset)).count() == len(EXPECTED[offset])
        assert ReminderDelivery.objects.count() - before[1] == 2 * people
        assert len(mail.outbox) - before[2] == people

        if offset == 2:
            with at(local(2021, 8, 8, 9, 0)):
                services.submission_submit(actor=officer_b, deadline=deadline, commune=commune_b)

    # 3 + 3 + 2 + 2 + 2 + 2 + 2 × 3 = 20 reminders, all sent.
    assert Reminder.objects.count() == 20
    assert not ReminderDelivery.objects.exclude(status=DeliveryStatus.SENT).exists()
    escalated_to = set(
        ReminderDelivery.objects.filter(reminder__kind="escalation").values_list(
            "recipient__username", flat=True
        )
    )
    assert escalated_to == {district_staff.username}
    assert not ReminderDelivery.objects.filter(recipient=district_leader).exists()
    # three escalations (D+3, D+4, D+5), each in the app and by email, to the one active staff
    assert ReminderDelivery.objects.filter(recipient=district_staff).count() == 6
    for user in (elsewhere, inactive):
        assert not ReminderDelivery.objects.filter(recipient=user).exists(), user.username
        assert not [message for message in mail.outbox if user.email in message.to], user.username


def test_none_for_a_commune_that_submitted(
    deadline, commune_a, commune_b, officer_a, django_capture_on_commit_callbacks
):
    with at(local(2021, 8, 2, 9, 0)):
        services.submission_submit(actor=officer_a, deadline=deadline, commune=commune_a)
    run_day(-3, django_capture_on_commit_callbacks)
    assert list(Reminder.objects.values_list("commune__code", "kind")) == [
        (commune_b.code, "before_3")
    ]


def test_email_says_deadline_directive_due_date_days_and_link(
    deadline, officer_a, with_emails, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://bmp.example.org"
    run_day(-3, django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == [officer_a.email]]
    assert message.subject == (
        '[606/UBND-VX] Nhắc hạn: còn 3 ngày để nộp báo cáo "Báo cáo kết quả thành lập nhóm tin"'
    )
    assert "Hạn nộp: 06/08/2021" in message.body
    assert "Còn 3 ngày." in message.body
    assert f"https://bmp.example.org/deadlines/{deadline.pk}/submit/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert "Công văn: 606/UBND-VX" in html


def test_escalation_email_names_the_commune_and_days_overdue(
    deadline, district_staff, with_emails, django_capture_on_commit_callbacks
):
    run_day(4, django_capture_on_commit_callbacks)
    subjects = sorted(m.subject for m in mail.outbox if m.to == [district_staff.email])
    assert subjects == [
        "[606/UBND-VX] Phú Nghĩa chưa báo cáo, quá hạn 4 ngày",
        "[606/UBND-VX] Đa Kia chưa báo cáo, quá hạn 4 ngày",
    ]
    in_app = ReminderDelivery.objects.filter(recipient=district_staff, channel=Channel.IN_APP)
    assert sorted(d.reminder.message() for d in in_app) == [
        "Phú Nghĩa chưa báo cáo: 606/UBND-VX: Báo cáo kết quả thành lập nhóm tin, "
        "hạn 06/08/2021 (quá hạn 4 ngày).",
        "Đa Kia chưa báo cáo: 606/UBND-VX: Báo cáo kết quả thành lập nhóm tin, "
        "hạn 06/08/2021 (quá hạn 4 ngày).",
    ]
