"""`manage.py run_reminders` and beat's daily entry run the same job."""

import datetime
import io

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from deadlines import services
from deadlines.models import Reminder
from tests.deadlines.conftest import at, local
from tests.factories import DeadlineFactory


def run(*args) -> str:
    out = io.StringIO()
    call_command("run_reminders", *args, stdout=out)
    return out.getvalue()


def test_runs_the_job_for_the_day_given(deadline, officer_a, leader_a, officer_b):
    output = run("--date", "2021-08-06")
    assert output.strip() == (
        "06/08/2021: 2 reminders, 3 deliveries, 0 emails queued, 0 queued again"
    )
    assert sorted(Reminder.objects.values_list("kind", "day__day")) == [("due", 6), ("due", 6)]
    assert run("--date", "2021-08-06").startswith("06/08/2021: 0 reminders, 0 deliveries")


def test_default_day_is_today_in_ho_chi_minh(deadline):
    # 23:30 UTC on 05/08 is already 06:30 on 06/08 in Asia/Ho_Chi_Minh: the due day.
    with at(local(2021, 8, 6, 6, 30)):
        assert run().startswith("06/08/2021: 2 reminders")
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"due"}


def test_a_bad_date_is_refused(deadline):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "06/08/2021")
    assert not Reminder.objects.exists()


def test_beat_runs_the_task_daily_at_seven_local():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-send-due-reminders"]
    assert entry["task"] == "reports.tasks.send_due_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_an_inspections_follow_up_is_reminded_like_any_deadline(
    district, district_staff, commune_a, commune_b, officer_a, officer_b
):
    inspection = services.inspection_record(
        actor=district_staff,
        commune=commune_b,
        date=datetime.date(2021, 8, 10),
        inspector="Trần Thị Thu Hà",
        findings="Hai thôn chưa có nhóm tin.",
        follow_up_due=datetime.date(2021, 8, 20),
    )
    DeadlineFactory(district=district, communes=[commune_a], due_date=datetime.date(2021, 9, 1))
    run("--date", "2021-08-17")
    (reminder,) = Reminder.objects.all()
    assert (reminder.deadline, reminder.commune, reminder.kind) == (
        inspection.follow_up_deadline,
        commune_b,
        "before_3",
    )
