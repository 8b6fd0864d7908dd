"""A notice to one person: reminders and workflow events alike (docs/rules.md#notifications).

The row is the notice in the bell and the outbox of its email; a messenger's direct message is
claimed against it by the floor that holds the platforms' transports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    # The reminder kinds, spelled as the reminders spell them (deadlines.schedule.ReminderKind).
    BEFORE_7 = "before_7", _("7 days before the deadline")
    BEFORE_3 = "before_3", _("3 days before the deadline")
    BEFORE_1 = "before_1", _("1 day before the deadline")
    DUE = "due", _("on the due date")
    OVERDUE = "overdue", _("overdue")
    ESCALATION = "escalation", _("escalation")
    # The workflow of a bulletin.
    BULLETIN_SUBMITTED = "bulletin_submitted", _("bulletin submitted")
    BULLETIN_APPROVED = "bulletin_approved", _("bulletin approved")
    BULLETIN_REJECTED = "bulletin_rejected", _("bulletin rejected")
    BULLETIN_PUBLISHED = "bulletin_published", _("bulletin published")
    DELIVERY_FAILED = "delivery_failed", _("delivery failed")
    POSTS_WAITING = "posts_waiting", _("posts waiting for confirmation")


class EmailStatus(models.TextChoices):
    NONE = "none", _("no email")
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("delivered")
    FAILED = "failed", _("failed")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        """A person's own notices; nobody else's, whatever their role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    # The event this notice tells of, e.g. "bulletin:12:submitted" or "reminder:34": a person is
    # told of one event once, however often or however concurrently it is raised.
    event = models.CharField(_("event"), max_length=120)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    # The email outbox: claimed by a conditional UPDATE (pending → sending) before it is sent.
    email_status = models.CharField(
        _("email"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_error = models.TextField(_("email error"), blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_once_per_event")
        ]
        indexes = [
            # The bell's count on every page: one index-only look-up of the unread.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["user", "-created_at"], name="notification_newest"),
            models.Index(
                fields=["email_status"],
                condition=Q(email_status__in=["pending", "sending"]),
                name="notification_email_outbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.event}"
