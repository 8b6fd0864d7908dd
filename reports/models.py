"""The compliance reports (D11): the letterhead a district's reports are issued under, the yearly
sequence that numbers them and the archive of compiled reports."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bmp_comms.models import ScopedModel
from bmp_comms.scoping import ScopedQuerySet
from communes.models import Commune, District
from communes.wording import letterhead_defaults


class Letterhead(models.Model):
    """The district's letterhead (Nghị định 30/2020/NĐ-CP, Phụ lục I): who issues the reports,
    where, who signs them and who receives them. Data of the district, edited by its staff."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="letterhead", verbose_name=_("district")
    )
    parent_body = models.CharField(
        _("parent body"), max_length=200, help_text=_("For example UBND huyện Bù Gia Mập.")
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, help_text=_("For example Phòng Văn hóa - Thông tin.")
    )
    short_code = models.CharField(
        _("short code of the issuing body"),
        max_length=20,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
                _("Use capital letters without accents, digits and hyphens, for example VHTT."),
            )
        ],
        help_text=_("Used in the number of each report, for example VHTT in 07/BC-VHTT."),
    )
    place_name = models.CharField(
        _("place name"), max_length=120, help_text=_("Written before the date: Bù Gia Mập, ngày …")
    )
    signer_title = models.CharField(
        _("signer's title"), max_length=120, help_text=_("For example Trưởng phòng.")
    )
    signer_name = models.CharField(_("signer's name"), max_length=120)
    recipients = models.TextField(
        _("recipients"),
        help_text=_("One per line. The last line, Lưu: VT, and the short code, is added."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        constraints = [
            models.CheckConstraint(
                condition=~Q(short_code=""), name="letterhead_short_code_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuing_body} ({self.district})"

    @classmethod
    def default_for(cls, district: District) -> Letterhead:
        """An unsaved letterhead for a top unit that has not written its own yet, in the words of
        its kind (communes.wording.letterhead_defaults): Phòng Văn hóa - Thông tin of the
        district's People's Committee, as in dispatch 606/UBND-VX; the Sở Văn hóa, Thể thao và
        Du lịch of a province's or a city's."""
        defaults = letterhead_defaults(district)
        return cls(
            district=district,
            parent_body=defaults.parent_body,
            issuing_body=defaults.issuing_body,
            short_code=defaults.short_code,
            place_name=district.name,
            signer_title=defaults.signer_title,
            signer_name="",
            recipients=defaults.recipients,
        )

    @property
    def recipient_lines(self) -> list[str]:
        """The `Nơi nhận` lines without their dashes, ending with the archive's own line
        (`Lưu: VT, VHTT.`), which is never typed."""
        lines = [line.strip().lstrip("-–").strip() for line in self.recipients.splitlines()]
        lines = [line for line in lines if line and not line.casefold().startswith("lưu:")]
        return [*lines, gettext("File: VT, %(code)s.") % {"code": self.short_code}]


class ReportSequence(models.Model):
    """The yearly sequence of a district's report numbers: `last` is the number given last.
    Incremented by one statement (reports.numbering.next_report_number), so two
    compiles at once get two numbers."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", verbose_name=_("district")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("report number sequence")
        verbose_name_plural = _("report number sequences")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="report_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year}: {self.last}"


class ComplianceReportQuerySet(ScopedQuerySet):
    """District users see every report of their district; a commune's users the one-commune
    reports of their own commune only (not the district's, which cover the other communes)."""

    def for_profile(self, profile) -> ComplianceReportQuerySet:
        if profile.is_district_role:
            return self.filter(district_id=profile.district_id)
        return self.filter(district_id=profile.district_id, commune_id=profile.commune_id)


class ReportKind(models.TextChoices):
    COMPLIANCE = "compliance", _("compliance report")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a worker")
    RUNNING = "running", _("compiling")
    DONE = "done", _("compiled")
    FAILED = "failed", _("not compiled")


# Longer than the compile task's hard time limit (reports.tasks) and than any step of the job
# between two heartbeats: a running report silent this long has lost its worker. Short enough
# that beat's every-minute recovery (reports.jobs.reports_recover) compiles it again within five
# minutes of its last sign of life.
REPORT_STALE_AFTER = datetime.timedelta(minutes=4)
# A report still pending this long after it was asked for was never picked up (its message
# was lost with the broker, or never sent): it may be queued again.
REPORT_PENDING_AFTER = datetime.timedelta(minutes=2)


def report_path(instance: ComplianceReport, filename: str) -> str:
    return f"compliance/{instance.district.code}/{instance.issued_on:%Y}/{filename}"


class ComplianceReport(ScopedModel):
    """A compliance report of the archive (D11): what was asked (kind, format, figures as of
    `as_of`, the whole district or one commune), by whom and when, and how its compiling went.

    Every report is kept. It is numbered `NN/BC-VHTT` from its district's yearly sequence and
    dated (`issued_on`) the day it is compiled. A worker claims it by a conditional UPDATE that
    sets `claim`, and proves it is alive through `heartbeat_at`; a claim whose heartbeat is
    older than REPORT_STALE_AFTER belongs to a worker that died, and the report may be
    compiled again.
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
        help_text=_("Empty for the whole district."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ReportKind.choices, default=ReportKind.COMPLIANCE
    )
    format = models.CharField(
        _("format"), max_length=8, choices=ReportFormat.choices, default=ReportFormat.PDF
    )
    as_of = models.DateField(_("figures as of"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    number_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    number = models.CharField(_("number"), max_length=40, blank=True)
    issued_on = models.DateField(_("dated"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=report_path, max_length=300, blank=True)
    error = models.TextField(_("reason of the failure"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # How often beat compiled it again by itself after its worker died (reports_recover).
    recoveries = models.PositiveSmallIntegerField(_("recoveries"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ComplianceReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("compliance report")
        verbose_name_plural = _("compliance reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_100"),
            # Belt and braces to the sequence: no two reports of a district share a number.
            models.UniqueConstraint(
                fields=["district", "number_year", "number_seq"], name="report_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(progress=100) & ~Q(file="")),
                name="report_done_has_file",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "-created_at"], name="report_district_created"),
            models.Index(fields=["status", "heartbeat_at"], name="report_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (ReportStatus.PENDING, ReportStatus.RUNNING)

    def is_stalled(self, now: datetime.datetime | None = None) -> bool:
        """Running, but its worker has given no sign of life for REPORT_STALE_AFTER (it died),
        or pending and never picked up: either way it may be compiled again."""
        now = now or timezone.now()
        if self.status == ReportStatus.RUNNING:
            return self.heartbeat_at is None or self.heartbeat_at < now - REPORT_STALE_AFTER
        if self.status == ReportStatus.PENDING:
            if self.queued_at is None:
                return self.created_at < now - REPORT_PENDING_AFTER
            return self.queued_at < now - REPORT_STALE_AFTER
        return False

    def can_compile_again(self, now: datetime.datetime | None = None) -> bool:
        return self.status == ReportStatus.FAILED or self.is_stalled(now)

    @property
    def download_name(self) -> str:
        """`bao-cao-07-BC-VHTT-2021.pdf`: the number, with the year it belongs to."""
        if not self.number:
            return f"bao-cao-{self.pk}.{self.format}"
        return f"bao-cao-{self.number.replace('/', '-')}-{self.number_year}.{self.format}"
