"""The daily reminder job (docs/rules.md#reminder-job, "Reminders"): which reminders are due on a
day, and their fan-out into deliveries and outbox rows.

The job decides, for a day, which (deadline, commune, kind) reminders are due, inserts them under
the database's unique key and delivers only those its own insert created, so however often and
however concurrently it runs, each reminder is delivered once. It only saves rows: the emails
are claimed and sent by `deadlines.outbox`, queued by `deadlines.tasks` once the job has committed.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communes.models import COMMUNE_ROLES, Role, UserProfile
from deadlines.models import (
    Deadline,
    EscalationDigest,
    Reminder,
    ReminderDelivery,
    ReminderDeliveryChannel,
    ReminderDeliveryStatus,
    Submission,
)
from deadlines.outbox import OutboxRows
from deadlines.schedule import ReminderKind, reminded_days_left, reminder_kinds_for


@dataclass(frozen=True)
class JobResult:
    """What one run created: its reminders, their deliveries (in the app and by email), and the
    outbox rows it is the one to queue (its reminder emails and the digests it created)."""

    day: datetime.date
    run_id: uuid.UUID
    reminders: int
    deliveries: int
    outbox: OutboxRows

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "reminders": self.reminders,
            "deliveries": self.deliveries,
            "digests": len(self.outbox.digests),
        }


def _due_dates_reminded_on(day: datetime.date) -> Q:
    """Coverage rows of deadlines with a reminder due on `day`: their due date is one of the few
    dates the rules remind on (7, 3, 1 day ahead, the day, and the overdue days up to D+91),
    and they are not closed on that day. Both are tested by the database, on the deadline row."""
    due_dates = [day + datetime.timedelta(days=days_left) for days_left in reminded_days_left()]
    open_on_day = Q(deadline__closed_on__isnull=True) | Q(deadline__closed_on__gt=day)
    return Q(deadline__due_date__in=due_dates) & open_on_day


def _due_reminders(day: datetime.date, run_id: uuid.UUID) -> list[Reminder]:
    """Every reminder due on `day`: covered communes that have not submitted (judged now)."""
    coverage = Deadline.communes.through.objects
    pairs = (
        coverage.filter(_due_dates_reminded_on(day))
        # An absorbed commune is reminded of nothing from its merger's day (its survivor is).
        .exclude(commune__merged_on__lte=day)
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


def _open_digests(user_ids: set[int], day: datetime.date, run_id: uuid.UUID) -> dict[int, int]:
    """The day's digest of each staff member with an address, created if missing, unless it is
    already claimed or sent: {user id: digest id}.

    One digest per (recipient, day) is held by the unique key, so two runs at once share it. The
    row is locked before escalations are linked to it: a worker claiming it waits for this run
    to commit and then lists our escalations too, and one claimed first is left alone, so no
    escalation is linked to an email that went without it.
    """
    if not user_ids:
        return {}
    EscalationDigest.objects.bulk_create(
        [
            EscalationDigest(recipient_id=user_id, day=day, run_id=run_id)
            for user_id in sorted(user_ids)
        ],
        ignore_conflicts=True,
    )
    unsent = (
        EscalationDigest.objects.select_for_update()
        .filter(
            recipient_id__in=user_ids,
            day=day,
            status__in=[ReminderDeliveryStatus.PENDING, ReminderDeliveryStatus.FAILED],
        )
        .order_by("pk")
        .values_list("recipient_id", "pk")
    )
    return dict(unsent)


def _deliveries(
    won: list[tuple[int, int, str, int]], day: datetime.date, run_id: uuid.UUID
) -> list[ReminderDelivery]:
    """In the app for every recipient. A commune's reminders go to its officers and leaders with
    a login, each also by email when they have an address; an escalation goes to the district's
    staff, by email only in the day's digest (docs/rules.md#escalation-digest)."""
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
    digests = _open_digests(
        {user_id for staff in by_district.values() for user_id, email in staff if email},
        day,
        run_id,
    )

    now = timezone.now()
    rows = []
    for reminder_id, commune_id, kind, district_id in won:
        escalation = kind == ReminderKind.ESCALATION
        recipients = (
            by_district.get(district_id, []) if escalation else by_commune.get(commune_id, [])
        )
        for user_id, email in recipients:
            rows.append(
                ReminderDelivery(
                    reminder_id=reminder_id,
                    channel=ReminderDeliveryChannel.IN_APP,
                    recipient_id=user_id,
                    status=ReminderDeliveryStatus.SENT,
                    attempts=1,
                    last_attempt_at=now,
                    sent_at=now,
                    digest_id=digests.get(user_id) if escalation else None,
                    created_at=now,
                )
            )
            if email and not escalation:
                rows.append(
                    ReminderDelivery(
                        reminder_id=reminder_id,
                        channel=ReminderDeliveryChannel.EMAIL,
                        recipient_id=user_id,
                        created_at=now,
                    )
                )
    return rows


def reminders_send_due(*, day: datetime.date) -> JobResult:
    """The daily job (docs/rules.md#reminder-schedule, "Reminders"): for every deadline not closed
    on `day` and every
    covered commune that has not submitted when the job runs, the reminder of that day — 7, 3
    and 1 day before (`before_7`, `before_3`, `before_1`), on the due day (`due`), then
    `overdue` each day up to D+7 and every 7th day up to D+91, and from D+3 on an `escalation`
    to the district staff besides, who get the day's escalations by email as one digest.

    One reminder per (deadline, commune, kind, day) is held by the database's unique key: rows are
    inserted or left alone on conflict, and only the rows this run's insert created (marked with
    its `run_id`) are delivered, so two runs at once deliver each reminder once. The emails are
    left in the outbox: the result names those this run is to queue once it has committed.
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
        deliveries = _deliveries(won, day, run_id)
        ReminderDelivery.objects.bulk_create(deliveries)
        emails = ReminderDelivery.objects.filter(
            reminder__run_id=run_id, channel=ReminderDeliveryChannel.EMAIL
        )
        digests = EscalationDigest.objects.filter(run_id=run_id)
        outbox = OutboxRows(
            emails=tuple(emails.order_by("pk").values_list("pk", flat=True)),
            digests=tuple(digests.order_by("pk").values_list("pk", flat=True)),
        )
    return JobResult(
        day=day, run_id=run_id, reminders=len(won), deliveries=len(deliveries), outbox=outbox
    )
