"""Celery tasks of the compliance report: thin, by id, safe to run twice (the job claims the
report before it acts). Registered with the worker by bmp_comms.celery, which names this
module: Celery looks for the `tasks` module of each app only."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from bmp_comms.dates import local_today
from reports import jobs
from reports.models import ComplianceReport

logger = logging.getLogger(__name__)

# Both shorter than the claim's stale timeout (reports.models.REPORT_STALE_AFTER, 4 minutes),
# so a report whose heartbeat is older than that cannot still be compiling anywhere. The soft
# limit stores the failure with its reason; the hard one ends a worker that does not stop. The
# largest report measured (the national XLSX, 10,000 communes) compiles in about 12 s.
COMPILE_SOFT_LIMIT = 3 * 60
COMPILE_HARD_LIMIT = 3 * 60 + 30


# Task names are pinned to where the tasks were first declared: beat's periodic tasks stored in
# the database and messages already queued name them so.
@shared_task(
    name="reports.compliance.tasks.compile_report",
    acks_late=True,
    soft_time_limit=COMPILE_SOFT_LIMIT,
    time_limit=COMPILE_HARD_LIMIT,
)
def compile_report(report_id: int) -> bool:
    return jobs.report_compile(report_id=report_id)


@shared_task(name="reports.compliance.tasks.compile_weekly_reports")
def compile_weekly_reports() -> int:
    """Beat runs this on Mondays at 07:00 Asia/Ho_Chi_Minh (settings.CELERY_BEAT_SCHEDULE)."""
    ids = jobs.reports_due_weekly(today=local_today())
    for report_id in ids:
        queue_compile(report_id)
    return len(ids)


@shared_task
def recover_stalled_reports() -> int:
    """Beat runs this every minute: a report whose worker died, or whose message was lost, is
    compiled again by itself (once; a second death leaves it failed for a person to see)."""
    ids = jobs.reports_recover(now=timezone.now())
    for report_id in ids:
        queue_compile(report_id)
    return len(ids)


def queue_compile(report_id: int) -> bool:
    """Hand the report to a worker. With the broker down the report stays pending: the page
    offers to compile it again, and Monday's run queues it again."""
    try:
        compile_report.delay(report_id)
    except Exception:  # kombu raises several types for an unreachable or broken broker
        logger.warning(
            "broker unavailable; compliance report %s left pending", report_id, exc_info=True
        )
        return False
    # Unscoped: called by the page that asked for the report, and by the weekly job.
    ComplianceReport.objects.unscoped().filter(pk=report_id).update(queued_at=timezone.now())
    return True
