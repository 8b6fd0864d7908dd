"""Deadlines set by the district, the communes' submissions, the reminders that chase the late
ones (with their deliveries: the reminder log) and inspections (D5, D9). Which reminders are due
on which day is deadlines.schedule; each in-app reminder is also a notice in the bell
(deadlines.notices)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bmp_comms.models import ScopedModel
from bmp_comms.scoping import CommuneScopedQuerySet, ScopedQuerySet
from communes.models import Commune, District
from deadlines.schedule import ReminderKind, when_text


class DeadlineQuerySet(ScopedQuerySet):
    """A deadline belongs to the district; a commune's users see those that cover their commune.

    Not `CommuneScopedQuerySet`: going through the covered communes would repeat a deadline once
    per commune for district users, and a deadline covering no commune would vanish.
    """

    def for_profile(self, profile) -> DeadlineQuerySet:
        if profile.is_district_role:
            return self.filter(district_id=profile.district_id)
        return self.filter(district_id=profile.district_id, communes=profile.commune_id)


class Deadline(ScopedModel):
    """A report the district expects from its communes by a date (D5: "before 6/8/2021").

    The communes covered are stored explicitly, filled with every commune of the district when
    none are named: a commune added later is not retroactively expected, so a deadline's
    reporting rate never changes under it.
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=200)
    directive = models.CharField(
        _("directive"), max_length=60, blank=True, help_text=_("For example 606/UBND-VX.")
    )
    due_date = models.DateField(_("due date"))
    # Set by district staff when they stop chasing the report (docs/rules.md#closing-a-deadline:
    # nothing from the day a deadline is closed); empty while it is open.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    communes = models.ManyToManyField(
        Commune, related_name="deadlines", verbose_name=_("communes covered")
    )
    description = models.TextField(_("description"), blank=True)
    inspection = models.OneToOneField(
        "deadlines.Inspection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_deadline",
        verbose_name=_("inspection followed up"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        # The table of the app that first held the model: moving it between apps moved no row.
        db_table = "reports_deadline"
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["-due_date", "-pk"]
        indexes = [models.Index(fields=["district", "due_date"], name="deadline_district_due")]

    def __str__(self) -> str:
        return f"{self.directive}: {self.title}" if self.directive else self.title

    def days_left(self, on: datetime.date) -> int:
        """Days from `on` to the due date: positive before it, 0 on it, negative once overdue."""
        return (self.due_date - on).days


def local_date_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def attachment_path(instance: Submission, filename: str) -> str:
    return f"submissions/{instance.deadline_id}/{instance.commune.code}/{filename}"


class Submission(ScopedModel):
    """A commune's report for a deadline: one per (deadline, commune). A resubmission keeps the
    first `submitted_at` (that decides "on time") and its changes are kept in the history."""

    commune_scope = "commune"

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("deadline")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("commune")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, max_length=300, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CommuneScopedQuerySet.as_manager()
    history = HistoricalRecords(table_name="reports_historicalsubmission")

    class Meta:
        # The table of the app that first held the model: moving it between apps moved no row.
        db_table = "reports_submission"
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "commune"], name="submission_one_per_deadline_commune"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune}: {self.deadline}"

    @property
    def submitted_on(self) -> datetime.date:
        """The local (Asia/Ho_Chi_Minh) day of the first submission."""
        return local_date_of(self.submitted_at)

    @property
    def on_time(self) -> bool:
        """On time when submitted_at ≤ 23:59:59 Asia/Ho_Chi_Minh on the due date
        (docs/rules.md#on-time)."""
        return self.submitted_on <= self.deadline.due_date


class Reminder(ScopedModel):
    """The log of reminders: one per (deadline, commune, kind, day), held by the database.

    `run_id` marks the job run whose insert created the row, so that of two runs racing on the
    same day only the one that inserted a reminder goes on to deliver it.
    """

    commune_scope = "commune"

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("deadline")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("commune")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    day = models.DateField(_("day"))
    run_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        # The table of the app that first held the model: moving it between apps moved no row.
        db_table = "reports_reminder"
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-day", "deadline_id", "commune__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "commune", "kind", "day"], name="reminder_once_per_kind_day"
            )
        ]
        indexes = [models.Index(fields=["run_id"], name="reminder_run")]

    def __str__(self) -> str:
        return f"{self.deadline} · {self.commune} · {self.get_kind_display()} · {self.day}"

    @property
    def days_left(self) -> int:
        return self.deadline.days_left(self.day)

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    def when_text(self) -> str:
        return when_text(self.days_left)

    def link(self, *, for_commune: bool) -> str:
        """Where the reminder leads: a commune's users to the submission form, district staff to
        the deadline and its submissions."""
        if for_commune:
            return reverse("submission-create", args=[self.deadline_id])
        return reverse("deadline-detail", args=[self.deadline_id])

    def message(self) -> str:
        """The text of the in-app notification."""
        values = {
            "deadline": str(self.deadline),
            "commune": self.commune.name,
            "due": self.deadline.due_date.strftime("%d/%m/%Y"),
            "when": self.when_text(),
        }
        if self.kind == ReminderKind.ESCALATION:
            return (
                gettext("%(commune)s has not reported: %(deadline)s, due %(due)s (%(when)s).")
                % values
            )
        return gettext("Report due: %(deadline)s, due %(due)s (%(when)s).") % values


class ReminderDeliveryChannel(models.TextChoices):
    IN_APP = "in_app", _("in the app")
    EMAIL = "email", _("email")


class ReminderDeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("delivered")
    FAILED = "failed", _("failed")


class EscalationDigest(models.Model):
    """The one email a day to a district staff member listing every commune escalated to them
    that day (docs/rules.md#escalation-digest: a digest, not one message per commune). The
    escalations stay one in-app delivery each, linked here by `ReminderDelivery.digest`; the
    digest lists those linked when it is sent.

    An outbox row like an email delivery: one per (recipient, day), held by the database, and
    claimed by a conditional UPDATE before it is sent. `run_id` marks the job run whose insert
    created it, the one that queues it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="escalation_digests",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReminderDeliveryStatus.choices,
        default=ReminderDeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    run_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        # The table of the app that first held the model: moving it between apps moved no row.
        db_table = "reports_escalationdigest"
        verbose_name = _("escalation digest")
        verbose_name_plural = _("escalation digests")
        ordering = ["-day", "recipient_id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_per_day")
        ]
        indexes = [
            models.Index(fields=["status"], name="digest_status"),
            models.Index(fields=["run_id"], name="digest_run"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.day}"


class ReminderDelivery(ScopedModel):
    """A reminder to one person on one channel: the outbox of emails, and, on the in-app channel,
    the log of the notice in their bell (notifications.Notification `reminder:<id>`, whose
    reading sets read_at here too, deadlines.receivers)."""

    commune_scope = "reminder__commune"

    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("reminder")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=ReminderDeliveryChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        verbose_name=_("recipient"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReminderDeliveryStatus.choices,
        default=ReminderDeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # An escalation's in-app delivery to a staff member with an address: the day's digest that
    # emails it (instead of an email delivery of its own).
    digest = models.ForeignKey(
        EscalationDigest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("escalation digest"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        # The table of the app that first held the model: moving it between apps moved no row.
        db_table = "reports_reminderdelivery"
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["reminder_id", "channel", "recipient_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "channel", "recipient"], name="delivery_once_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(read_at__isnull=True) | Q(channel="in_app"),
                name="delivery_only_in_app_is_read",
            ),
            models.CheckConstraint(
                condition=Q(digest__isnull=True) | Q(channel="in_app"),
                name="delivery_only_in_app_in_digest",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "channel", "read_at"], name="delivery_recipient_unread"
            ),
            models.Index(fields=["channel", "status"], name="delivery_channel_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reminder} → {self.recipient} ({self.get_channel_display()})"


class Inspection(ScopedModel):
    """Phòng VH-TT's inspection of a commune (D9); its follow-up becomes a deadline for it."""

    commune_scope = "commune"

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("commune")
    )
    date = models.DateField(_("date"))
    inspector = models.CharField(_("inspector"), max_length=200)
    findings = models.TextField(_("findings"))
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommuneScopedQuerySet.as_manager()
    history = HistoricalRecords(table_name="reports_historicalinspection")

    class Meta:
        # The table of the app that first held the model: moving it between apps moved no row.
        db_table = "reports_inspection"
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=F("date")),
                name="inspection_follow_up_after_visit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} ({self.date:%d/%m/%Y})"
