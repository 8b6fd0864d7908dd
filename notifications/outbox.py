"""The email outbox of the notices (docs/rules.md#notifications): the notice is saved first, in
the app at once; its email is claimed with a conditional UPDATE (pending → sending) by the one
process that changes the row, sent, and marked sent, or tried again later with a growing wait,
and failed after MAX_EMAIL_ATTEMPTS. A claim older than STALE_CLAIM is a worker that died
mid-send: the every-minute sweep takes it up again (that email may then go out twice, never
zero times). Queueing is notifications.receivers' and notifications.tasks'; this module only
reads and writes rows and sends.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from notifications.messages import email_message
from notifications.models import EmailStatus, Notification

logger = logging.getLogger(__name__)

# Past Celery's hard time limit (settings.CELERY_TASK_TIME_LIMIT, 5 minutes): a live worker has
# always let go of its claim before another may take the email.
STALE_CLAIM = datetime.timedelta(minutes=6)
# 1, 2, 4, 8 and 16 minutes between the attempts: a mail server down for half an hour loses
# nothing; past the last attempt the email is failed, the notice stays in the app.
MAX_EMAIL_ATTEMPTS = 6
BACKOFF_FIRST_SECONDS = 60
# At most this many emails queued by one sweep; the next minute's sweep takes the rest.
SWEEP_BATCH = 500

NO_ADDRESS = _("The recipient has no email address.")
SENDER_STOPPED = _("The sender stopped while sending; the email may have gone out.")


@dataclass(frozen=True)
class EmailResult:
    status: str  # "sent", "retry", "failed", "skipped"
    retry_in: float | None = None


def _claimable(now: datetime.datetime) -> Q:
    """Pending and due (no backoff running), or claimed by a worker that died; never one out
    of attempts."""
    due = Q(email_status=EmailStatus.PENDING) & (
        Q(email_next_at__isnull=True) | Q(email_next_at__lte=now)
    )
    stale = Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=now - STALE_CLAIM)
    return (due | stale) & Q(email_attempts__lt=MAX_EMAIL_ATTEMPTS)


def _stored(message) -> str:
    # Kept in the row and read by people: in the site's language, whoever queued the email.
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def backoff_seconds(attempts: int) -> float:
    return float(BACKOFF_FIRST_SECONDS * 2 ** max(attempts - 1, 0))


def _error_of(exc: BaseException) -> str:
    reason = str(exc) if isinstance(exc, OSError) else ""
    return (f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__)[:1000]


def notification_email_send(
    *, notification_id: int, now: datetime.datetime | None = None
) -> EmailResult:
    """Send one notice's email at most once at a time: claim it (pending → sending, one
    conditional UPDATE; whoever changes no row does nothing), send it with Django's mail, mark
    it sent. A mail server that fails, refuses or times out puts it back to pending with its
    next attempt after a backoff (the result says when), or fails it after the last attempt."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(_claimable(now), pk=notification_id)
        .exclude(email_status=EmailStatus.NONE)
        .update(
            email_status=EmailStatus.SENDING,
            email_claimed_at=now,
            email_attempts=F("email_attempts") + 1,
        )
    )
    if not claimed:
        return EmailResult("skipped")
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    # Only the claim's owner finishes it: a claim taken over after STALE_CLAIM has a new time.
    mine = Notification.objects.filter(pk=notification_id, email_claimed_at=now)
    if not notification.user.email:
        mine.update(
            email_status=EmailStatus.FAILED, email_error=_stored(NO_ADDRESS), email_claimed_at=None
        )
        return EmailResult("failed")
    try:
        email_message(notification).send()
    # smtplib's errors, refused connections and EMAIL_TIMEOUT's timeout are all OSErrors; the
    # soft time limit lets a worker stuck anywhere else in the send let go of its claim too.
    except (OSError, SoftTimeLimitExceeded) as exc:
        error = _error_of(exc)
        if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
            mine.update(
                email_status=EmailStatus.FAILED,
                email_error=error,
                email_claimed_at=None,
                email_next_at=None,
            )
            logger.warning("notification %s: email failed for good: %s", notification_id, error)
            return EmailResult("failed")
        wait = backoff_seconds(notification.email_attempts)
        mine.update(
            email_status=EmailStatus.PENDING,
            email_error=error,
            email_claimed_at=None,
            email_next_at=now + datetime.timedelta(seconds=wait),
        )
        return EmailResult("retry", retry_in=wait)
    mine.update(
        email_status=EmailStatus.SENT,
        emailed_at=timezone.now(),
        email_error="",
        email_claimed_at=None,
        email_next_at=None,
    )
    return EmailResult("sent")


def notification_emails_give_up(*, now: datetime.datetime | None = None) -> int:
    """Fail the emails whose sender died during their last attempt: they may not be tried
    again, and nothing else would ever move them out of `sending`."""
    now = now or timezone.now()
    return Notification.objects.filter(
        email_status=EmailStatus.SENDING,
        email_claimed_at__lt=now - STALE_CLAIM,
        email_attempts__gte=MAX_EMAIL_ATTEMPTS,
    ).update(
        email_status=EmailStatus.FAILED, email_error=_stored(SENDER_STOPPED), email_claimed_at=None
    )


def notification_emails_due(*, now: datetime.datetime | None = None) -> list[int]:
    """The emails to queue again (the every-minute sweep): pending ones whose task was lost
    (the broker was down) or whose backoff has run out, and claims left by a dead worker."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(_claimable(now))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
