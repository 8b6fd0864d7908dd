"""The job that compiles a compliance report, as Celery runs it (reports.tasks) and
`manage.py compile_report` runs it at once: claim the report, number and date it, read its
content, write its file, and tell the archive how far it has gone.

Claim before you act: a report is taken by a conditional UPDATE that stores a fresh `claim`;
every later write of the job (progress, number, file, failure) is conditional on that claim
still being the report's, so of two workers holding the same report only the one whose claim
stands writes anything. A claim proves it is alive through `heartbeat_at`, refreshed at every
step; the task's hard time limit is shorter than STALE_AFTER, so a claim whose heartbeat is
older than that belongs to a worker that died, and the report may be claimed again.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import uuid
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bmp_comms.dates import local_today
from communes.models import District
from reports.content import report_content, scope_communes
from reports.formatting import vn_int
from reports.models import (
    REPORT_PENDING_AFTER,
    REPORT_STALE_AFTER,
    ComplianceReport,
    Letterhead,
    ReportFormat,
    ReportKind,
    ReportStatus,
    report_path,
)
from reports.numbering import next_report_number, report_number
from reports.pdf import PDF_MAX_COMMUNES, write_pdf
from reports.xlsx import write_xlsx

logger = logging.getLogger(__name__)

STALE_AFTER = REPORT_STALE_AFTER
PENDING_AFTER = REPORT_PENDING_AFTER
# The official document is Vietnamese, whatever the language of the page that asked for it.
REPORT_LANGUAGE = "vi"


class Superseded(Exception):
    """The report's claim is no longer this job's: another worker took it over."""


class Refused(Exception):
    """A report this job will not compile, for a reason people can act on."""


def stale_running(now: datetime.datetime) -> Q:
    return Q(status=ReportStatus.RUNNING) & (
        Q(heartbeat_at__lt=now - STALE_AFTER) | Q(heartbeat_at__isnull=True)
    )


def stale_pending(now: datetime.datetime) -> Q:
    return Q(status=ReportStatus.PENDING) & (
        Q(queued_at__isnull=True, created_at__lt=now - PENDING_AFTER)
        | Q(queued_at__lt=now - STALE_AFTER)
    )


def claimable(now: datetime.datetime) -> Q:
    return Q(status=ReportStatus.PENDING) | stale_running(now)


def letterhead_of(district: District) -> Letterhead:
    """The district's letterhead, or the default one until its staff write theirs."""
    return Letterhead.objects.filter(district=district).first() or Letterhead.default_for(district)


def pdf_refusal(*, district_id: int, commune_id: int | None, fmt: str) -> str | None:
    """Why a PDF of this scope is not compiled (too many communes), else None."""
    if fmt != ReportFormat.PDF or commune_id is not None:
        return None
    count = scope_communes(district_id=district_id, commune_id=None).count()
    if count <= PDF_MAX_COMMUNES:
        return None
    return _(
        "A PDF is compiled for at most %(max)s communes and this one has %(count)s: compile the "
        "XLSX, which holds the same tables."
    ) % {"max": vn_int(PDF_MAX_COMMUNES), "count": vn_int(count)}


def _numbered(report_id: int, number: str) -> None:
    """Called inside the numbering transaction, the sequence's row still locked; a seam for
    the test that races two compiles."""


class Progress:
    """Tells the archive how far the job has gone (0–100, never backwards) and refreshes the
    claim's heartbeat; raises Superseded once the claim is another's."""

    def __init__(self, report_id: int, claim: uuid.UUID) -> None:
        self.report_id = report_id
        self.claim = claim
        self.value = 0

    def __call__(self, value: int) -> None:
        value = max(self.value, min(int(value), 99))
        updated = ComplianceReport.objects.filter(pk=self.report_id, claim=self.claim).update(
            progress=value, heartbeat_at=timezone.now()
        )
        if not updated:
            raise Superseded(self.report_id)
        self.value = value

    def part(self, start: int, end: int) -> Callable[[int], None]:
        """A step that hears 0–100 of one part of the work, spread over start–end."""
        return lambda part: self(start + (end - start) * part // 100)


def _number(report: ComplianceReport, claim: uuid.UUID, letterhead: Letterhead) -> None:
    """Number and date the report on the day it is compiled; a report compiled again the same
    year keeps its number."""
    today = local_today()
    if report.number_seq is not None and report.number_year == today.year:
        report.issued_on = today
        ComplianceReport.objects.filter(pk=report.pk, claim=claim).update(issued_on=today)
        return
    with transaction.atomic():
        sequence = next_report_number(district_id=report.district_id, year=today.year)
        number = report_number(sequence, kind=report.kind, short_code=letterhead.short_code)
        _numbered(report.pk, number)
        updated = ComplianceReport.objects.filter(pk=report.pk, claim=claim).update(
            number_year=today.year, number_seq=sequence, number=number, issued_on=today
        )
        if not updated:
            # Rolled back with the sequence: the number goes to the next report.
            raise Superseded(report.pk)
    report.number_year, report.number_seq, report.number = today.year, sequence, number
    report.issued_on = today


def _store(report: ComplianceReport, claim: uuid.UUID, content_file) -> None:
    name = default_storage.save(report_path(report, report.download_name), File(content_file))
    now = timezone.now()
    updated = ComplianceReport.objects.filter(pk=report.pk, claim=claim).update(
        status=ReportStatus.DONE,
        progress=100,
        file=name,
        error="",
        finished_at=now,
        heartbeat_at=now,
        claim=None,
    )
    if not updated:
        default_storage.delete(name)
        raise Superseded(report.pk)


def _fail(report_id: int, claim: uuid.UUID, reason: str) -> None:
    ComplianceReport.objects.filter(pk=report_id, claim=claim).update(
        status=ReportStatus.FAILED, error=reason[:2000], finished_at=timezone.now(), claim=None
    )


def report_claim(report_id: int) -> uuid.UUID | None:
    """Take the report if it is pending, or running with a dead worker; None when it is done,
    failed, or alive in another worker."""
    claim = uuid.uuid4()
    now = timezone.now()
    claimed = (
        ComplianceReport.objects.filter(pk=report_id)
        .filter(claimable(now))
        .update(
            status=ReportStatus.RUNNING,
            claim=claim,
            progress=0,
            error="",
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
        )
    )
    return claim if claimed else None


def report_compile(*, report_id: int) -> bool:
    """Compile one report (docs/rules.md#report-numbering): figures as of its `as_of`, for its
    district or its one commune, numbered from the district's yearly sequence and dated today
    (Asia/Ho_Chi_Minh).
    Returns True when this call made the file; False when there was nothing to do (done,
    failed, alive elsewhere) or another worker took the report over. A failure is stored with
    its reason, for people to read, and the report may be compiled again."""
    claim = report_claim(report_id)
    if claim is None:
        return False
    return report_compile_claimed(report_id=report_id, claim=claim)


def report_compile_claimed(*, report_id: int, claim: uuid.UUID) -> bool:
    """The work of `report_compile` once the report is claimed (`report_claim`)."""
    progress = Progress(report_id, claim)
    try:
        with translation.override(REPORT_LANGUAGE):
            _compile(report_id, claim, progress)
    except Superseded:
        logger.info("compliance report %s was taken over by another worker", report_id)
        return False
    except Refused as exc:
        _fail(report_id, claim, str(exc))
        return False
    except SoftTimeLimitExceeded:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The report took too long to compile and was stopped. Compile it again.")
        _fail(report_id, claim, reason)
        return False
    except Exception:  # any failure is stored, for people to read
        # In words: the exception's name and text are for the administrator, in the log
        # (docs/rules.md#bulletin-checks: people read no internal codes).
        logger.exception("compliance report %s failed", report_id)
        with translation.override(settings.LANGUAGE_CODE):
            reason = _(
                "The report could not be compiled because of an error on the server. Compile "
                "it again; if it fails again, tell the administrator."
            )
        _fail(report_id, claim, reason)
        return False
    return True


def _compile(report_id: int, claim: uuid.UUID, progress: Progress) -> None:
    report = ComplianceReport.objects.select_related("district", "commune").get(pk=report_id)
    refusal = pdf_refusal(
        district_id=report.district_id, commune_id=report.commune_id, fmt=report.format
    )
    if refusal:
        raise Refused(refusal)
    letterhead = letterhead_of(report.district)
    progress(5)
    _number(report, claim, letterhead)
    progress(10)
    content = report_content(
        report=report,
        letterhead=letterhead,
        step=progress.part(10, 50),
        charts=report.format == ReportFormat.PDF,
    )
    with tempfile.TemporaryFile() as out:
        if report.format == ReportFormat.PDF:
            write_pdf(content, out, step=progress.part(50, 95))
        else:
            write_xlsx(content, out, step=progress.part(50, 95))
        out.seek(0)
        _store(report, claim, out)


def reports_due_weekly(*, today: datetime.date) -> list[int]:
    """Beat's Monday run: for every district, this week's report as of today, as a PDF (when the
    district is within PDF_MAX_COMMUNES) and an XLSX, asked by nobody; once a week however often
    it runs. Then the reports left behind (a dead worker, a lost message), to be queued again.
    Returns the ids to queue."""
    ids = []
    with transaction.atomic():
        for district in District.objects.order_by("pk"):
            for fmt in (ReportFormat.PDF, ReportFormat.XLSX):
                if pdf_refusal(district_id=district.pk, commune_id=None, fmt=fmt):
                    continue
                report, created = ComplianceReport.objects.get_or_create(
                    district=district,
                    commune=None,
                    kind=ReportKind.COMPLIANCE,
                    format=fmt,
                    as_of=today,
                    requested_by=None,
                )
                if created:
                    ids.append(report.pk)
    return ids + [pk for pk in reports_recover(now=timezone.now()) if pk not in ids]


# A report whose worker died is compiled again by itself this many times; past that, something
# in the report itself kills workers (memory, a font), and a person must look.
MAX_RECOVERIES = 1


def reports_recover(*, now: datetime.datetime) -> list[int]:
    """The reports left behind, to queue again: running with a worker silent for STALE_AFTER
    (it died: put back to pending, keeping its number), or pending with their message lost.
    Each is taken by a conditional UPDATE, so of two runs at once only one queues a report; a
    report that already died MAX_RECOVERIES times is failed instead, with the reason."""
    ids = []
    stalled = ComplianceReport.objects.filter(stale_running(now) | stale_pending(now))
    for report_id in stalled.order_by("pk").values_list("pk", flat=True):
        report = ComplianceReport.objects.filter(pk=report_id)
        requeued = report.filter(stale_pending(now)).update(queued_at=now) or (
            report.filter(stale_running(now), recoveries__lt=MAX_RECOVERIES).update(
                status=ReportStatus.PENDING,
                claim=None,
                progress=0,
                queued_at=now,
                recoveries=F("recoveries") + 1,
            )
        )
        if requeued:
            ids.append(report_id)
            continue
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The worker compiling this report stopped twice. Compile it again; if it "
                       "stops again, tell the administrator.")  # fmt: skip
        report.filter(stale_running(now)).update(
            status=ReportStatus.FAILED, error=reason, claim=None, finished_at=now
        )
    return ids
