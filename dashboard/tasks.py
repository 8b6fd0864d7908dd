"""The dashboard's jobs: the daily snapshots of the communes' figures (dashboard.snapshots)
filled by a worker, every night and whenever a page or a write finds some missing."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import transaction

from bmp_comms.dates import local_today
from dashboard.snapshots import NIGHTLY_DAYS, refresh_statistics, snapshots_fill

logger = logging.getLogger(__name__)


# Task names are pinned to where the tasks were first declared: beat's periodic tasks stored in
# the database and messages already queued name them so.
@shared_task(name="reports.dashboard.tasks.fill_snapshots", acks_late=True)
def fill_snapshots(dates: list[str], commune_ids: list[int] | None = None) -> int:
    """Safe to run twice, and at once: what is already stored is left alone."""
    written = snapshots_fill(
        dates=[datetime.date.fromisoformat(date) for date in dates], commune_ids=commune_ids
    )
    refresh_statistics(written)
    return written


@shared_task(name="reports.dashboard.tasks.fill_nightly_snapshots")
def fill_nightly_snapshots() -> int:
    """Beat runs this every night (settings.CELERY_BEAT_SCHEDULE): the day just begun, which
    the dashboard shows by default, and each of the last NIGHTLY_DAYS days that some commune
    lacks are filled by a task of their own, so no task runs long and a worker that dies loses
    one day's work at most."""
    today = local_today()
    dates = [today - datetime.timedelta(days=back) for back in range(0, NIGHTLY_DAYS + 1)]
    for date in dates:
        queue_fill([date], None)
    return len(dates)


def queue_fill(dates: list[datetime.date], commune_ids: list[int] | None) -> bool:
    """Hand the days to a worker. With the broker down nothing is lost: the pages compute what
    is missing, and the next night's run fills it."""
    try:
        fill_snapshots.delay([date.isoformat() for date in dates], commune_ids)
    except Exception:  # kombu raises several types for an unreachable or broken broker
        logger.warning("broker unavailable; snapshots of %s left to compute", dates, exc_info=True)
        return False
    return True


def queue_fill_on_commit(dates: list[datetime.date], commune_ids: list[int] | None) -> None:
    """`queue_fill` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: queue_fill(dates, commune_ids), robust=True)
