"""The compile job: progress from 0 to 100 as the work goes, one worker per report (a claim with a
heartbeat), a report left behind by a dead worker compiled again, failures kept with their
reason, a broker outage that leaves the report pending, and beat's weekly run."""

import datetime
import logging
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import jobs, services, tasks
from reports.models import ComplianceReport, ReportStatus
from tests.reports.conftest import AS_OF, LOCAL, ROOT

pytestmark = pytest.mark.usefixtures("report_data", "compiling_day")


def pending(district, **fields):
    fields.setdefault("as_of", AS_OF)
    return ComplianceReport.objects.create(district=district, **fields)


@pytest.fixture
def progress_seen(monkeypatch):
    """Every progress the job stores, read back from the database as it is written."""
    seen = []
    store = jobs.Progress.__call__

    def record(self, value):
        store(self, value)
        seen.append(ComplianceReport.objects.get(pk=self.report_id).progress)

    monkeypatch.setattr(jobs.Progress, "__call__", record)
    return seen


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_progress_goes_from_0_to_100_as_the_work_goes(district, progress_seen, fmt):
    report = pending(district, format=fmt)
    assert report.progress == 0
    assert jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert progress_seen == sorted(progress_seen)
    assert len(set(progress_seen)) >= 5
    assert progress_seen[0] <= 10 and 90 <= progress_seen[-1] < 100
    assert (report.status, report.progress, report.attempts) == (ReportStatus.DONE, 100, 1)
    assert report.started_at <= report.heartbeat_at <= report.finished_at


def test_while_it_compiles_the_report_is_running_with_its_progress(district, monkeypatch):
    report = pending(district)
    seen = []

    def look(self, value):
        jobs.Progress.__call__.__wrapped__(self, value)
        seen.append(ComplianceReport.objects.values_list("status", "progress").get(pk=report.pk))

    look.__wrapped__ = jobs.Progress.__call__
    monkeypatch.setattr(jobs.Progress, "__call__", look)
    jobs.report_compile(report_id=report.pk)
    assert {status for status, _ in seen} == {ReportStatus.RUNNING}
    assert seen[-1][1] > seen[0][1]


def test_a_done_report_is_not_compiled_twice(district):
    report = pending(district)
    assert jobs.report_compile(report_id=report.pk)
    name = ComplianceReport.objects.get(pk=report.pk).file.name
    assert not jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert (report.attempts, report.file.name) == (1, name)


def test_a_report_alive_in_another_worker_is_left_alone(district):
    report = pending(district, status=ReportStatus.RUNNING, heartbeat_at=timezone.now())
    assert not jobs.report_compile(report_id=report.pk)
    assert not report.is_stalled()
    with pytest.raises(services.ValidationError):
        services.report_compile_again(user=report_requester(district), report=report)


def report_requester(district):
    from tests.factories import make_user

    return make_user("district_staff", district=district)


def test_a_report_left_running_by_a_dead_worker_is_compiled_again(district):
    report = pending(district)
    claim = jobs.report_claim(report.pk)
    jobs.Progress(report.pk, claim)(30)
    # The worker dies here: the report stays running at 30 %, its heartbeat getting old.
    later = timezone.now() + jobs.STALE_AFTER + datetime.timedelta(seconds=5)
    with time_machine.travel(later, tick=True):
        stalled = ComplianceReport.objects.get(pk=report.pk)
        assert (stalled.status, stalled.progress) == (ReportStatus.RUNNING, 30)
        assert stalled.is_stalled() and stalled.can_compile_again()
        assert jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.progress, report.attempts) == (ReportStatus.DONE, 100, 2)


def test_the_worker_that_lost_its_claim_writes_nothing(district):
    report = pending(district)
    old_claim = jobs.report_claim(report.pk)
    later = timezone.now() + jobs.STALE_AFTER + datetime.timedelta(seconds=5)
    with time_machine.travel(later, tick=True):
        new_claim = jobs.report_claim(report.pk)
    assert new_claim and new_claim != old_claim
    with pytest.raises(jobs.Superseded):
        jobs.Progress(report.pk, old_claim)(50)
    assert ComplianceReport.objects.get(pk=report.pk).progress == 0


def test_compile_again_after_a_dead_worker(
    district, district_staff, django_capture_on_commit_callbacks
):
    report = pending(district, requested_by=district_staff)
    jobs.report_claim(report.pk)
    later = timezone.now() + jobs.STALE_AFTER + datetime.timedelta(seconds=5)
    with time_machine.travel(later, tick=True), django_capture_on_commit_callbacks(execute=True):
        services.report_compile_again(user=district_staff, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.number == "01/BC-VHTT"


def test_a_failure_is_kept_with_its_reason_and_can_be_compiled_again(
    district, district_staff, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(jobs, "write_pdf", broken)
    report = pending(district, requested_by=district_staff)
    with caplog.at_level(logging.ERROR):
        assert not jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    # In words for people; the exception is the administrator's, in the log.
    assert report.error == (
        "Không lập được báo cáo do máy chủ gặp lỗi. Hãy lập lại; nếu vẫn lỗi, xin báo cho quản "
        "trị hệ thống."
    )
    assert "No space left on device" in caplog.text
    assert report.can_compile_again()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_compile_again(user=district_staff, report=report)
    report.refresh_from_db()
    assert (report.status, report.error, report.attempts) == (ReportStatus.DONE, "", 2)
    # The number given at the first attempt is kept.
    assert report.number == "01/BC-VHTT"


def test_a_compile_that_takes_too_long_fails_with_its_reason(district, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(jobs, "write_pdf", slow)
    report = pending(district)
    jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "quá lâu" in report.error


def test_the_task_time_limits_are_shorter_than_the_stale_timeout():
    assert tasks.COMPILE_SOFT_LIMIT < tasks.COMPILE_HARD_LIMIT
    assert jobs.STALE_AFTER.total_seconds() > tasks.COMPILE_HARD_LIMIT
    assert tasks.compile_report.time_limit == tasks.COMPILE_HARD_LIMIT
    assert tasks.compile_report.acks_late


def test_a_broker_outage_leaves_the_report_pending(
    district, district_staff, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.compile_report, "delay", unreachable)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=district_staff, as_of=AS_OF)
    report.refresh_from_db()
    assert (report.status, report.queued_at) == (ReportStatus.PENDING, None)
    assert f"broker unavailable; compliance report {report.pk} left pending" in caplog.text
    assert not report.is_stalled()
    # Two minutes on, the page offers to compile it again, and the broker is back.
    monkeypatch.undo()
    later = timezone.now() + jobs.PENDING_AFTER + datetime.timedelta(seconds=5)
    with time_machine.travel(later, tick=True):
        assert report.is_stalled()
        with django_capture_on_commit_callbacks(execute=True):
            services.report_compile_again(user=district_staff, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_a_pdf_of_too_many_communes_is_refused_and_points_to_the_xlsx(
    district, district_staff, monkeypatch
):
    monkeypatch.setattr(jobs, "PDF_MAX_COMMUNES", 2)
    with pytest.raises(services.ValidationError) as refused:
        services.report_request(user=district_staff, as_of=AS_OF, fmt="pdf")
    assert "tối đa 2 xã, phạm vi này có 3 xã: hãy lập báo cáo dạng XLSX" in str(
        refused.value.message_dict["format"]
    )
    assert not ComplianceReport.objects.exists()
    # One commune is always within bounds, and so is the XLSX.
    services.report_request(user=district_staff, as_of=AS_OF, fmt="xlsx")
    # A report asked for before the district grew is refused by the job, with its reason.
    report = pending(district, format="pdf")
    jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "XLSX" in report.error


def test_beat_compiles_each_district_weekly_once_and_requeues_what_was_left(
    district, django_capture_on_commit_callbacks
):
    monday = datetime.date(2021, 8, 16)
    stalled = pending(
        district,
        as_of=datetime.date(2021, 8, 2),
        status=ReportStatus.RUNNING,
        heartbeat_at=timezone.now() - jobs.STALE_AFTER * 2,
    )
    with time_machine.travel(datetime.datetime(2021, 8, 16, 7, 0, tzinfo=LOCAL), tick=True):
        assert tasks.compile_weekly_reports() == 3
        assert tasks.compile_weekly_reports() == 0
    weekly = ComplianceReport.objects.filter(as_of=monday).order_by("format")
    assert [(r.format, r.status, r.requested_by, r.commune) for r in weekly] == [
        ("pdf", ReportStatus.DONE, None, None),
        ("xlsx", ReportStatus.DONE, None, None),
    ]
    stalled.refresh_from_db()
    assert stalled.status == ReportStatus.DONE


def test_beat_runs_the_weekly_compile_on_mondays_at_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-compile-weekly-compliance"]
    assert entry["task"] == "reports.compliance.tasks.compile_weekly_reports"
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute, schedule.day_of_week) == ({7}, {0}, {1})
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_the_worker_registers_the_tasks():
    # A fresh process, as a worker starts: only the modules Celery imports itself count.
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'bmp_comms.settings.test'); django.setup(); from bmp_comms.celery import app; "
        "app.loader.import_default_modules(); "
        "print(sorted(n for n in app.tasks if n.startswith('reports.compliance')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        "['reports.compliance.tasks.compile_report', "
        "'reports.compliance.tasks.compile_weekly_reports']"
    )
