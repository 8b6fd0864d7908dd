"""Writes of the compliance report: ask for one (queued after commit), compile one again, compile
one at once (the command), and the district's letterhead.

docs/rules.md#compliance-report: district staff and leaders compile and download every report of
their district; a commune's users compile their own commune's one-commune report only. The
letterhead
is the district's data, written by its staff only.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bmp_comms.dates import parse_as_of
from bmp_comms.permissions import is_commune_user, is_district_staff, is_district_user
from communes.models import Commune, District
from communes.wording import unit_params
from reports import jobs
from reports.models import (
    ComplianceReport,
    Letterhead,
    ReportFormat,
    ReportKind,
    ReportStatus,
)
from reports.tasks import queue_compile


def may_compile(user) -> bool:
    return is_district_user(user) or is_commune_user(user)


def _checked(
    *, kind: str, fmt: str, as_of: datetime.date, district: District, commune: Commune | None
) -> None:
    """The rules of every report, whoever asks: a known kind and format, figures as of a day
    the dashboard accepts (bmp_comms.dates: from 01/01/2000 to today), a commune of the
    district, and no PDF beyond what one can hold."""
    errors: dict[str, list[str]] = {}
    if kind not in ReportKind.values:
        errors["kind"] = [
            _("Choose a kind of report: %(kinds)s.") % {"kinds": ", ".join(ReportKind.values)}
        ]
    if fmt not in ReportFormat.values:
        errors["format"] = [_("Choose the format: pdf or xlsx.")]
    try:
        parse_as_of(as_of.isoformat())
    except ValidationError as exc:
        errors["as_of"] = exc.message_dict["date"]
    if commune is not None and commune.district_id != district.pk:
        errors["commune"] = [_("The commune is not in your %(unit)s.") % unit_params(district)]
    if not errors:
        refusal = jobs.pdf_refusal(
            district_id=district.pk, commune_id=commune.pk if commune else None, fmt=fmt
        )
        if refusal:
            errors["format"] = [refusal]
    if errors:
        raise ValidationError(errors)


def report_request(
    *,
    user,
    kind: str = ReportKind.COMPLIANCE,
    fmt: str = ReportFormat.PDF,
    as_of: datetime.date,
    commune: Commune | None = None,
) -> ComplianceReport:
    """Ask for a report; it is compiled by a worker, queued once the row is committed (a broker
    outage leaves it pending, to be compiled again). A commune's users get their own commune's
    report whatever commune they name (another is refused); district users the district's, or
    one commune's of their district."""
    if not may_compile(user):
        raise PermissionDenied
    profile = user.profile
    if is_commune_user(user):
        if commune is not None and commune.pk != profile.commune_id:
            raise ValidationError(
                {"commune": [_("You may compile your own commune's report only.")]}
            )
        commune = profile.commune
    _checked(kind=kind, fmt=fmt, as_of=as_of, district=profile.district, commune=commune)
    with transaction.atomic():
        report = ComplianceReport.objects.create(
            district=profile.district,
            commune=commune,
            kind=kind,
            format=fmt,
            as_of=as_of,
            requested_by=user,
        )
        transaction.on_commit(partial(queue_compile, report.pk), robust=True)
    return report


def report_compile_again(*, user, report: ComplianceReport) -> ComplianceReport:
    """A failed report, or one left behind by a dead worker or a lost message, goes back to
    pending and is queued again; the others (done, or alive in a worker) stay as they are."""
    if not may_compile(user):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        updated = (
            # Unscoped: the report in scope the caller holds, for a conditional UPDATE.
            ComplianceReport.objects.unscoped()
            .filter(pk=report.pk)
            .filter(
                Q(status=ReportStatus.FAILED) | jobs.stale_running(now) | jobs.stale_pending(now)
            )
            .update(
                status=ReportStatus.PENDING,
                claim=None,
                progress=0,
                error="",
                queued_at=None,
                heartbeat_at=None,
                finished_at=None,
            )
        )
        if not updated:
            raise ValidationError(
                _("This report is being compiled or is done: there is nothing to compile again.")
            )
        transaction.on_commit(partial(queue_compile, report.pk), robust=True)
    report.refresh_from_db()
    return report


def report_compile_now(
    *,
    district: District,
    as_of: datetime.date,
    fmt: str = ReportFormat.PDF,
    commune: Commune | None = None,
) -> ComplianceReport:
    """`manage.py compile_report`: the same job as the worker's, in this process, at once,
    asked by nobody (as beat's reports are)."""
    _checked(kind=ReportKind.COMPLIANCE, fmt=fmt, as_of=as_of, district=district, commune=commune)
    report = ComplianceReport.objects.create(
        district=district, commune=commune, kind=ReportKind.COMPLIANCE, format=fmt, as_of=as_of
    )
    jobs.report_compile(report_id=report.pk)
    report.refresh_from_db()
    return report


LETTERHEAD_FIELDS = (
    "parent_body",
    "issuing_body",
    "short_code",
    "place_name",
    "signer_title",
    "signer_name",
    "recipients",
)


def letterhead_save(*, actor, district: District, **fields: str) -> Letterhead:
    """The district's letterhead, written by its staff (docs/rules.md#letterhead: data of the
    district)."""
    if not is_district_staff(actor) or actor.profile.district_id != district.pk:
        raise PermissionDenied
    unknown = set(fields) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise TypeError(f"unknown letterhead fields: {sorted(unknown)}")
    with transaction.atomic():
        letterhead = Letterhead.objects.select_for_update().filter(
            district=district
        ).first() or Letterhead(district=district)
        for name, value in fields.items():
            setattr(letterhead, name, value.strip())
        letterhead.updated_by = actor
        letterhead.full_clean()
        letterhead.save()
    return letterhead
