"""The reminders as notices in the bell (docs/rules.md#notifications): each in-app reminder is a
notifications.Notification of its kind, event `reminder:<reminder id>`, in the app only — the
reminders keep their own email outbox and the escalation digest (deadlines.outbox). Its words
are templates/notifications/<kind>/, always in the site's language.

Plain values in, so that the migration that copied the in-app reminders of before into notices
(deadlines/migrations/0002) says them the same way.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from deadlines.schedule import ReminderKind, when_text


def reminder_event(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


def reminder_url(*, kind: str, deadline_id: int) -> str:
    """Where a reminder leads: a commune's users to the submission form, district staff (an
    escalation) to the deadline and its submissions."""
    if kind == ReminderKind.ESCALATION:
        return reverse("deadline-detail", args=[deadline_id])
    return reverse("submission-create", args=[deadline_id])


def reminder_context(
    *,
    title: str,
    directive: str,
    due_date: datetime.date,
    commune: str,
    day: datetime.date,
) -> dict:
    """What a reminder's templates say: the deadline as it is named (`606/UBND-VX: title`), its
    due date, and how it stood on the reminder's day ("3 days left", "4 days overdue")."""
    with translation.override(settings.LANGUAGE_CODE):
        when = when_text((due_date - day).days)
    return {
        "deadline": f"{directive}: {title}" if directive else title,
        "title": title,
        "directive": directive,
        "commune": commune,
        "due": due_date.strftime("%d/%m/%Y"),
        "day": day.strftime("%d/%m/%Y"),
        "when": when,
    }
