"""A report whose worker died while compiling is compiled again by beat, by itself, within five
minutes of its last sign of life, once and under the number it already had; a report whose
worker dies again is failed with the reason; a report whose message was lost is queued again."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from reports import jobs, tasks
from reports.models import ComplianceReport, ReportSequence, ReportStatus
from tests.reports.conftest import AS_OF

pytestmark = pytest.mark.usefixtures("report_data", "compiling_day")


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing of the job's own handling runs."""


def died_at_30_percent(district, monkeypatch) -> ComplianceReport:
    """A report numbered and at 30 % when its worker died: running, its heartbeat getting old."""
    report = ComplianceReport.objects.create(district=district, as_of=AS_OF)
    store = jobs.Progress.__call__

    def die_at_30(self, value):
        store(self, value)
        if value >= 30:
            raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(jobs.Progress, "__call__", die_at_30)
        with pytest.raises(WorkerKilled):
            jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.number) == (ReportStatus.RUNNING, "01/BC-VHTT")
    return report


def minutes_after(report: ComplianceReport, minutes: float) -> datetime.datetime:
    return report.heartbeat_at + datetime.timedelta(minutes=minutes)


def test_beat_compiles_it_again_within_five_minutes_once_under_its_number(district, monkeypatch):
    report = died_at_30_percent(district, monkeypatch)

    # Still within the stale timeout: the worker may only be slow.
    with time_machine.travel(minutes_after(report, 3.9), tick=False):
        assert tasks.recover_stalled_reports() == 0
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING

    # Beat runs every minute: the first run past four minutes of silence takes it.
    with time_machine.travel(minutes_after(report, 4.5), tick=True):
        assert tasks.recover_stalled_reports() == 1
        assert tasks.recover_stalled_reports() == 0
    report.refresh_from_db()
    assert (report.status, report.progress, report.recoveries) == (ReportStatus.DONE, 100, 1)
    assert report.number == "01/BC-VHTT"
    assert ReportSequence.objects.get().last == 1
    assert report.attempts == 2


def test_the_stale_timeout_and_beat_find_it_within_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-recover-stalled"]
    assert entry["task"] == tasks.recover_stalled_reports.name
    assert str(entry["schedule"]._orig_minute) == "*"
    assert jobs.STALE_AFTER + datetime.timedelta(minutes=1) <= datetime.timedelta(minutes=5)
    # A live worker is never taken for dead: the task ends before its claim goes stale.
    assert jobs.STALE_AFTER.total_seconds() > tasks.COMPILE_HARD_LIMIT


def test_a_report_whose_worker_dies_again_is_failed_with_the_reason(district, monkeypatch):
    report = died_at_30_percent(district, monkeypatch)
    ComplianceReport.objects.filter(pk=report.pk).update(recoveries=jobs.MAX_RECOVERIES)

    with time_machine.travel(minutes_after(report, 5), tick=False):
        assert tasks.recover_stalled_reports() == 0
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "dừng hai lần" in report.error
    assert report.can_compile_again()


def test_a_report_whose_message_was_lost_is_queued_again_once(district):
    report = ComplianceReport.objects.create(district=district, as_of=AS_OF)
    ComplianceReport.objects.filter(pk=report.pk).update(
        queued_at=timezone.now() - jobs.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    assert jobs.reports_recover(now=timezone.now()) == [report.pk]
    assert jobs.reports_recover(now=timezone.now()) == []
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING
    assert report.recoveries == 0


def test_a_failed_report_is_left_for_a_person(district):
    report = ComplianceReport.objects.create(
        district=district,
        as_of=AS_OF,
        status=ReportStatus.FAILED,
        error="Không biên soạn được.",
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert jobs.reports_recover(now=timezone.now()) == []
    report.refresh_from_db()
    assert (report.status, report.recoveries) == (ReportStatus.FAILED, 0)
