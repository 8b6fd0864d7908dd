"""The outbox of the reminders' emails: one email per reminder delivery to a commune's users, and
one digest a day per district staff member listing the communes escalated to them that day
(docs/rules.md#escalation-digest).

The job (`deadlines.reminders`) saves the rows first; here each row is claimed by a conditional
UPDATE, so that of two workers holding the same row only one sends it, then sent and marked.
Handing rows to the queue takes the queue's own functions from the caller (`deadlines.tasks`), so
this module never imports the tasks that import it.
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from communes.wording import top_unit_words
from deadlines.models import (
    EscalationDigest,
    ReminderDelivery,
    ReminderDeliveryChannel,
    ReminderDeliveryStatus,
)
from deadlines.schedule import ReminderKind

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the email may be tried again.
# It is well past Celery's hard time limit (settings.CELERY_TASK_TIME_LIMIT), so a live worker
# has always let go of a row before another may take it.
STALE_CLAIM = datetime.timedelta(minutes=15)
# Past this many attempts an email is left failed for a person to look at in the reminder log.
MAX_EMAIL_ATTEMPTS = 12

# Puts one row's id on the queue; `deadlines.tasks` gives its tasks' `delay`.
Enqueue = Callable[[int], object]

NO_ADDRESS = _("The recipient has no email address.")
NOTHING_LEFT = _("No escalation is left to send.")


class EmailDeliveryFailed(Exception):
    """The mail server refused, could not be reached or did not answer in time; the row is
    marked failed, to be retried."""


@dataclass(frozen=True)
class OutboxRows:
    """Ids of rows of the outbox: reminder email deliveries and escalation digests."""

    emails: tuple[int, ...] = ()
    digests: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.emails) + len(self.digests)


def outbox_queue(rows: OutboxRows, *, email: Enqueue, digest: Enqueue) -> int:
    """Hand each row to the queue once the current transaction commits (at once outside one), so
    a worker never looks for a row that is not there yet. A broker that is down is logged and the
    row stays pending in the outbox, where the next run's `reminder_emails_requeue` finds it.
    Returns how many rows it queues (or tries to)."""
    for delivery_id in rows.emails:
        transaction.on_commit(partial(_enqueue, email, "reminder email", delivery_id), robust=True)
    for digest_id in rows.digests:
        transaction.on_commit(
            partial(_enqueue, digest, "escalation digest", digest_id), robust=True
        )
    return len(rows)


def _enqueue(enqueue: Enqueue, what: str, row_id: int) -> None:
    try:
        enqueue(row_id)
    except Exception:  # kombu raises several types for an unreachable or broken broker
        logger.warning("broker unavailable; %s %s left pending", what, row_id, exc_info=True)


def _waiting(now: datetime.datetime) -> Q:
    """Rows that may be sent: pending, failed (to be retried), or claimed by a worker that died."""
    return Q(status__in=[ReminderDeliveryStatus.PENDING, ReminderDeliveryStatus.FAILED]) | Q(
        status=ReminderDeliveryStatus.SENDING, last_attempt_at__lt=now - STALE_CLAIM
    )


def outbox_waiting(*, exclude_run: uuid.UUID | None = None) -> OutboxRows:
    """The rows still waiting: failed ones (the in-app reminder stayed), pending ones whose
    queueing was lost with the broker, and claims left by a worker that died; not those of the
    job run `exclude_run`, which queues its own."""
    waiting = _waiting(timezone.now())
    emails = ReminderDelivery.objects.filter(
        waiting, channel=ReminderDeliveryChannel.EMAIL, attempts__lt=MAX_EMAIL_ATTEMPTS
    )
    digests = EscalationDigest.objects.filter(waiting, attempts__lt=MAX_EMAIL_ATTEMPTS)
    if exclude_run is not None:
        emails = emails.exclude(reminder__run_id=exclude_run)
        digests = digests.exclude(run_id=exclude_run)
    return OutboxRows(
        emails=tuple(emails.order_by("pk").values_list("pk", flat=True)),
        digests=tuple(digests.order_by("pk").values_list("pk", flat=True)),
    )


def reminder_emails_requeue(
    *, email: Enqueue, digest: Enqueue, exclude_run: uuid.UUID | None = None
) -> int:
    """Queue again every email and digest still waiting (`outbox_waiting`). Returns how many."""
    return outbox_queue(outbox_waiting(exclude_run=exclude_run), email=email, digest=digest)


def _claim(rows: QuerySet, row_id: int) -> bool:
    """Claim before you act: only the process whose UPDATE changed the row goes on."""
    now = timezone.now()
    claimed = (
        rows.filter(pk=row_id)
        .filter(_waiting(now))
        .update(
            status=ReminderDeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
        )
    )
    return bool(claimed)


def _stored_text(message: Promise) -> str:
    # Stored in the row and read by people in the reminder log: in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def _give_up(rows: QuerySet, row_id: int, error: str) -> bool:
    """Nothing can be sent, now or later: failed for good, never queued again."""
    rows.filter(pk=row_id).update(
        status=ReminderDeliveryStatus.FAILED, error=error, attempts=MAX_EMAIL_ATTEMPTS
    )
    return False


def _email_error(exc: BaseException) -> str:
    """Why an e-mail was not sent, as the reminders page and the API show it: a sentence with
    the mail server's own words, never the exception's name (docs/rules.md#bulletin-checks:
    people read no internal codes; the log keeps the name)."""
    with translation.override(settings.LANGUAGE_CODE):
        if not isinstance(exc, OSError):  # Celery's soft time limit
            return str(_("Sending the e-mail took too long; it will be sent again."))
        # "[Errno 111] Connection refused": the number is the system's, the words the reason.
        reason = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc)).strip()
        if not reason:
            return str(
                _("The e-mail could not be sent through the mail server; it will be sent again.")
            )
        return str(
            _(
                "The e-mail could not be sent through the mail server (%(reason)s); it will be "
                "sent again."
            )
            % {"reason": reason}
        )


def _send_claimed(rows: QuerySet, row_id: int, message: EmailMultiAlternatives) -> bool:
    try:
        message.send()
    # smtplib's errors, refused connections and EMAIL_TIMEOUT's timeout are all OSErrors; the
    # soft time limit lets a worker stuck anywhere else in the send let go of its claim too.
    except (OSError, SoftTimeLimitExceeded) as exc:
        error = _email_error(exc)
        rows.filter(pk=row_id).update(status=ReminderDeliveryStatus.FAILED, error=error[:1000])
        raise EmailDeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    rows.filter(pk=row_id).update(
        status=ReminderDeliveryStatus.SENT, sent_at=timezone.now(), error=""
    )
    return True


def reminder_email_send(*, delivery_id: int) -> bool:
    """Send one reminder email, claimed first with a conditional UPDATE so that of two workers
    holding the same task only one sends. Returns False when there was nothing to send; raises
    EmailDeliveryFailed (the delivery marked failed, to be retried) when the mail server fails.
    """
    rows = ReminderDelivery.objects.filter(channel=ReminderDeliveryChannel.EMAIL)
    if not _claim(rows, delivery_id):
        return False
    delivery = ReminderDelivery.objects.select_related(
        "reminder__deadline__district", "reminder__commune", "recipient"
    ).get(pk=delivery_id)
    if not delivery.recipient.email:
        return _give_up(rows, delivery_id, _stored_text(NO_ADDRESS))
    return _send_claimed(rows, delivery_id, reminder_email_message(delivery))


def escalation_digest_send(*, digest_id: int) -> bool:
    """Send a district staff member's digest of the day, claimed first like a reminder email. It
    lists the escalations linked to it when it is claimed; the job links no escalation to a
    digest already claimed (it locks the row first), so the reminder log says truly which
    escalations the email carried. Returns False when there was nothing to send; raises
    EmailDeliveryFailed (the digest marked failed, to be retried) when the mail server fails."""
    rows = EscalationDigest.objects.all()
    if not _claim(rows, digest_id):
        return False
    digest = EscalationDigest.objects.select_related("recipient").get(pk=digest_id)
    if not digest.recipient.email:
        return _give_up(rows, digest_id, _stored_text(NO_ADDRESS))
    escalations = list(
        digest.deliveries.select_related(
            "reminder__deadline__district", "reminder__commune"
        ).order_by(
            "reminder__deadline__due_date", "reminder__deadline_id", "reminder__commune__name"
        )
    )
    if not escalations:
        return _give_up(rows, digest_id, _stored_text(NOTHING_LEFT))
    return _send_claimed(rows, digest_id, escalation_digest_message(digest, escalations))


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _email(name: str, context: dict, to: str) -> EmailMultiAlternatives:
    """One template set per message (subject, text, HTML), in the site's language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def reminder_email_message(delivery: ReminderDelivery) -> EmailMultiAlternatives:
    """The email of a reminder: the deadline, its directive, the due date, the days left or
    overdue and a link."""
    reminder = delivery.reminder
    # The job no longer emails escalations one by one (they go in the day's digest); one queued
    # before the digest existed is still sent as it was written.
    escalation = reminder.kind == ReminderKind.ESCALATION
    context = {
        "reminder": reminder,
        "deadline": reminder.deadline,
        "commune": reminder.commune,
        "recipient": delivery.recipient,
        "due_date": reminder.deadline.due_date.strftime("%d/%m/%Y"),
        "days_left": reminder.days_left,
        "days_overdue": reminder.days_overdue,
        "link": _absolute(reminder.link(for_commune=not escalation)),
        "signature": top_unit_words(reminder.deadline.district).signature,
    }
    name = "escalation" if escalation else "reminder"
    return _email(name, context, delivery.recipient.email)


def escalation_digest_message(
    digest: EscalationDigest, escalations: list[ReminderDelivery]
) -> EmailMultiAlternatives:
    """The digest: every commune escalated to the recipient that day, each line with its
    deadline, due date, days overdue and a link to the deadline."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            {
                "commune": delivery.reminder.commune.name,
                "deadline": str(delivery.reminder.deadline),
                "due_date": delivery.reminder.deadline.due_date.strftime("%d/%m/%Y"),
                "when": delivery.reminder.when_text(),
                "link": _absolute(delivery.reminder.link(for_commune=False)),
            }
            for delivery in escalations
        ]
    context = {
        "recipient": digest.recipient,
        "day": digest.day.strftime("%d/%m/%Y"),
        "lines": lines,
        "communes": len({delivery.reminder.commune_id for delivery in escalations}),
        "link": _absolute(reverse("deadline-list")),
        # Every escalation of a digest is of the recipient's top unit.
        "signature": top_unit_words(escalations[0].reminder.deadline.district).signature,
    }
    return _email("escalation_digest", context, digest.recipient.email)
