"""The reminder job along the whole timeline D-10 … D+100 (D = 06/08/2021), run by beat's task
at 07:00 Asia/Ho_Chi_Minh each day, and run a second time each day to prove it sends nothing more.

Communes: A (officer_a and leader_a, both with email) never submits; B (officer_b) submits at
D+2 09:00, after that day's run; C (no login) submits at D-2. District staff get escalations
(in the app, and by email in one digest a day), the district leader nothing.
"""

import datetime

import pytest
from django.core import mail

from communes.models import Role
from deadlines import services
from deadlines.models import (
    EscalationDigest,
    Reminder,
    ReminderDelivery,
    ReminderDeliveryChannel,
    ReminderDeliveryStatus,
)
from deadlines.schedule import reminder_kinds_for
from deadlines.tasks import send_due_reminders
from tests.deadlines.conftest import LOCAL, at, day, local
from tests.factories import CommuneFactory, DeadlineFactory, DistrictFactory, make_user

# docs/rules.md, "Reminders", written out by hand: `overdue` each day up to D+7, then every 7th day
# up to D+91; `escalation` on those days from D+3 on; nothing else after the due day.
OVERDUE_DAYS = {1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91}
ESCALATION_DAYS = {3, 4, 5, 6, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77, 84, 91}
FIRST, LAST = -10, 100


def expected_on(offset: int) -> set[tuple[str, str]]:
    """(offset from D) → the reminders that day, as (commune, kind)."""
    before = {-7: "before_7", -3: "before_3", -1: "before_1", 0: "due"}
    if offset in before:
        # C submitted at D-2, B at D+2 (after that day's run).
        communes = "ABC" if offset < -2 else "AB"
        return {(commune, before[offset]) for commune in communes}
    made = set()
    if offset in OVERDUE_DAYS:
        made |= {(commune, "overdue") for commune in ("AB" if offset <= 2 else "A")}
    if offset in ESCALATION_DAYS:
        made.add(("A", "escalation"))
    return made


# People a reminder reaches: A's go to officer_a and leader_a, B's to officer_b, C has no login
# (its reporter gets one only at D-2), each in the app and by email; an escalation goes to the
# one district staff user in the app, and by email in that day's single digest.
RECIPIENTS = {"A": 2, "B": 1, "C": 0}
RESULT_COUNTS = ("reminders", "deliveries", "digests", "emails_queued", "emails_requeued")


def test_the_rules_written_out_match_the_model():
    for offset in range(FIRST, LAST + 1):
        kinds = set(reminder_kinds_for(-offset))
        assert ("overdue" in kinds) == (offset in OVERDUE_DAYS), offset
        assert ("escalation" in kinds) == (offset in ESCALATION_DAYS), offset
    assert not reminder_kinds_for(-92) and not reminder_kinds_for(-98)


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


def test_exact_reminders_each_day_to_d_plus_100_and_nothing_more_on_a_second_run(
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
    for offset in range(FIRST, LAST + 1):
        if offset == -2:
            # C's reporter gets a login only now, so C had nobody to deliver to before.
            reporter_c = make_user(Role.COMMUNE_OFFICER, commune=commune_c, username="xa-c")
            with at(local(2021, 8, 4, 10, 0)):
                services.submission_submit(actor=reporter_c, deadline=deadline, commune=commune_c)
        before = (ReminderDelivery.objects.count(), len(mail.outbox))

        result = run_day(offset, django_capture_on_commit_callbacks)

        made = {
            (names[commune_id], kind)
            for commune_id, kind in Reminder.objects.filter(day=day(offset)).values_list(
                "commune_id", "kind"
            )
        }
        expected = expected_on(offset)
        assert made == expected, offset
        people = sum(RECIPIENTS[commune] for commune, kind in expected if kind != "escalation")
        escalated = int(("A", "escalation") in expected)
        assert result["reminders"] == len(expected), offset
        # Commune users in the app and by email; the staff user in the app, and one digest.
        assert result["deliveries"] == 2 * people + escalated, offset
        assert result["digests"] == escalated, offset
        assert result["emails_queued"] == people + escalated, offset
        assert ReminderDelivery.objects.count() - before[0] == 2 * people + escalated, offset
        assert len(mail.outbox) - before[1] == people + escalated, offset

        # The same day again: the unique keys hold, nothing is delivered twice.
        again = run_day(offset, django_capture_on_commit_callbacks)
        assert [again[key] for key in RESULT_COUNTS] == [0, 0, 0, 0, 0], offset
        assert Reminder.objects.filter(day=day(offset)).count() == len(expected)
        assert ReminderDelivery.objects.count() - before[0] == 2 * people + escalated
        assert len(mail.outbox) - before[1] == people + escalated

        if offset == 2:
            with at(local(2021, 8, 8, 9, 0)):
                services.submission_submit(actor=officer_b, deadline=deadline, commune=commune_b)

    # Before and on the day: 3 + 3 + 2 + 2; overdue: B on D+1 and D+2, A on its 19 days; and
    # A's 17 escalations. Nothing after D+91.
    assert Reminder.objects.count() == 10 + 2 + 19 + 17 == 48
    assert not Reminder.objects.filter(day__gt=day(91)).exists()
    assert not ReminderDelivery.objects.exclude(status=ReminderDeliveryStatus.SENT).exists()
    assert not EscalationDigest.objects.exclude(status=ReminderDeliveryStatus.SENT).exists()
    escalated_to = set(
        ReminderDelivery.objects.filter(reminder__kind="escalation").values_list(
            "recipient__username", flat=True
        )
    )
    assert escalated_to == {district_staff.username}
    assert not ReminderDelivery.objects.filter(recipient=district_leader).exists()
    # 17 escalations, each in the app, and emailed in the 17 digests of those days
    staff = ReminderDelivery.objects.filter(recipient=district_staff)
    assert set(staff.values_list("channel", flat=True)) == {ReminderDeliveryChannel.IN_APP}
    assert staff.count() == 17
    digest_days = EscalationDigest.objects.filter(recipient=district_staff).values_list(
        "day", flat=True
    )
    assert sorted(digest_days) == [day(offset) for offset in sorted(ESCALATION_DAYS)]
    assert len([m for m in mail.outbox if m.to == [district_staff.email]]) == 17
    for user in (elsewhere, inactive):
        assert not ReminderDelivery.objects.filter(recipient=user).exists(), user.username
        assert not EscalationDigest.objects.filter(recipient=user).exists(), user.username
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
