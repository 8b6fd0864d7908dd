"""The reminder job (DESIGN.md, "Reminders") and the outbox that emails them.

The job decides, for a day, which (deadline, commune, kind) reminders are due, inserts them under
the database's unique key and delivers only those its own insert created, so however often and
however concurrently it runs, each reminder is delivered once. Emails leave after commit, each
claimed by a conditional UPDATE before it is sent.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import asdict, dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from communes.models import COMMUNE_ROLES, Role, UserProfile
from reports.models import (
    BEFORE_KINDS,
    Channel,
    Deadline,
    DeliveryStatus,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    Submission,
    reminder_kinds_for,
)

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; the email may be tried again.
STALE_CLAIM = datetime.timedelta(minutes=15)
# Past this many attempts an email is left failed for a person to look at in the reminder log.
MAX_EMAIL_ATTEMPTS = 12


class EmailDeliveryFailed(Exception):
    """The mail server refused or could not be reached; the delivery is marked failed."""


@dataclass(frozen=True)
class JobResult:
    day: datetime.date
    reminders: int
    deliveries: int
    emails_queued: int
    emails_requeued: int

    def as_dict(self) -> dict:
        return {**asdict(self), "day": self.day.isoformat()}


def _due_dates_reminded_on(day: datetime.date) -> Q:
    before = [day + datetime.timedelta(days=days) for days in BEFORE_KINDS]
    return Q(deadline__due_date__in=before) | Q(deadline__due_date__lte=day)


def _due_reminders(day: datetime.date, run_id: uuid.UUID) -> list[Reminder]:
    """Every reminder due on `day`: covered communes that have not submitted (judged now)."""
    coverage = Deadline.communes.through.objects
    pairs = (
        coverage.filter(_due_dates_reminded_on(day))
        .exclude(
            Exists(
                Submission.objects.filter(
                    deadline_id=OuterRef("deadline_id"), commune_id=OuterRef("commune_id")
                )
            )
        )
        # One order for every run, so two runs inserting at once take row locks in the same
        # order and cannot deadlock on PostgreSQL.
        .order_by("deadline_id", "commune_id")
        .values_list("deadline_id", "commune_id", "deadline__due_date")
    )
    return [
        Reminder(deadline_id=deadline_id, commune_id=commune_id, kind=kind, day=day, run_id=run_id)
        for deadline_id, commune_id, due_date in pairs
        for kind in reminder_kinds_for((due_date - day).days)
    ]


def _deliveries(won: list[tuple[int, int, str, int]]) -> list[ReminderDelivery]:
    """In the app for every recipient, by email for those with an address. A commune's reminders
    go to its officers and leaders with a login; an escalation to the district's staff."""
    commune_ids = {
        commune_id for _pk, commune_id, kind, _d in won if kind != ReminderKind.ESCALATION
    }
    district_ids = {
        district_id for _pk, _c, kind, district_id in won if kind == ReminderKind.ESCALATION
    }
    active = UserProfile.objects.filter(user__is_active=True)
    by_commune: dict[int, list[tuple[int, str]]] = {}
    for commune_id, user_id, email in active.filter(
        commune_id__in=commune_ids, role__in=list(COMMUNE_ROLES)
    ).values_list("commune_id", "user_id", "user__email"):
        by_commune.setdefault(commune_id, []).append((user_id, email))
    by_district: dict[int, list[tuple[int, str]]] = {}
    if district_ids:
        for district_id, user_id, email in active.filter(
            district_id__in=district_ids, role=Role.DISTRICT_STAFF
        ).values_list("district_id", "user_id", "user__email"):
            by_district.setdefault(district_id, []).append((user_id, email))

    now = timezone.now()
    rows = []
    for reminder_id, commune_id, kind, district_id in won:
        if kind == ReminderKind.ESCALATION:
            recipients = by_district.get(district_id, [])
        else:
            recipients = by_commune.get(commune_id, [])
        for user_id, email in recipients:
            rows.append(
                ReminderDelivery(
                    reminder_id=reminder_id,
                    channel=Channel.IN_APP,
                    recipient_id=user_id,
                    status=DeliveryStatus.SENT,
                    attempts=1,
                    last_attempt_at=now,
                    sent_at=now,
                    created_at=now,
                )
            )
            if email:
                rows.append(
                    ReminderDelivery(
                        reminder_id=reminder_id,
                        channel=Channel.EMAIL,
                        recipient_id=user_id,
                        created_at=now,
                    )
                )
    return rows


def reminders_send_due(*, day: datetime.date) -> JobResult:
    """The daily job (DESIGN.md, "Reminders"): for every deadline and every covered commune that
    has not submitted when the job runs, the reminder of that day — 7, 3 and 1 day before
    (`before_7`, `before_3`, `before_1`), on the due day (`due`), each day after (`overdue`) and,
    from 3 days overdue, an `escalation` to the district staff besides.

    One reminder per (deadline, commune, kind, day) is held by the database's unique key: rows are
    inserted or left alone on conflict, and only the rows this run's insert created (marked with
    its `run_id`) are delivered, so two runs at once deliver each reminder once. Then emails that
    failed earlier are queued again.
    """
    run_id = uuid.uuid4()
    with transaction.atomic():
        due = _due_reminders(day, run_id)
        Reminder.objects.bulk_create(due, ignore_conflicts=True)
        won = list(
            Reminder.objects.filter(run_id=run_id)
            .order_by("pk")
            .values_list("pk", "commune_id", "kind", "deadline__district_id")
        )
        deliveries = _deliveries(won)
        ReminderDelivery.objects.bulk_create(deliveries)
        email_ids = list(
            ReminderDelivery.objects.filter(reminder__run_id=run_id, channel=Channel.EMAIL)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for delivery_id in email_ids:
            transaction.on_commit(partial(queue_reminder_email, delivery_id), robust=True)
    requeued = reminder_emails_requeue(exclude_run=run_id)
    return JobResult(
        day=day,
        reminders=len(won),
        deliveries=len(deliveries),
        emails_queued=len(email_ids),
        emails_requeued=requeued,
    )


def reminder_emails_requeue(*, exclude_run: uuid.UUID | None = None) -> int:
    """Queue again the emails still waiting: failed ones (the in-app reminder stayed), pending
    ones whose queueing was lost with the broker, and claims left by a worker that died."""
    stale = timezone.now() - STALE_CLAIM
    waiting = ReminderDelivery.objects.filter(
        Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
        | Q(status=DeliveryStatus.SENDING, last_attempt_at__lt=stale),
        channel=Channel.EMAIL,
        attempts__lt=MAX_EMAIL_ATTEMPTS,
    )
    if exclude_run is not None:
        waiting = waiting.exclude(reminder__run_id=exclude_run)
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    for delivery_id in ids:
        queue_reminder_email(delivery_id)
    return len(ids)


def queue_reminder_email(delivery_id: int) -> None:
    from reports.tasks import deliver_reminder_email

    try:
        deliver_reminder_email.delay(delivery_id)
    except Exception:  # kombu raises several types for an unreachable or broken broker
        # The row stays pending in the outbox; the next daily run queues it again.
        logger.warning(
            "broker unavailable; reminder email %s left pending", delivery_id, exc_info=True
        )


def reminder_email_send(*, delivery_id: int) -> bool:
    """Send one reminder email, claimed first with a conditional UPDATE so that of two workers
    holding the same task only one sends. Returns False when there was nothing to send; raises
    EmailDeliveryFailed (the delivery marked failed, to be retried) when the mail server fails.
    """
    now = timezone.now()
    claimed = (
        ReminderDelivery.objects.filter(pk=delivery_id, channel=Channel.EMAIL)
        .filter(
            Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
            | Q(status=DeliveryStatus.SENDING, last_attempt_at__lt=now - STALE_CLAIM)
        )
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not claimed:
        return False
    delivery = ReminderDelivery.objects.select_related(
        "reminder__deadline", "reminder__commune", "recipient"
    ).get(pk=delivery_id)
    if not delivery.recipient.email:
        with translation.override(settings.LANGUAGE_CODE):  # stored text, read by people
            error = gettext("The recipient has no email address.")
        ReminderDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED, error=error, attempts=MAX_EMAIL_ATTEMPTS
        )
        return False
    try:
        reminder_email_message(delivery).send()
    except OSError as exc:  # smtplib.SMTPException and connection errors are OSErrors
        ReminderDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000]
        )
        raise EmailDeliveryFailed(str(exc)) from exc
    ReminderDelivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
    )
    return True


def reminder_link(reminder: Reminder, *, for_commune: bool) -> str:
    if for_commune:
        return reverse("submission-create", args=[reminder.deadline_id])
    return reverse("deadline-detail", args=[reminder.deadline_id])


def reminder_email_message(delivery: ReminderDelivery) -> EmailMultiAlternatives:
    """The email of a reminder, from one template set per message (subject, text, HTML), in the
    site's language (Vietnamese): the deadline, its directive, the due date, the days left or
    overdue and a link."""
    reminder = delivery.reminder
    escalation = reminder.kind == ReminderKind.ESCALATION
    name = "escalation" if escalation else "reminder"
    context = {
        "reminder": reminder,
        "deadline": reminder.deadline,
        "commune": reminder.commune,
        "recipient": delivery.recipient,
        "due_date": reminder.deadline.due_date.strftime("%d/%m/%Y"),
        "days_left": reminder.days_left,
        "days_overdue": reminder.days_overdue,
        "link": settings.SITE_URL.rstrip("/") + reminder_link(reminder, for_commune=not escalation),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message
